"""``python -m tandem.residency.scheduling``: see ``cli.py``."""

import os
import sys

from tandem.residency.scheduling.tools.cli import main

code = main()
sys.stdout.flush()
sys.stderr.flush()
# Leave at once: a sub-solve told to stop at the deadline may still be unwinding in a thread,
# and the interpreter would wait for it (concurrent.futures joins its threads at exit).
os._exit(code)
