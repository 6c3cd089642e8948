"""Print a bundle's size on disk and compressed (tar.gz), so the 120 MB target can be checked.

Usage: python packaging/bundle_size.py dist/herald [--json]
"On disk" counts allocated blocks, like `du`, without following symlinks (PyInstaller links
libraries into _internal/); MB are 10^6 bytes. `compressed` is a gzip level-6 tar.gz, close
to what a download or an installer's compression gives.
"""

from __future__ import annotations

import json
import os
import sys
import tarfile
import tempfile
from pathlib import Path

MB = 1_000_000


def size_on_disk(folder: Path) -> tuple[int, int, int]:
    """(allocated bytes, apparent bytes, files) of everything under `folder`."""
    allocated = apparent = files = 0
    for root, _dirs, names in os.walk(folder):
        for name in names:
            info = os.lstat(os.path.join(root, name))
            allocated += getattr(info, "st_blocks", 0) * 512 or info.st_size
            apparent += info.st_size
            files += 1
    return allocated, apparent, files


def compressed_size(folder: Path) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        archive = Path(scratch) / "bundle.tar.gz"
        with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
            tar.add(folder, arcname=folder.name)
        return archive.stat().st_size


def measure(folder: Path) -> dict[str, float | int]:
    allocated, apparent, files = size_on_disk(folder)
    compressed = compressed_size(folder)
    return {
        "files": files,
        "on_disk_mb": round(allocated / MB, 1),
        "apparent_mb": round(apparent / MB, 1),
        "tar_gz_mb": round(compressed / MB, 1),
    }


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 2
    folder = Path(argv[0])
    if not folder.is_dir():
        print(f"{folder} is not a folder: pass the bundle, e.g. dist/herald", file=sys.stderr)
        return 2
    sizes = measure(folder)
    if "--json" in argv:
        print(json.dumps(sizes))
    else:
        print(
            f"{folder}: {sizes['on_disk_mb']} MB on disk ({sizes['apparent_mb']} MB in "
            f"{sizes['files']} files), {sizes['tar_gz_mb']} MB as tar.gz"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
