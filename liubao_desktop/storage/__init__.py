"""SQLite storage: schema and seed, peewee models, open/migrate/backup. No Qt."""
