"""``python -m synthdesk``: the command line, or the window when given no arguments."""

import multiprocessing

if __name__ == "__main__":
    multiprocessing.freeze_support()  # first: the training child re-enters here when frozen
    import sys

    from synthdesk.cli.main import main

    sys.exit(main())
