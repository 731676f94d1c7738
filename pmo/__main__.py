import sys

from pmo.cli import main

sys.exit(main())
