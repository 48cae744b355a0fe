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
    assert "report en: 100% translated" in result.output


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
    # the heading and the title from publish.yml
    assert "doc: 2 units in the template (1 from the text, 1 from publish.yml)" in result.output
    result = invoke(["-C", str(root), "check"])
    assert "1 finding (0 errors)" in result.output, result.output     # the heading, untranslated
    result = invoke(["-C", str(root), "build", "-e", "fa", "-f", "epub"])   # one output (a page has its cover too)
    assert result.exit_code == 0, result.output
    result = invoke(["-C", str(root), "build", "-e", "fa", "-f", "epub"])   # one output (a page has its cover too)
    assert "nothing to do: 1 output up to date" in result.output, result.output


# --- shell completion of the project's names --------------------------------------------

def complete(words: str, cwd: Path, monkeypatch) -> list[str]:
    """What bash offers for ``words`` (the last one being completed), as the
    script ``publish completion bash`` installs asks for it."""
    monkeypatch.chdir(cwd)
    args = words.split() + ([""] if words.endswith(" ") else [])
    result = CliRunner(env={"_PUBLISH_COMPLETE": "bash_complete", "COMP_WORDS": " ".join(args),
                            "COMP_CWORD": str(len(args) - 1)}).invoke(main, [], prog_name="publish")
    assert result.exit_code == 0, result.output
    return [line.split(",", 1)[1] for line in result.output.splitlines() if line]


def test_completion_offers_documents_editions_and_formats(make_project, monkeypatch):
    root = make_project()
    (root / "source" / "fa" / "other.md").write_text("# دیگر\n", encoding="utf-8")
    text = (root / "publish.yml").read_text(encoding="utf-8")
    (root / "publish.yml").write_text(text.replace("    source: source/fa/doc.md\n",
                                                   "    source: source/fa/doc.md\n"
                                                   "  - name: other\n    source: source/fa/other.md\n"),
                                      encoding="utf-8")
    assert complete("publish build ", root, monkeypatch) == ["doc", "other"]
    assert complete("publish status o", root, monkeypatch) == ["other"]
    assert complete("publish update doc ", root, monkeypatch) == ["other"]      # not twice
    assert complete("publish build -e ", root, monkeypatch) == ["fa", "en", "fa-en"]
    assert complete("publish build -e fa -e f", root, monkeypatch) == ["fa-en"]
    assert {"html", "epub", "pdf"} <= set(complete("publish build -f ", root, monkeypatch))
    assert complete("publish check -l ", root, monkeypatch) == ["en"]
    assert set(complete("publish check -c punct", root, monkeypatch)) == {"punctuation", "punctuation-script"}
    # the project named with -C, from anywhere
    assert complete(f"publish -C {root} build -e fa-", root.parent, monkeypatch) == ["fa-en"]


def test_completion_outside_a_project_offers_nothing_and_says_nothing(tmp_path, monkeypatch):
    assert complete("publish build -e ", tmp_path, monkeypatch) == []
    assert complete("publish build ", tmp_path, monkeypatch) == []
    assert complete("publish -C /nonexistent status ", tmp_path, monkeypatch) == []
