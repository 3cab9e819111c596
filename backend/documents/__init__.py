"""Server-rendered PDF forms (tracking log, apology); letters live in api_client.documents."""
