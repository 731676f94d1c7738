import sys

from pmo.cli import main

if __name__ == "__main__":       # `python -m pmo`; importing the module runs nothing
    sys.exit(main())
