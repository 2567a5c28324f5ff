"""六保任务台账 (liubao-desktop): track a city's policy plan in a district office, offline."""

APP_NAME = "liubao-desktop"
APP_TITLE = "六保任务台账"


def __getattr__(name: str) -> str:
    # __version__ is pyproject.toml's version (resources.app_version), read on first use, not at every import.
    if name == "__version__":
        from .resources import app_version

        return app_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
