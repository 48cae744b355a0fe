"""Properties over generated documents (hypothesis).

* Identity: the source, cut into units, written to a catalog and read back,
  with every unit "translated" into itself and assembled, is the source's
  own tree again — headings, emphasis, links, code, lists, tables, quotations
  and footnotes included.
* No loss: a catalog translated for one document, merged into the template
  of any other and back, still holds every translation.

Each example costs two pandoc runs, so the example counts stay modest.
"""
from __future__ import annotations

import polib
from hypothesis import HealthCheck, given, settings

from conftest import all_msgstrs
from publish import assemble, catalog, source, units
from publish.tree import clean
from strategies import document

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                           HealthCheck.function_scoped_fixture])


def _source(project, doc, text: str) -> source.Source:
    return source.parse(text, project.normalize, doc.relsource, doc.source)


def _catalog(project, doc, src: source.Source) -> polib.POFile:
    """The template as the next run would read it from disk."""
    found = units.extract(src.blocks, project.segmentation == "sentence", project.abbreviations)
    pot = catalog.template(project, doc, found)
    return catalog.parse(catalog.render(pot), "doc.pot")


def _without_unit_spans(node):
    """``node`` with each unit's span (class u) replaced by its content."""
    if isinstance(node, list):
        out = []
        for x in node:
            if isinstance(x, dict) and x.get("t") == "Span" and "u" in x["c"][0][1]:
                out.extend(_without_unit_spans(x["c"][1]))
            else:
                out.append(_without_unit_spans(x))
        return out
    if isinstance(node, dict):
        return {k: _without_unit_spans(v) for k, v in node.items()}
    return node


@SETTINGS
@given(text=document())
def test_identity_translation_reproduces_the_source_tree(synthetic_doc, text):
    project, doc = synthetic_doc
    src = _source(project, doc, text)
    pot = _catalog(project, doc, src)
    msgids = [e.msgid for e in pot]
    parsed = assemble.parse_translations(msgids)
    tr = assemble.Translations("fa", {m: (inl, "translated") for m, inl in zip(msgids, parsed)})
    blocks, progress = assemble.build_tree(src, project, "fa", tr, mark_units=False)
    assert progress.translated == progress.units
    # each unit stands in its anchored span (u-<anchor>); inside, the source itself
    assert clean(_without_unit_spans(blocks)) == clean(src.blocks)
    # the source edition skips the walk (assemble.build_tree): the walk would give the source itself
    walked = units.rebuild(src.blocks, lambda unit, piece, notes: assemble._place_notes_from_source(piece, notes),
                           project.segmentation == "sentence", project.abbreviations)
    assert walked == src.blocks


@SETTINGS
@given(first=document(), second=document())
def test_merging_into_any_other_document_loses_no_translation(synthetic_doc, first, second):
    project, doc = synthetic_doc
    pot1 = _catalog(project, doc, _source(project, doc, first))
    pot2 = _catalog(project, doc, _source(project, doc, second))
    po1 = catalog.merge(pot1, None, "en")
    for e in po1:
        e.msgstr = "EN " + e.msgid
    po1 = catalog.parse(catalog.render(po1), "en/doc.po")
    po2 = catalog.parse(catalog.render(catalog.merge(pot2, po1, "en")), "en/doc.po")
    assert all_msgstrs(po1) <= all_msgstrs(po2)
    back = catalog.parse(catalog.render(catalog.merge(pot1, po2, "en")), "en/doc.po")
    assert all_msgstrs(po1) <= all_msgstrs(back)
    # a unit both documents have keeps its exact translation all the way
    # (one only the first has may come back fuzzy: its translation was lent
    # to a similar unit of the second, as msgmerge does, and not kept obsolete)
    shared = {e.msgid for e in pot1} & {e.msgid for e in pot2}
    for e in back:
        if e.msgid in shared and not e.obsolete:
            assert e.msgstr == "EN " + e.msgid and "fuzzy" not in e.flags
