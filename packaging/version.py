"""Print Herald's version, read from the one place it is kept: pyproject.toml."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
print(tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"])
