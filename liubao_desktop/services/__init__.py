"""Use cases the UI and the CLI call. Each user action is one transaction here."""
