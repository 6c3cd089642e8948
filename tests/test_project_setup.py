"""The project's promises about itself: the README's Quick start, CI running it, pinned deps."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _quick_start_blocks() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", section, re.S)]


def test_readme_quick_start_is_two_commands_then_the_qt_system_packages() -> None:
    install_and_demo, tests, packages = _quick_start_blocks()[:3]

    for command in (install_and_demo, tests):
        assert "\n" not in command  # one command each, pasted as one line
    assert install_and_demo.startswith("python3 -m venv .venv && . .venv/bin/activate && ")
    assert "python -m pip install . && " in install_and_demo
    assert "herald init " in install_and_demo and "herald check " in install_and_demo
    assert "herald send " in install_and_demo  # through the embedded local outbox
    assert ".[test]" in tests and "pytest" in tests
    assert packages.startswith("apt-get install")


def test_ci_runs_the_readmes_test_command_verbatim_and_its_system_packages() -> None:
    _, tests, packages = _quick_start_blocks()[:3]

    commands = [line.strip() for line in CI.splitlines()]
    assert tests in commands
    readme_packages = {word for word in packages.split() if not word.startswith("-")}
    readme_packages -= {"apt-get", "install"}
    ci_line = next(line for line in commands if line.startswith("apt-get install"))
    assert readme_packages <= set(ci_line.split())


def test_the_gate_runs_lint_format_types_import_contract_then_pytest_under_a_timeout() -> None:
    _, tests, _ = _quick_start_blocks()[:3]
    steps = [step.strip() for step in tests.split("&&")]

    install = next(i for i, step in enumerate(steps) if "pip install -e '.[test]'" in step)
    names = [step.split()[0] for step in steps[install + 1 :]]
    assert names[:5] == ["ruff", "ruff", "mypy", "lint-imports", "QT_QPA_PLATFORM=offscreen"]
    assert steps[install + 2] == "ruff format --check ."
    assert re.search(r"timeout -s KILL \d+ python -m pytest$", steps[-1])
    assert PYPROJECT["tool"]["mypy"]["strict"] is True
    assert PYPROJECT["tool"]["mypy"]["files"] == ["app/core"]
    (contract,) = PYPROJECT["tool"]["importlinter"]["contracts"]
    assert contract["source_modules"] == ["app.core"]
    assert {"PySide6", "qasync"} <= set(contract["forbidden_modules"])


def test_every_dependency_is_pinned_to_an_exact_version() -> None:
    project = PYPROJECT["project"]
    requirements = [*project["dependencies"], *project["optional-dependencies"]["test"]]

    unpinned = [r for r in requirements if not re.fullmatch(r"[A-Za-z0-9._-]+==[\w.]+", r)]
    assert unpinned == []
    pyside = next(r for r in requirements if r.startswith("PySide6-Essentials=="))
    assert pyside.startswith("PySide6-Essentials==6.11.")  # 6.12.0 crashes on Python 3.11


def test_distribution_import_package_and_console_script_are_as_documented() -> None:
    project = PYPROJECT["project"]

    assert project["name"] == "herald"
    assert project["scripts"] == {"herald": "app.__main__:main"}
    assert project["requires-python"] == ">=3.11"
    for folder in ("app", "resources", "tests", "packaging"):
        assert (ROOT / folder).is_dir(), folder
