"""Launcher: hands the command line to liubao_desktop.app.main."""
import sys

from liubao_desktop.app import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
