"""Reading workbooks that come back from outside — filled templates and other offices' 报送报表 — as untrusted input.

``guard.py`` looks at the raw bytes before any parser does (size, kind of file, the zip's members with their
declared and actual sizes, DOCTYPEs, macros, encryption); ``workbook.py`` parses what passed with openpyxl in
read-only mode through defusedxml, under row, column, cell and time limits; ``forms.py`` recognises the two
shapes this app reads (its own 报送报表, format 2, and the 填报模板) and returns plain values: codes, texts and
``Found`` cells with their sheet and cell address. Nothing here knows the database: the import service checks
every value with the ledger's own rules.
"""
