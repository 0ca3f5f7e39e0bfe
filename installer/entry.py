"""What the frozen app runs: SynthDesk's own entry point (freeze_support comes first there)."""

import os
import sys

# A windowed build (SynthDeskApp.exe on Windows) has no console: print() and libraries that
# write progress to stderr would fail on None streams, so they write to nowhere instead.
for _name in ("stdout", "stderr"):
    if getattr(sys, _name) is None:
        setattr(sys, _name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115

from synthdesk.__main__ import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
