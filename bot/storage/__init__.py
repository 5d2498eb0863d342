"""Storage: SQLAlchemy async over SQLite (default) or PostgreSQL, with Alembic migrations."""
