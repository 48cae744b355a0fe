"""Nothing lost when a run is killed, nothing corrupted when two run at once.

``publish update`` and ``publish build`` are killed with SIGKILL at random
moments (the moments are drawn from a seeded generator, so a failure can be
replayed).  After every kill:

* every catalog parses and holds every translation it held before;
* every output is byte for byte either the old complete file or the new
  complete file (both builds are reproducible, so both are known).
"""
from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
from pathlib import Path

import polib
import pytest

from conftest import SYNTHETIC_CONFIG, SYNTHETIC_SOURCE, all_msgstrs, fill
from projects import PUBLISH, publish, publish_env
from publish.catalog import parse, same_content

PO = "translations/en/doc.po"
POT = "translations/templates/doc.pot"
SRC = "source/fa/doc.md"
CONFIG = SYNTHETIC_CONFIG + 'date: "2026-01-01"\n'
EDITED_SOURCE = SYNTHETIC_SOURCE.replace("آیا این سوم است؟", "آیا این سوم است یا چهارم؟") + "\nجمله تازه آخر.\n"


def _catalog_state(root: Path) -> set[str]:
    po = polib.pofile(str(root / PO), wrapwidth=0)
    return all_msgstrs(po)


def _kill_at(args: list[str], root: Path, delay: float) -> int:
    proc = subprocess.Popen([str(PUBLISH), *args], cwd=root, env=publish_env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the whole group: pandoc and the workers die too
        proc.wait()
    return proc.returncode


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.endswith(".tmp")}


@pytest.fixture
def translated(tmp_path) -> Path:
    root = tmp_path / "project"
    (root / "source/fa").mkdir(parents=True)
    (root / "publish.yml").write_text(CONFIG, encoding="utf-8")
    (root / SRC).write_text(SYNTHETIC_SOURCE, encoding="utf-8")
    assert publish(["update"], root).returncode == 0
    fill(root / PO, lambda msgid: "EN " + msgid.replace("*", ""))
    assert publish(["update"], root).returncode == 0
    return root


def test_killed_update_loses_nothing(translated):
    root = translated
    held = _catalog_state(root)
    # the complete result, for comparison: an edited source, updated once in a copy
    done = root.parent / "done"
    shutil.copytree(root, done)
    (done / SRC).write_text(EDITED_SOURCE, encoding="utf-8")
    assert publish(["update"], done).returncode == 0
    new = {rel: (done / rel).read_bytes() for rel in (PO, POT)}
    rng = random.Random(5)
    (root / SRC).write_text(EDITED_SOURCE, encoding="utf-8")
    old = {rel: (root / rel).read_bytes() for rel in (PO, POT)}
    finished = 0
    for i in range(20):
        rc = _kill_at(["update"], root, rng.uniform(0.05, 1.2))
        finished += rc == 0
        for rel in (PO, POT):
            data = (root / rel).read_bytes()
            # the old file or the complete new one (its dates may differ by the minute)
            assert data == old[rel] or same_content(data.decode("utf-8"), new[rel].decode("utf-8")), f"run {i}: {rel}"
            parse(data.decode("utf-8"), rel)  # publish's own strict reader
        assert held <= _catalog_state(root), f"run {i}: a translation was lost"
        if rc == 0:  # a finished run: start again from the old state
            for rel in (PO, POT):
                (root / rel).write_bytes(old[rel])
    # the next run clears what killed runs left behind
    assert publish(["update"], root).returncode == 0
    assert list(root.rglob(".*.tmp")) == []
    assert held <= _catalog_state(root)
    assert 0 < finished < 20, "the kills should land both during and after runs"


def test_killed_build_leaves_old_or_new_outputs(translated):
    root = translated
    args = ["build", "-f", "html", "-f", "epub"]
    assert publish(args, root).returncode == 0
    old = _snapshot(root / "build")
    # the new outputs: one more translated word, built completely in a copy
    po = polib.pofile(str(root / PO), wrapwidth=0)
    for e in po:
        e.msgstr = e.msgstr + " (revised)"
    po.save(str(root / PO))
    done = root.parent / "done"
    shutil.copytree(root, done)
    assert publish(args, done).returncode == 0
    new = _snapshot(done / "build")
    assert old.keys() == new.keys()
    # every page and book of the translation changes (its cover shows only the title, which did not)
    assert all(old[k] != new[k] for k in old if k.startswith(("en/", "fa-en/")) and not k.endswith(".cover.png"))
    rng = random.Random(7)
    finished = 0
    for i in range(20):
        shutil.rmtree(root / "build")  # back to the old build, build cache included
        for rel, data in old.items():
            (root / "build" / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / "build" / rel).write_bytes(data)
        pdf = i % 5 == 4  # a few runs with the PDF too
        rc = _kill_at(args + (["-f", "pdf"] if pdf else []), root, rng.uniform(0.1, 2.5))
        finished += rc == 0
        for rel, data in _snapshot(root / "build").items():
            if rel.startswith("."):  # the build's own cache, not an output
                continue
            if rel.endswith(".pdf"):
                assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF"), f"run {i}: {rel} is cut"
                continue
            assert data in (old[rel], new[rel]), f"run {i}: {rel} is neither the old nor the new file"
    assert finished < 20, "no run was ever interrupted"


def test_two_updates_at_once(translated):
    """A second update waits for the lock (and says so) instead of writing
    over the first; both finish, the catalog holds every translation."""
    import fcntl
    root = translated
    held = _catalog_state(root)
    (root / SRC).write_text(EDITED_SOURCE, encoding="utf-8")
    before = (root / PO).read_bytes()
    with open(root / ".publish.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # as a running update holds it
        proc = subprocess.Popen([str(PUBLISH), "update"], cwd=root, env=publish_env(), text=True,
                                encoding="utf-8", stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        line = proc.stderr.readline()  # blocks until the second run reports that it waits
        assert "another publish update is running" in line, line
        assert proc.poll() is None and (root / PO).read_bytes() == before
        fcntl.flock(lock, fcntl.LOCK_UN)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert held <= _catalog_state(root)
    # and two real ones side by side
    procs = [subprocess.Popen([str(PUBLISH), "update"], cwd=root, env=publish_env(), stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True) for _ in range(3)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    assert held <= _catalog_state(root)
    assert publish(["update"], root).stdout.count("wrote") == 0  # settled: nothing left to change
