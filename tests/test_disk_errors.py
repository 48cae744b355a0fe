"""Issue 14, case 15: a full disk or a read-only folder is one line naming
the file, exit 1, no traceback, and every file already there unchanged.

The machine's refusals are made here by patching the system calls publish
writes through (a test cannot fill the disk it runs on); the CLI is run in
process so the patch reaches it."""
from __future__ import annotations

import errno
import os

import pytest
from click.testing import CliRunner

from publish import files
from publish.cli import main
from publish.errors import PublishError


def _refuse(code: int):
    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code))
    return refuse


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT])
def test_a_full_disk_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch, code):
    target = tmp_path / "doc.po"
    target.write_text("old\n", encoding="utf-8")
    monkeypatch.setattr(files.os, "fsync", _refuse(code))
    with pytest.raises(PublishError) as caught:
        files.write_atomic(target, "new\n")
    assert "cannot write" in str(caught.value) and str(target.name) in str(caught.value)
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["doc.po"]


def test_a_read_only_folder_is_named(tmp_path, monkeypatch):
    def read_only(*args, dir=None, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(dir))
    monkeypatch.setattr(files.tempfile, "mkstemp", read_only)
    with pytest.raises(PublishError) as caught:
        files.write_atomic(tmp_path / "x" / "doc.po", "new\n")
    assert "read-only file system" in str(caught.value)
    assert "doc.po" in str(caught.value)


def _snapshot(root):
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and "build" not in p.parts}


@pytest.mark.parametrize("command", [["update"], ["build", "-e", "en", "-f", "html"]])
@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EACCES])
def test_commands_say_one_line_and_change_nothing(synthetic_project, monkeypatch, command, code):
    runner = CliRunner()
    assert runner.invoke(main, ["-C", str(synthetic_project), "update"]).exit_code == 0
    # a change the next update must write, so the refusal is met
    src = next((synthetic_project / "source" / "fa").glob("*.md"))
    src.write_text(src.read_text(encoding="utf-8") + "\nجمله‌ای تازه برای آزمون.\n", encoding="utf-8")
    before = _snapshot(synthetic_project)
    monkeypatch.setattr(files.os, "fsync", _refuse(code))
    result = runner.invoke(main, ["-C", str(synthetic_project), *command])
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert lines[-1].startswith("publish: ") and "cannot write" in lines[-1], result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert _snapshot(synthetic_project) == before


def test_an_unguarded_write_is_one_line_too(synthetic_project, monkeypatch):
    """A renderer that writes its own file (not through write_atomic) and
    meets a full disk: the command still ends in one line."""
    from publish import build

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(synthetic_project / "build" / "x.pdf"))
    monkeypatch.setattr(build, "write_atomic", full)
    result = CliRunner().invoke(main, ["-C", str(synthetic_project), "build", "-e", "en", "-f", "html"])
    assert result.exit_code == 1, result.output
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("publish: ") and last.endswith("x.pdf: cannot write (no space left on device); "
                                                         "files already there are unchanged"), result.output
