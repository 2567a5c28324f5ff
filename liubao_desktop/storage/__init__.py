"""SQLite storage: schema and seed, the ledger's queries on sqlite3, open/migrate/backup (peewee models for tests). No Qt."""
