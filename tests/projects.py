"""Shared by the unit and end-to-end tests: a copy of the real project, and
the real ``publish`` console script run as a subprocess."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PUBLISH = Path(sys.executable).parent / "publish"
if not PUBLISH.exists():  # pragma: no cover - run outside the venv
    PUBLISH = REPO / ".venv" / "bin" / "publish"


def copy_project(root: Path) -> Path:
    """publish.yml, source/ and translations/ of the real project into ``root``
    (which must not exist yet); never the real files themselves."""
    root.mkdir(parents=True)
    shutil.copy2(REPO / "publish.yml", root / "publish.yml")
    shutil.copytree(REPO / "source", root / "source")
    shutil.copytree(REPO / "translations", root / "translations")
    return root


def publish_env(**extra: str) -> dict[str, str]:
    """A UTF-8 locale, and no SOURCE_DATE_EPOCH leaking in from the caller."""
    env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8", **extra}
    if "SOURCE_DATE_EPOCH" not in extra:
        env.pop("SOURCE_DATE_EPOCH", None)
    return env


def publish(args: list[str], cwd: Path, timeout: int = 180, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(PUBLISH), *args], cwd=cwd, capture_output=True, text=True,
                          encoding="utf-8", env=publish_env(**env), timeout=timeout)
