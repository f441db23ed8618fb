"""Keep the English edition in step with the French text: make i18n-status, make i18n-update.

The logic is publishing.i18n (src/publishing/i18n.py); this is its command line,
also installed as `.venv/bin/publishing-i18n`.
"""

import sys

from publishing.i18n import main

if __name__ == "__main__":
    sys.exit(main())
