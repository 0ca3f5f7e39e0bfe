"""Entry point of ``synthdesk`` and ``python -m synthdesk``.

With no arguments it opens the window; ``--tour DIR`` saves a screenshot of each step
of the window into DIR; ``--self-test`` runs a whole job on the bundled sample and opens
the window offscreen (exit 0 when all is well); anything else runs the command line.
"""

import multiprocessing
import sys


def main() -> int:
    """Open the window, save the tour, or run the command line."""
    multiprocessing.freeze_support()  # first: the training child re-enters here when frozen
    args = sys.argv[1:]
    if not args:
        from synthdesk.gui.app import main as gui_main

        return gui_main([])
    if args[0] == "--tour":
        if len(args) != 2:
            sys.stderr.write("usage: synthdesk --tour DIR\n")
            return 2
        from synthdesk.gui.tour import run_tour

        return run_tour(args[1])
    if args == ["--self-test"]:
        return _self_test()
    from synthdesk.cli.main import main as cli_main

    return cli_main(args)


def _self_test() -> int:
    from synthdesk.cli.selftest import run_self_test
    from synthdesk.core.offline import go_offline

    def say(line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    go_offline()
    ok = run_self_test(say)
    from synthdesk.gui.selftest import check_window

    ok = check_window(say) and ok
    say("self-test passed" if ok else "self-test FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
