"""Entry point of ``synthdesk`` and ``python -m synthdesk``.

With no arguments it opens the window; otherwise it runs the command line.
"""

import multiprocessing
import sys


def main() -> int:
    """Open the window, or run the command line when given arguments."""
    multiprocessing.freeze_support()  # first: the training child re-enters here when frozen
    args = sys.argv[1:]
    if not args:
        from synthdesk.gui.app import main as gui_main

        return gui_main([])
    from synthdesk.cli.main import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
