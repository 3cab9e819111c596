"""Server logic behind the routers: access rules, event application, pull, blobs, visits, dossiers."""
