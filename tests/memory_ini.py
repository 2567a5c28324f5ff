"""settings.ini held in memory: what WindowPreferences needs of QSettings (value / setValue / sync), for tests of
the preferences' rules that need no file (tests/ui drive the real QSettings)."""
from __future__ import annotations


class MemoryIni(dict):
    def value(self, key: str) -> object:
        return self.get(key)

    def setValue(self, key: str, value: object) -> None:  # noqa: N802 - Qt's name
        self[key] = value

    def sync(self) -> None:
        pass
