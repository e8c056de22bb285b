"""``python -m tandem.residency.scheduling``: see ``cli.py``."""

import sys

from tandem.residency.scheduling.cli import main

sys.exit(main())
