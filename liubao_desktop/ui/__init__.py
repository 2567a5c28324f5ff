"""PySide6 widgets, item models, delegates, dialogs and undo commands. Thin: they call services and show results."""
