"""Storage on SQLAlchemy 2 Core: one code path for SQLite and PostgreSQL."""
