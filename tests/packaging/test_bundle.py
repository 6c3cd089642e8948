"""Build the Linux bundle with the installers' spec and run its self-test offscreen.

The same packaging/herald.spec builds the Windows and macOS bundles in the release workflow;
this catches a missing module, plugin or data file before a release does. It also measures the
bundle against the size target (issue 5: at most 120 MB on disk here).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

pytest.importorskip("PyInstaller", reason="PyInstaller is not installed (pip install -e '.[test]')")

ROOT = Path(__file__).resolve().parents[2]
SIZE_TARGET_MB = 120
pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux bundle test"),
    pytest.mark.timeout(300),
]


def _load_bundle_size() -> object:
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        import bundle_size
    finally:
        sys.path.remove(str(ROOT / "packaging"))
    return bundle_size


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("bundle")
    env = dict(os.environ, HERALD_ICONS_DIR=str(work / "icons"), QT_QPA_PLATFORM="offscreen")
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "make_icons.py"), str(work / "icons")],
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(work / "dist"),
            "--workpath",
            str(work / "build"),
            str(ROOT / "packaging" / "herald.spec"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert build.returncode == 0, build.stderr[-4000:]
    print(f"\nbundle built in {time.perf_counter() - started:.1f} s")
    return work / "dist" / "herald"


def test_bundle_self_test_passes_offscreen_without_a_display(bundle: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)  # the self-test must choose offscreen by itself
    env["HERALD_DATA_DIR"] = str(tmp_path / "data")
    report = tmp_path / "report.txt"
    started = time.perf_counter()

    result = subprocess.run(
        [str(bundle / "herald"), "--self-test", "--report", str(report)],
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )

    print(f"\nself-test inside the bundle: {time.perf_counter() - started:.1f} s")
    assert result.returncode == 0, result.stdout + result.stderr
    text = report.read_text(encoding="utf-8")
    assert "Qt platform: offscreen" in text
    assert "Self-test PASSED" in text
    assert len(list((tmp_path / "data" / "outbox").glob("*.eml"))) == 20


def test_bundle_reports_the_version_from_pyproject(bundle: Path) -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]

    result = subprocess.run(
        [str(bundle / "herald"), "--version"], capture_output=True, text=True, timeout=30
    )

    assert result.stdout.strip() == f"herald {version}"


def test_bundle_leaves_out_what_herald_does_not_use(bundle: Path) -> None:
    internal = bundle / "_internal"
    names = {p.relative_to(internal).as_posix() for p in internal.rglob("*")}

    for unwanted in (
        "PySide6/QtNetwork.abi3.so",
        "PySide6/QtQml.abi3.so",
        "PySide6/Qt/lib/libQt6Network.so.6",
        "PySide6/Qt/lib/libQt6Quick.so.6",
        "PySide6/Qt/lib/libQt6OpenGL.so.6",
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "PySide6/Qt/plugins/xcbglintegrations",
        "PySide6/Qt/plugins/imageformats/libqtiff.so",
        "lxml/objectify.cpython-311-x86_64-linux-gnu.so",
        "PIL",
        "numpy",
        "tkinter",
    ):
        assert unwanted not in names
    for needed in (
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6/Qt/plugins/imageformats/libqsvg.so",
        "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
        "PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
        "PySide6/Qt/translations/qtbase_zh_CN.qm",
        "app/data/translations/herald_zh_CN.qm",
        "resources/icons/herald.svg",
    ):
        assert needed in names


def test_bundle_is_at_most_120_mb_on_disk(bundle: Path, record_property: object) -> None:
    sizes = _load_bundle_size().measure(bundle)  # type: ignore[attr-defined]

    print(
        f"\nLinux bundle: {sizes['on_disk_mb']} MB on disk ({sizes['apparent_mb']} MB in "
        f"{sizes['files']} files), {sizes['tar_gz_mb']} MB as tar.gz"
    )
    record_property("bundle_sizes", sizes)  # type: ignore[operator]
    assert sizes["on_disk_mb"] <= SIZE_TARGET_MB
