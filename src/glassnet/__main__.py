"""``python -m glassnet``: the same command line as the ``glassnet`` console script."""

from .cli import main

if __name__ == "__main__":
    main()
