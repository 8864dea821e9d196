"""``python -m evaluation.cli``: the ``evaluation`` command."""

import sys

from . import main

if __name__ == "__main__":
    sys.exit(main())
