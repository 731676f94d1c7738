import sys

from pmo.cli import entry

if __name__ == "__main__":       # `python -m pmo`; importing the module runs nothing
    sys.exit(entry())
