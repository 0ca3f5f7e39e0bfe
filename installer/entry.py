"""What the frozen app runs: SynthDesk's own entry point (freeze_support comes first there)."""

import sys

from synthdesk.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
