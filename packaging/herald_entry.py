"""Entry point PyInstaller freezes: the same `main` the `herald` console script runs."""

from app.__main__ import main

if __name__ == "__main__":
    main()
