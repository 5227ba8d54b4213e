"""``python -m glassnet.playground [--port N] [--no-browser] [--host H]``."""

from __future__ import annotations

import argparse

from .server import serve


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m glassnet.playground",
                                     description="Serve the glassnet playground.")
    parser.add_argument("--port", type=int, default=8000, help="TCP port (0: any free port)")
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    args = parser.parse_args(argv)
    try:
        serve(port=args.port, open_browser=not args.no_browser, host=args.host)
    except (OSError, ValueError) as error:
        parser.exit(1, f"error: {error}\n")


if __name__ == "__main__":
    main()
