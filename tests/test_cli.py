"""The command line's small things (issue 20): the status table at 80
columns, what init says, what a command says outside a project, plurals in
the summary lines and shell completion of the project's own names.  All in
process (click's CliRunner), so they stay quick."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from publish.cli import main


def invoke(args, **env: str):
    """``publish ARGS`` in process, with ``env`` (COLUMNS=80) set meanwhile."""
    return CliRunner(env=env).invoke(main, args)


# --- status ----------------------------------------------------------------------------

HEADERS = ("document", "language", "units", "translated", "fuzzy", "untranslated", "words", "progress")


@pytest.mark.parametrize("columns", [80, 120])
def test_status_fits_the_terminal_and_uses_its_width(project_dir, columns):
    result = invoke(["-C", str(project_dir), "status"], COLUMNS=str(columns))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(map(len, lines)) == columns, result.output       # all of it, and no more
    header = next(line for line in lines if line.startswith("document"))
    assert header.split() == list(HEADERS), header              # every header whole: no "transla…"
    assert "…" not in result.output
    assert "report en: 100.0% translated" in result.output


# --- init, and commands outside a project -----------------------------------------------

def test_init_without_a_folder_says_where_and_no_cd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke(["init"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "publish.yml").is_file()
    assert f"new project in {tmp_path.resolve()}" in result.output
    assert "cd ." not in result.output and "next: publish import" in result.output
    assert "  wrote publish.yml" in result.output


def test_init_into_a_folder_says_cd_to_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke(["init", "my book"])
    assert result.exit_code == 0, result.output
    assert "next: cd 'my book' && publish import" in result.output
    assert (tmp_path / "my book" / "publish.yml").is_file()


def test_outside_a_project_every_command_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for args in (["status"], ["update"], ["check"], ["build"], ["glossary"]):
        result = invoke(args)
        assert result.exit_code == 1, (args, result.output)
        [line] = result.output.splitlines()
        assert line.startswith("publish: no publish.yml in this folder"), line
        assert "`publish init`" in line and "-C DIR" in line, line


def test_project_folder_that_does_not_exist_is_named(tmp_path):
    missing = tmp_path / "nowhere"
    result = invoke(["-C", str(missing), "status"])
    assert result.exit_code == 1
    assert result.output.strip() == f"publish: {missing}: no such folder"
    empty = tmp_path / "empty"
    empty.mkdir()
    result = invoke(["-C", str(empty), "status"])
    assert result.output.startswith(f"publish: {empty}: no publish.yml in this folder")
    assert f"`publish init {empty}`" in result.output


# --- plurals in the summary lines -----------------------------------------------------------

def test_counts_are_singular_for_one(make_project):
    root = make_project(source="# عنوان\n")
    result = invoke(["-C", str(root), "update"])
    assert result.exit_code == 0, result.output
    assert "doc: 1 unit, " in result.output and "1 units" not in result.output
    result = invoke(["-C", str(root), "check"])
    assert "1 finding (0 errors)" in result.output, result.output     # the heading, untranslated
    result = invoke(["-C", str(root), "build", "-e", "fa", "-f", "epub"])   # one output (a page has its cover too)
    assert result.exit_code == 0, result.output
    result = invoke(["-C", str(root), "build", "-e", "fa", "-f", "epub"])   # one output (a page has its cover too)
    assert "nothing to do: 1 output up to date" in result.output, result.output
