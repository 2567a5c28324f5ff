"""The per-PC window settings (settings.ini beside the ledger) as the preferences service reads them, opened in
one place. QSettings keeps Qt's byte arrays as @ByteArray(…); plain bytes would be stored as a pickle."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from ..services.preferences import WindowPreferences, settings_path


def window_preferences(data_dir: Path) -> WindowPreferences:
    return WindowPreferences(QSettings(str(settings_path(data_dir)), QSettings.Format.IniFormat),
                             wrap_bytes=QByteArray)
