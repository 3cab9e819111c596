"""App-level services: compose the offline store, the API client and the sync engine for the views."""
