import sys

from gateaudit.cli import main

sys.exit(main())
