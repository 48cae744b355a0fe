"""Figures and tables in the edition tree (layout.py): what each edition
makes of a picture alone in its paragraph and of a table, checked on the
assembled trees (no renderer runs: the PDF's geometry is checked by the
end-to-end tests with tests/pdfgeometry.py)."""
from __future__ import annotations

import pytest

from conftest import SYNTHETIC_CONFIG
from publish import assemble, config, layout, source
from publish.assemble import Edition, Translations
from publish.tree import stringify

SOURCE = """\
# پل

نخستین بند متن.

![نمای پل در شب](media/bridge.png)

| سال | تولید (متر مربع) | صادرات | فروش داخلی (میلیون ریال) | بافندگان |
|---:|---:|---:|---:|---:|
| ۱۴۰۰ | ۱٬۲۱۰ | ۳۱۰ | ۱۱٬۶۳۰ | ۱۱۸ |

| شهر | شمار |
|---|---:|
| یزد | ۳ |

![](media/well.png "چاه کهنه")

بندی با ![تصویر کوچک](media/bridge.png) در میان واژه‌ها.
"""

ENGLISH = {
    "پل": "Bridge",
    "نخستین بند متن.": "The first paragraph.",
    "![نمای پل در شب](media/bridge.png)": "![The bridge at night](media/bridge.png)",
    "سال": "Year", "تولید (متر مربع)": "Production (m²)", "صادرات": "Exports",
    "فروش داخلی (میلیون ریال)": "Home sales (million rials)",
    "بافندگان": "Weavers", "شهر": "City", "شمار": "Count", "یزد": "Yazd",
    '![](media/well.png "چاه کهنه")': '![](media/well.png "An old well")',
}


def _editions(make_project, numbered: bool, translated=ENGLISH):
    text = SYNTHETIC_CONFIG + ("figures:\n  numbered: true\n" if numbered else "")
    root = make_project(config=text, source=SOURCE)
    project = config.load(root)
    doc = project.documents[0]
    src = source.load(doc.source, project.normalize, doc.relsource)
    msgids = list(translated)
    entries = {m: (inl, "translated") for m, inl in zip(msgids, assemble.parse_translations(list(translated.values())))}
    tr = {"en": Translations("en", entries)}
    return {name: assemble.assemble(project, doc, Edition(name, langs), src, tr).blocks
            for name, langs in (("fa", ("fa",)), ("en", ("en",)), ("fa-en", ("fa", "en")))}


def _all(blocks, kind):
    for b in blocks:
        if b["t"] == kind:
            yield b
        if b["t"] == "Div":
            yield from _all(b["c"][1], kind)


def _caption(fig) -> list[str]:
    out = []
    for block in fig["c"][1][1]:
        out.append(stringify(block["c"][1][0]["c"] if block["t"] == "Div" else block["c"]))
    return out


def test_a_picture_alone_is_a_figure_captioned_in_the_editions_language(make_project):
    ed = _editions(make_project, numbered=False)
    assert [_caption(f) for f in _all(ed["fa"], "Figure")] == [["نمای پل در شب"], ["چاه کهنه"]]
    # the caption is the translator's description of the picture (its title when it has none)
    assert [_caption(f) for f in _all(ed["en"], "Figure")] == [["The bridge at night"], ["An old well"]]
    # a picture among words stays in its line
    assert sum(1 for b in ed["fa"] if b["t"] == "Para" and "Image" in str(b)) == 1


def test_figures_are_numbered_when_the_project_asks_in_each_languages_digits(make_project):
    ed = _editions(make_project, numbered=True)
    assert [_caption(f) for f in _all(ed["fa"], "Figure")] == [["شکل ۱: نمای پل در شب"], ["شکل ۲: چاه کهنه"]]
    assert [_caption(f) for f in _all(ed["en"], "Figure")] == [["Figure 1: The bridge at night"],
                                                              ["Figure 2: An old well"]]


def test_parallel_text_prints_a_shared_picture_once_with_both_captions(make_project):
    ed = _editions(make_project, numbered=True)
    figures = list(_all(ed["fa-en"], "Figure"))
    assert len(figures) == 2 and str(ed["fa-en"]).count("'Image'") == 2 + 2   # + the inline one, per side
    for fig in figures:
        assert "shared" in fig["c"][0][1]
        langs = [dict(block["c"][0][2])["lang"] for block in fig["c"][1][1]]
        assert langs == ["fa", "en"]
    assert _caption(figures[0]) == ["شکل ۱: نمای پل در شب", "Figure 1: The bridge at night"]
    # a figure is never inside a pair's column
    assert not any(list(_all(b["c"][1], "Figure")) for b in ed["fa-en"] if b["t"] == "Div")


def test_untranslated_caption_is_marked_with_the_sources_language(make_project):
    ed = _editions(make_project, numbered=False, translated={})
    [first, _] = _all(ed["en"], "Figure")
    [plain] = first["c"][1][1]
    span = plain["c"][0]
    assert span["t"] == "Span" and dict(span["c"][0][2]) == {"lang": "fa", "dir": "rtl"}


def test_a_table_too_wide_for_a_column_is_set_across_the_page(make_project):
    ed = _editions(make_project, numbered=False)
    stacked = [b for b in ed["fa-en"] if b["t"] == "Div" and "stacked" in b["c"][0][1]]
    assert len(stacked) == 1   # the five-column table; the two-column one stays in the columns
    sides = stacked[0]["c"][1]
    assert [dict(s["c"][0][2])["lang"] for s in sides] == ["fa", "en"]   # the original first
    assert all(s["c"][1][0]["t"] == "Table" for s in sides)
    pairs = [b for b in ed["fa-en"] if b["t"] == "Div" and "pair" in b["c"][0][1]]
    assert sum(1 for p in pairs if list(_all(p["c"][1], "Table"))) == 1


@pytest.mark.parametrize("columns, word, fits", [(2, 6, True), (3, 6, True), (3, 10, False), (4, 3, False)])
def test_whether_a_table_fits_half_a_page(columns, word, fits):
    def table(n, w):
        cell = lambda: [["", [], []], {"t": "AlignDefault"}, 1, 1, [{"t": "Plain", "c": [{"t": "Str", "c": "x" * w}]}]]
        row = [["", [], []], [cell() for _ in range(n)]]
        return {"t": "Table", "c": [["", [], []], [None, []], [[{"t": "AlignDefault"}, {"t": "ColWidthDefault"}]] * n,
                                    [["", [], []], [row]], [[["", [], []], 0, [], [row]]], [["", [], []], []]]}
    assert layout.fits_column(table(columns, word), table(columns, 2)) is fits


def test_wide_tables_are_marked_for_print(make_project):
    ed = _editions(make_project, numbered=False)
    classes = [t["c"][0][1] for t in _all(ed["fa"], "Table")]
    assert classes == [["wide"], []]


def test_the_source_editions_json_is_its_tree(make_project):
    root = make_project(config=SYNTHETIC_CONFIG, source=SOURCE)
    project = config.load(root)
    doc = project.documents[0]
    src = source.load(doc.source, project.normalize, doc.relsource)
    a = assemble.assemble(project, doc, Edition("fa", ("fa",)), src, {})
    import json
    from publish.tree import to_json
    assert [json.loads(j) for j in a.blocks_json()] == [json.loads(to_json(b)) for b in a.blocks]
