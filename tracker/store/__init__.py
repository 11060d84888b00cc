"""Persistence: SQLModel tables, engines and sessions, queries. The only place SQL lives."""
