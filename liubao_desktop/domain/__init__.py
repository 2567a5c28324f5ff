"""Pure-Python domain: the plan tree, quantities, reporting periods, progress and status rules.

Nothing here imports Qt or peewee; every rule is testable without a display or a database.
"""
