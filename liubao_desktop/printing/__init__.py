"""Printed task lists: HTML laid out by QTextDocument and painted page by page onto a QPrinter.

Qt GUI classes only, no widgets: the print preview dialog lives in ``ui.print_dialog`` and calls
``print_task_list`` with its printer; ``main.py tasks`` calls ``write_task_list_pdf``.
"""
