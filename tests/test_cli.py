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
