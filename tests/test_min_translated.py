"""``publish build --min-translated N`` (issue 17, point 6): as po4a's
``--keep``, a language less than N% translated gets none of its editions
built, with one line saying so, and the build exits 0; the source's edition
is always built.  In process (CliRunner), pages only."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from publish import catalog
from publish.cli import main

CONFIG = """\
title:
  fa: آزمون
  en: Test
  de: Prüfung
source_language: fa
target_languages: [en, de]
documents:
  - name: doc
    source: source/fa/doc.md
"""
SOURCE = """\
# عنوان کتاب

جمله اول اینجاست. جمله دوم اینجاست. جمله سوم اینجاست.
"""


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def project(make_project) -> Path:
    """en: every unit translated (100%); de: the title and the heading of
    five units (40%)."""
    root = make_project(config=CONFIG, source=SOURCE)
    assert run("-C", str(root), "update").exit_code == 0
    for lang, done in (("en", 5), ("de", 1)):
        path = root / f"translations/{lang}/doc.po"
        po = catalog.read(path)
        units = [e for e in po if e.msgid and not e.obsolete and e.msgctxt is None]
        for e in units[:done]:
            e.msgstr = f"{lang.upper()} {len(e.msgid)}."
        path.write_text(catalog.render(po), encoding="utf-8")
    return root


def built(root: Path) -> set[str]:
    return {p.parent.name for p in (root / "build").glob("*/doc.html")}


def test_a_language_under_the_threshold_is_not_built(project):
    [row_de] = [r for r in (run("-C", str(project), "status").output.splitlines()) if r.startswith("doc de:")]
    assert row_de == "doc de: 40% translated"
    result = run("-C", str(project), "build", "-f", "html", "-j", "1", "--min-translated", "50")
    assert result.exit_code == 0, result.output          # the policy at work, not a failure
    assert built(project) == {"fa", "en", "fa-en"}       # the source's edition always
    assert ("publish: doc de: 40% translated, under --min-translated 50%: "
            "the de and fa-de editions are not built\n") in result.stderr
    assert "doc en: 100% translated (5 of 5 units)" in result.stdout
    assert "doc de:" not in result.stdout                # no progress line for what was not built
    # at the threshold it is built: "under" is strictly under
    result = run("-C", str(project), "build", "-f", "html", "-j", "1", "--min-translated", "40")
    assert result.exit_code == 0 and "not built" not in result.stderr
    assert built(project) == {"fa", "en", "fa-en", "de", "fa-de"}


def test_only_what_was_asked_for_is_named(project):
    result = run("-C", str(project), "build", "-f", "html", "-e", "de", "--min-translated", "50")
    assert result.exit_code == 0, result.output
    assert result.stderr == ("publish: doc de: 40% translated, under --min-translated 50%: "
                             "the de edition is not built\n")
    assert not (project / "build/de").exists()


def test_the_threshold_is_a_percentage(project):
    result = run("-C", str(project), "build", "--min-translated", "101")
    assert result.exit_code == 2 and "101" in result.stderr
