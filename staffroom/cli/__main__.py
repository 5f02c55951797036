"""``python -m staffroom.cli``: the same as the ``staffroom`` script."""

import sys

from staffroom.cli import main

sys.exit(main())
