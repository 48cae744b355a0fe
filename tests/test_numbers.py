"""One set of numbers everywhere (issue 17, point 3): ``publish status``, its
``--json``, build/status.html, the colophon and the summary ``publish build``
prints count the same units the same way (``status.count``), on a catalog
with translated, fuzzy, untranslated, blank and failing units, a sentence the
text repeats and a title from publish.yml.  In process (CliRunner)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from publish import catalog, status
from publish.catalog import Stats
from publish.cli import main
from publish.render.labels import label

CONFIG = """\
title:
  fa: آزمون
subtitle:
  fa: زیرعنوان
  en: The subtitle
source_language: fa
target_languages: [en]
documents:
  - name: doc
    source: source/fa/doc.md
segmentation: sentence
"""
# Nine sentences, one of them twice: eight units of text.
SOURCE = """\
# عنوان کتاب

این جمله **مهم** است. جمله بعدی با [پیوند](https://example.com) است! آیا این هم جمله است؟

- مورد فهرست.
- مورد دیگر با *تاکید* است.

این جمله **مهم** است.

بند پایانی متن. جمله آخر متن.
"""
PO = "translations/en/doc.po"


def run(*args: str):
    result = CliRunner().invoke(main, list(args))
    return result


def _latin(msgid: str) -> str:
    """A translation that passes the checks: the same markup, Latin words."""
    text = re.sub("[\u0621-\u064a\u067e-\u06d3\u200c]+", "word", msgid)
    return text.replace("؟", "?").replace("،", ",")


@pytest.fixture
def project(make_project) -> Path:
    """Units: 8 of the text (one sentence twice), the title and the subtitle
    (publish.yml gives its English: translated).  Of the text: the first
    fuzzy, the second failing the numbers check (still translated), the
    third only a ZWNJ and a space (untranslated: nothing to print), the last
    two untranslated, three translated.  The title untranslated."""
    root = make_project(config=CONFIG, source=SOURCE)
    assert run("-C", str(root), "update").exit_code == 0
    po = catalog.read(root / PO)
    text = [e for e in po if not e.obsolete and e.msgid and e.msgctxt is None]
    assert len(text) == 8
    for i, e in enumerate(text[:-2]):
        e.msgstr = {0: _latin(e.msgid), 1: "42 " + _latin(e.msgid), 2: "\u200c "}.get(i, _latin(e.msgid))
        if i == 0:
            e.flags.append("fuzzy")
    (root / PO).write_text(catalog.render(po), encoding="utf-8")
    return root


# units 10: translated 3 + failing 1 + subtitle = 5, fuzzy 1, untranslated 1 blank + 2 + title = 4
EXPECTED = {"units": 10, "translated": 5, "fuzzy": 1, "untranslated": 4}


def test_five_places_give_the_same_numbers(project):
    u, t, f, n = (EXPECTED[k] for k in ("units", "translated", "fuzzy", "untranslated"))
    pct = status.percent(Stats(units=u, translated=t))
    assert pct == "50"

    # 1. publish status: the table's row and the line under it
    result = run("-C", str(project), "status")
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if line.startswith("doc "))
    assert row.split()[2:6] == [str(u), str(t), str(f), str(n)], row
    assert f"doc en: {pct}% translated\n" in result.output

    # 2. publish status --json
    result = run("-C", str(project), "status", "--json")
    [row] = json.loads(result.output)
    assert {k: row[k] for k in EXPECTED} == EXPECTED and row["percent"] == 50.0
    assert row["catalog_exists"] and not row["needs_update"]

    # 3. build/status.html: the failing unit among the translated, shown apart
    assert run("-C", str(project), "status", "--html").exit_code == 0
    page = (project / "build/status.html").read_text(encoding="utf-8")
    assert f"<strong>{pct}%</strong> translated · {u} units: {t} translated (1 failing a check) · " \
           f"{f} fuzzy (to review) · {n} untranslated" in page
    assert f"{pct}% of all units translated" in page
    assert page.count('<i class="failing"') == 1 and page.count('<i class="untranslated"') == n
    assert page.count("<i class=") == u, "one square per unit"

    # 4 and 5. the summary of publish build, and the colophon of the edition
    result = run("-C", str(project), "build", "-e", "en", "-f", "html", "-j", "1")
    assert result.exit_code == 0, result.output
    assert f"doc en: {pct}% translated ({t} of {u} units); {n} untranslated and {f} fuzzy " \
           f"shown in the original" in result.output
    html = (project / "build/en/doc.html").read_text(encoding="utf-8")
    assert f"{pct}% of the text translated ({t} of {u} units)." in html


def test_before_the_first_update_status_says_to_run_it(make_project):
    root = make_project(config=CONFIG, source=SOURCE)
    result = run("-C", str(root), "status")
    assert result.exit_code == 0, result.output
    assert f"doc en: no catalog yet ({PO}); run publish update" in result.output
    assert "100" not in result.output          # not "0 units … 100.0% translated"
    [row] = json.loads(run("-C", str(root), "status", "--json").output)
    assert row["units"] == 10 and row["translated"] == 1 and not row["catalog_exists"] and row["needs_update"]


def test_update_and_status_name_the_same_units(make_project):
    root = make_project(config=CONFIG, source=SOURCE)
    result = run("-C", str(root), "update")
    # a sentence the text has twice is one unit, as status counts it
    assert "doc: 10 units in the template (8 from the text, 2 from publish.yml)" in result.output
    [row] = json.loads(run("-C", str(root), "status", "--json").output)
    assert row["units"] == 10


def test_a_source_edited_after_update_is_counted_and_said(project):
    src = project / "source/fa/doc.md"
    src.write_text(src.read_text(encoding="utf-8") + "\nجمله تازه.\n", encoding="utf-8")
    [row] = json.loads(run("-C", str(project), "status", "--json").output)
    assert row["units"] == 11 and row["untranslated"] == 5 and row["needs_update"]
    assert "the catalog is behind the source (run publish update)" in run("-C", str(project), "status").output


@pytest.mark.parametrize("value, shown", [(100, "100"), (62.06, "62.1"), (99.96, "99.9"), (0.01, "0.1"), (0, "0")])
def test_a_percentage_is_never_rounded_to_complete_or_empty(value, shown):
    units = 10000
    assert status.percent(Stats(units=units, translated=round(value * units / 100))) == shown


@pytest.mark.parametrize("lang, one, two", [
    ("en", "(1 of 1 unit).", "(2 of 2 units)."),
    ("de", "(1 von 1 Einheit).", "(2 von 2 Einheiten)."),
    ("fa", "(۱ از ۱ واحد).", "(۲ از ۲ واحد)."),
    ("ru", "(1 of 1 unit).", "(2 of 2 units)."),     # English words, English plural rules
])
def test_the_colophon_counts_one_unit_in_the_singular(lang, one, two):
    for n, expected in ((1, one), (2, two)):
        assert label(lang, "complete", count=n, percent="100", translated=n, units=n).endswith(expected)
