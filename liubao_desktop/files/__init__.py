"""Files on disk, below every other layer: what a data folder holds, where output may go, OS errors in Chinese.

Nothing here knows SQLite or Qt; storage, services, export, printing and the UI all use it.
"""
