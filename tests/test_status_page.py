"""build/status.html: a progress bar, a map of the document unit by unit, an
SVG chart; states from the catalogs and from publish check."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest

from projects import publish
from publish import config
from publish.render import status
from publish.update import update


class _Page(HTMLParser):
    """The parts of the page a reader sees: map squares, bars, chart rects."""

    def __init__(self):
        super().__init__()
        self.squares: list[tuple[str, str]] = []   # (section id, class)
        self.rects: list[str] = []
        self.sections: list[str] = []
        self.svg = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section":
            self.sections.append(a["id"])
        elif tag == "i" and self.sections:
            self.squares.append((self.sections[-1], a["class"]))
            assert a.get("title"), "every square says which unit it is"
        elif tag == "svg":
            self.svg += 1
        elif tag == "rect":
            self.rects.append(a["fill"])


def _latin(msgid: str) -> str:
    """A stand-in translation that passes the checks: the same markup and
    punctuation, Latin words."""
    text = re.sub("[\u0621-\u064a\u067e-\u06d3\u200c]+", "word", msgid)
    return text.replace("؟", "?").replace("،", ",")


SOURCE = """\
# عنوان کتاب

این جمله **مهم** است. جمله بعدی با [پیوند](https://example.com) است! آیا این هم جمله است؟

- مورد فهرست.
- مورد دیگر با *تاکید* است.

این جمله پانویس دارد.[^1]

[^1]: متن پانویس اینجاست.

بند پایانی متن. جمله آخر متن.
"""


@pytest.fixture
def synthetic_project(make_project) -> Path:
    return make_project(source=SOURCE)


@pytest.fixture
def project(synthetic_project) -> config.Project:
    """The synthetic project with en translated in every state: the first
    unit fuzzy, the second failing the numbers check, the last two
    untranslated, the rest translated."""
    proj = config.load(synthetic_project)
    update(proj)
    path = synthetic_project / "translations" / "en" / "doc.po"
    po = polib.pofile(str(path))
    active = [e for e in po if e.msgid and not e.obsolete and e.msgctxt is None]   # the units, not the title
    for i, e in enumerate(active):
        if i >= len(active) - 2:
            continue
        e.msgstr = _latin(e.msgid) if i != 1 else "42 " + _latin(e.msgid)
        if i == 0:
            e.flags.append("fuzzy")
    po.save(str(path))
    return proj


def test_states_come_from_catalog_and_checks(project):
    (s,) = status.collect(project)
    assert (s.document, s.language, s.catalog) == ("doc", "en", "translations/en/doc.po")
    n = len(s.units)
    assert s.counts == {"translated": n - 4, "failing": 1, "fuzzy": 1, "untranslated": 2}
    assert [u.state for u in s.units[:2]] == ["fuzzy", "failing"]
    assert s.units[1].checks == ["numbers"]
    assert [u.number for u in s.units] == list(range(1, n + 1))
    assert all(u.line for u in s.units), "every unit names its line in the PO file"
    # paragraphs follow the document: the three-sentence paragraph is one group
    sizes = [len(p) for p in s.paragraphs()]
    assert sizes[:2] == [1, 3] and sum(sizes) == n
    assert s.units[0].kind == "heading"


def test_page_has_map_bar_and_chart(project):
    path = status.write(project)
    assert path == project.root / "build" / "status.html"
    html = path.read_text(encoding="utf-8")
    page = _Page()
    page.feed(html)
    (s,) = status.collect(project)
    assert page.sections == ["doc-en"]
    assert [cls for _, cls in page.squares] == [u.state for u in s.units]
    assert page.svg == 1
    assert sorted(page.rects) == sorted(status.COLOURS[st] for st in status.STATES)   # one segment per state present
    assert re.search(r">\d+(\.\d)?%</strong> translated", html)
    assert status.write(project) == path and path.read_text(encoding="utf-8") == html  # same input, same page


def test_before_update_everything_is_untranslated(synthetic_project):
    proj = config.load(synthetic_project)
    (s,) = status.collect(proj)
    text = [u for u in s.units if u.paragraph]
    assert text and {u.state for u in text} == {"untranslated"}
    # the title publish.yml gives in English is translated, as publish status counts it
    assert [(u.kind, u.state) for u in s.units if not u.paragraph] == [("title", "translated")]
    assert s.stats.translated == 1 and s.stats.units == len(s.units)


def test_cli_writes_the_page(project):
    proc = publish(["status", "--html"], project.root)
    assert proc.returncode == 0, proc.stderr
    assert "wrote build/status.html" in proc.stdout
    assert (project.root / "build" / "status.html").is_file()
    proc = publish(["status", "--html", "--json"], project.root)
    assert proc.returncode == 0 and proc.stdout.lstrip().startswith("[")   # JSON stays clean on stdout
