"""六保任务台账 (liubao-desktop): track a city's policy plan in a district office, offline."""

__version__ = "0.1.0"
APP_NAME = "liubao-desktop"
APP_TITLE = "六保任务台账"
