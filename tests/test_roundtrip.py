"""Catalogs change only when the text does (issue 17).

A catalog saved by a translator's tool, then ``publish update``, must be the
file the tool saved, byte for byte (a ``git diff`` with nothing in it): for
polib, GNU msgcat, msguniq and msgattrib, translate-toolkit (what Weblate
writes with) and a Weblate-style header.  Where a tool's save cannot be kept,
the test says why and pins down exactly what differs.  Then: an edit of the
source undone leaves all three files as they were; removing a list item
changes no other entry; ``catalog.wrap: N`` is what ``msgcat -w N`` writes.

Everything runs in-process on a copy of the real project (one pandoc parse,
kept in its trees cache), the gettext tools as subprocesses.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from publish import catalog, config, units, update
from publish.errors import PublishError

from conftest import SYNTHETIC_CONFIG, gettext, gettext_writes
from projects import copy_project

PO = "translations/en/report.po"
POT = "translations/templates/report.pot"
SOURCE = "source/fa/report.md"


def set_wrap(root: Path, width: int) -> None:
    path = root / "publish.yml"
    text = re.sub(r"\n  wrap: \d+\n", "\n", path.read_text(encoding="utf-8"))
    path.write_text(text.replace("\ncatalog:\n", f"\ncatalog:\n  wrap: {width}\n", 1), encoding="utf-8")


def run_update(root: Path) -> None:
    update.update(config.load(root))


@pytest.fixture(scope="module")
def settled(tmp_path_factory) -> Path:
    """The real project after one update (its catalogs in today's form), a
    fuzzy entry with its ``#| msgid`` and an obsolete one with its own."""
    root = copy_project(tmp_path_factory.mktemp("roundtrip") / "project")
    run_update(root)
    po = catalog.read(root / PO)
    entries = [e for e in po if not e.obsolete and e.msgstr and e.msgctxt is None]
    entries[5].flags.insert(0, "fuzzy")
    entries[5].previous_msgid = entries[5].msgid.replace("ما", "ما هم", 1)
    po.append(polib.POEntry(msgid="جمله‌ای که دیگر نیست.", msgstr="A sentence no longer there.", obsolete=True,
                            flags=["fuzzy", "md-text"], previous_msgid="جمله‌ای که نبود."))
    (root / PO).write_text(catalog.render(po), encoding="utf-8")
    run_update(root)
    return root


@pytest.fixture
def project(settled, tmp_path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(settled, root, symlinks=True)
    return root


def differing_lines(a: str, b: str) -> list[str]:
    import difflib
    return [line for line in difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


# --- each writer ---------------------------------------------------------------------

def polib_save(width):
    def save(path: Path) -> None:
        polib.pofile(str(path), wrapwidth=width).save(str(path))
    return save


def gettext_save(*tool):
    def save(path: Path) -> None:
        proc = gettext(*tool, path)
        assert proc.returncode == 0, proc.stderr
        path.write_text(proc.stdout, encoding="utf-8")
    return save


def toolkit_save(width):
    """translate-toolkit's PO store, as Weblate reads and writes a file
    (``po_line_wrap`` is its width; 65535 is Weblate's "no wrapping")."""
    def save(path: Path) -> None:
        from translate.storage import pypo
        with open(path, "rb") as fh:
            store = pypo.pofile(fh, width=width)
        path.write_bytes(bytes(store))
    return save


# (name, save, catalog.wrap)
KEPT = [
    ("polib, wrapwidth=0", polib_save(0), 0),
    ("translate-toolkit (Weblate, po_line_wrap 65535)", toolkit_save(65535), 0),
]


@pytest.mark.parametrize("name,save,wrap", KEPT, ids=[k[0] for k in KEPT])
def test_a_tool_save_is_kept_byte_for_byte(project, name, save, wrap):
    set_wrap(project, wrap)
    run_update(project)
    save(project / PO)
    saved = (project / PO).read_bytes()
    run_update(project)
    assert (project / PO).read_bytes() == saved


# GNU gettext (0.21 here) drops every flag it does not know, md-text among
# them.  publish puts md-text back, since without it Weblate would not run its
# Markdown checks: the one difference is that flag, and nothing else.
GETTEXT = [
    ("msgcat --no-wrap", ("msgcat", "--no-wrap"), 0),
    ("msgcat (wraps at 79)", ("msgcat",), 79),
    ("msgcat -w 60", ("msgcat", "-w", "60"), 60),
    ("msguniq (wraps at 79)", ("msguniq",), 79),
    ("msgattrib (wraps at 79)", ("msgattrib",), 79),
]


@pytest.mark.parametrize("name,tool,wrap", GETTEXT, ids=[g[0] for g in GETTEXT])
def test_a_gettext_save_differs_only_by_the_flag_gettext_drops(project, name, tool, wrap):
    set_wrap(project, wrap)
    run_update(project)
    before = (project / PO).read_text(encoding="utf-8")
    assert "#, md-text" in before
    # what the tool writes of the catalog, md-text aside, is what publish wrote
    assert gettext_writes(project / PO, *tool) == before
    gettext_save(*tool)(project / PO)
    saved = (project / PO).read_text(encoding="utf-8")
    assert "md-text" not in saved
    run_update(project)
    after = (project / PO).read_text(encoding="utf-8")
    # an obsolete entry is no longer in the template, so nothing gives it md-text
    # back; Weblate does not show obsolete entries, so nothing is lost
    assert after == "\n\n".join(_without_md_text(b) if "\n#~ msgid" in b else b for b in before.split("\n\n"))
    changed = differing_lines(saved, after)
    assert changed and all(re.fullmatch(r"[-+]#, (?:fuzzy, )?md-text|[-+]#, fuzzy", line) for line in changed), \
        changed[:6]


def _without_md_text(block: str) -> str:
    block = re.sub(r"^#, md-text\n", "", block, flags=re.M)
    return re.sub(r"^(#, .*), md-text$", r"\1", block, flags=re.M)


def test_polib_wrapping_is_not_gettexts(project):
    """polib (wrapwidth 78, its default) wraps with Python's textwrap: it
    wraps comments too, and breaks lines elsewhere than gettext's Unicode
    line breaking.  So a polib save cannot be kept byte for byte: publish
    writes gettext's form (``catalog.wrap: 78``: msgcat -w 78) of the
    strings and of its own comments, and keeps the translator's comments as
    polib left them (split into lines: they are the translator's text now).
    polib does not read ``#~|`` lines, so its save loses them for good.  The
    file is stable from then on."""
    set_wrap(project, 78)
    run_update(project)
    ours = (project / PO).read_text(encoding="utf-8")
    polib_save(78)(project / PO)
    theirs = (project / PO).read_text(encoding="utf-8")
    assert any(line[1:].startswith("#. ") for line in differing_lines(ours, theirs))   # gettext keeps them whole
    run_update(project)
    after = (project / PO).read_text(encoding="utf-8")
    # and polib never reads an obsolete entry's "#~| msgid": its save has lost it
    bad = [line for line in differing_lines(ours, after) if not line[1:].startswith("# ")
           and not line.startswith("-#~| ")]
    assert not bad, bad[:6]
    run_update(project)
    assert (project / PO).read_text(encoding="utf-8") == after
    # what the translator wrote is all there
    assert [(e.msgid, e.msgstr, e.flags) for e in catalog.read(project / PO)] == \
        [(e.msgid, e.msgstr, e.flags) for e in polib.pofile(theirs)]


def test_translate_toolkit_at_77_wraps_a_changed_unit_its_own_way(project):
    """translate-toolkit at its default width (77, Weblate's default
    ``po_line_wrap``) keeps the lines of the units it did not change, so a
    save of publish's file is the same file.  A unit it changes it wraps
    with its own copy of gettext's rule, which breaks some lines one word
    apart from ``msgcat -w 77``: publish writes gettext's form of that unit
    on the next update.  Hence docs/weblate.md: ``po_line_wrap`` 65535 with
    ``catalog.wrap: 0``, which test_a_tool_save_is_kept_byte_for_byte keeps
    byte for byte."""
    from translate.storage import pypo
    set_wrap(project, 77)
    run_update(project)
    ours = (project / PO).read_text(encoding="utf-8")
    toolkit_save(77)(project / PO)
    assert (project / PO).read_text(encoding="utf-8") == ours
    with open(project / PO, "rb") as fh:
        store = pypo.pofile(fh, width=77)
    changed = [u for u in store.units if u.target and len(u.target) > 200 and not u.isheader()]
    for u in changed:
        u.target = u.target + " (revised)"
    (project / PO).write_bytes(bytes(store))
    theirs = (project / PO).read_text(encoding="utf-8")
    run_update(project)
    after = (project / PO).read_text(encoding="utf-8")
    assert after == gettext_writes(project / PO, "msgcat", "-w", "77")
    assert [(e.msgid, e.msgstr) for e in catalog.parse(theirs, PO)] == [(e.msgid, e.msgstr) for e in catalog.read(project / PO)]
    # only the lines of the strings it wrote differ
    assert all(line[1:].startswith('"') for line in differing_lines(theirs, after))


def test_a_weblate_save_is_kept(project):
    """What Weblate 5.14 writes on commit (shared/NOTES-weblate.md): its
    header fields, its own spelling of Plural-Forms, the changed unit
    alone re-serialised (no wrapping at po_line_wrap 65535)."""
    run_update(project)
    text = (project / PO).read_text(encoding="utf-8")
    weblate = {
        "PO-Revision-Date": "2026-11-30 21:04+0000",
        "Last-Translator": "Sara Translator <sara@example.org>",
        "Language-Team": "English <http://127.0.0.1:8080/projects/report/report/en/>",
        "Plural-Forms": "nplurals=2; plural=n != 1;",
        "X-Generator": "Weblate 5.14.3",
    }
    for key, value in weblate.items():
        text, n = re.subn(rf'^"{key}: .*\\n"$', f'"{key}: {value}\\\\n"', text, count=1, flags=re.M)
        assert n == 1, key
    # a translator fills in an empty unit and marks another as needing editing
    po = catalog.parse(text, PO)
    target = next(e for e in po if not e.obsolete and e.msgstr and "fuzzy" not in e.flags and e.msgctxt is None)
    old_block = catalog.render(_one(target)).split("\n\n", 1)[1]
    target.flags = sorted(["fuzzy", *target.flags])         # translate-toolkit sorts the flags
    target.msgstr = target.msgstr + " (revised)"
    new_block = catalog.render(_one(target)).split("\n\n", 1)[1]
    assert old_block in text
    text = text.replace(old_block, new_block, 1)
    (project / PO).write_text(text, encoding="utf-8")
    run_update(project)
    assert (project / PO).read_text(encoding="utf-8") == text
    # and an update after a source edit keeps Weblate's header as it is
    source = project / SOURCE
    source.write_text(source.read_text(encoding="utf-8") + "\nیک جمله تازه.\n", encoding="utf-8")
    run_update(project)
    po = catalog.read(project / PO)
    for key, value in weblate.items():
        assert po.metadata[key] == value, key


def _one(entry: polib.POEntry) -> polib.POFile:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(entry)
    return po


def test_a_different_plural_rule_is_replaced(project):
    run_update(project)
    path = project / PO
    path.write_text(path.read_text(encoding="utf-8").replace("plural=(n != 1);", "plural=n > 1;"), encoding="utf-8")
    run_update(project)
    assert catalog.read(path).metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"


# --- edits ---------------------------------------------------------------------------

def test_an_edit_undone_leaves_all_three_files_as_they_were(project):
    run_update(project)
    files = [project / POT, project / PO]
    before = [p.read_bytes() for p in files]
    source = project / SOURCE
    text = source.read_text(encoding="utf-8")
    po = catalog.read(project / PO)
    fuzzy = next(e for e in po if "fuzzy" in e.flags and not e.obsolete)
    assert fuzzy.previous_msgid is not None
    # a paragraph removed (its translations go to obsolete), the fuzzy unit's sentence changed
    paragraphs = text.split("\n\n")
    edited = "\n\n".join(paragraphs[:3] + paragraphs[4:])
    words = fuzzy.msgid.split()
    assert " ".join(words) in edited
    edited = edited.replace(" ".join(words), " ".join(words[:-1] + ["واقعاً", words[-1]]), 1)
    source.write_text(edited, encoding="utf-8")
    run_update(project)
    assert [p.read_bytes() for p in files] != before
    middle = catalog.read(project / PO)
    moved = next(e for e in middle if "fuzzy" in e.flags and "واقعاً" in e.msgid)
    assert moved.previous_msgid == fuzzy.previous_msgid    # still the text the translation was made from
    assert any(e.obsolete for e in middle)
    source.write_text(text, encoding="utf-8")
    run_update(project)
    assert [p.read_bytes() for p in files] == before


def test_previous_msgid_survives_obsolete(project):
    run_update(project)
    po = catalog.read(project / PO)
    gone = next(e for e in po if e.obsolete and e.previous_msgid)
    assert "#~| msgid" in (project / PO).read_text(encoding="utf-8")
    assert gone.previous_msgid == "جمله‌ای که نبود."
    # the source gets the sentence back: the entry returns fuzzy, with its "#| msgid"
    source = project / SOURCE
    source.write_text(source.read_text(encoding="utf-8") + "\n" + gone.msgid + "\n", encoding="utf-8")
    run_update(project)
    back = next(e for e in catalog.read(project / PO) if e.msgid == gone.msgid)
    assert not back.obsolete and back.flags[0] == "fuzzy" and "md-text" in back.flags
    assert back.previous_msgid == "جمله‌ای که نبود." and back.msgstr == gone.msgstr


def test_removing_a_list_item_changes_no_other_entry(make_project):
    items = "\n".join(f"- مورد شماره {i} از فهرست بلند." for i in range(1, 8))
    # line_numbers: false, as for a team that wants quiet diffs: with them, "#:" lines move with the text
    root = make_project(config=SYNTHETIC_CONFIG.replace("line_numbers: true", "line_numbers: false"),
                        source=f"# فهرست\n\nیک جمله پیش از فهرست.[^1]\n\n{items}\n\nجمله پس از فهرست.[^2]\n\n"
                               "[^1]: پانویس اول.\n[^2]: پانویس دوم.\n")
    run_update(root)
    pot = root / "translations/templates/doc.pot"
    po = root / "translations/en/doc.po"
    before = {p: p.read_text(encoding="utf-8").split("\n\n") for p in (pot, po)}
    source = root / "source/fa/doc.md"
    source.write_text(source.read_text(encoding="utf-8").replace("- مورد شماره 2 از فهرست بلند.\n", ""),
                      encoding="utf-8")
    run_update(root)
    for path, blocks in before.items():
        after = path.read_text(encoding="utf-8").split("\n\n")
        gone = [b for b in blocks[1:] if b not in after]
        assert len(gone) == 1 and "مورد شماره 2" in gone[0], (path, gone)
        assert [b for b in after[1:] if b not in blocks] == []


# --- wrapping ------------------------------------------------------------------------

@pytest.mark.parametrize("width", [0, 40, 79])
def test_wrap_is_what_msgcat_writes(project, width):
    set_wrap(project, width)
    run_update(project)
    for path in (project / POT, project / PO):
        text = path.read_text(encoding="utf-8")
        tool = ("msgcat", "--no-wrap") if width == 0 else ("msgcat", "-w", str(width))
        assert gettext_writes(path, *tool) == text, path
        if width:
            assert max(len(line) for line in text.splitlines() if line.startswith('"')) <= width
        # publish reads back what it wrote
        assert catalog.render(catalog.read(path), width) == text


@pytest.mark.parametrize("value,message", [
    ("-1", "expected 0 (no wrapping) or a line width"), ("5", "from 10 to 100000"),
    ("true", "got True"), ("wide", "got 'wide'")])
def test_wrap_is_checked_with_its_line(project, value, message):
    set_wrap(project, 79)
    path = project / "publish.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("  wrap: 79\n", f"  wrap: {value}\n"), encoding="utf-8")
    line = path.read_text(encoding="utf-8").splitlines().index(f"  wrap: {value}") + 1
    with pytest.raises(PublishError) as err:
        config.load(project)
    assert err.value.line == line and message in str(err.value)


def test_wrap_without_msgcat_says_so(project, monkeypatch):
    set_wrap(project, 79)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(PublishError, match="needs GNU gettext's msgcat"):
        run_update(project)


# --- what Weblate is told ------------------------------------------------------------

def test_every_unit_carries_md_text_and_its_preview_link(project, msgfmt_check):
    run_update(project)
    root = project
    [doc] = config.load(root).documents
    src, found = update.extract(config.load(root), doc)
    first = {}
    for u in found:
        first.setdefault(u.msgid, u.anchor)
    for path, edition in ((root / POT, "fa"), (root / PO, "en")):
        po = catalog.read(path)
        for e in po:
            if e.obsolete:
                continue
            if e.msgctxt is not None:          # the title and the rest: plain text, from publish.yml
                assert "md-text" not in e.flags and "preview: " not in e.comment
                continue
            assert "md-text" in e.flags
            assert f"\npreview: {edition}/report.html#u-{first[e.msgid]}" in e.comment
        msgfmt_check(path)                     # msgfmt -c accepts the flag


def test_anchors_are_the_units_own():
    para = lambda *words: {"t": "Para", "c": [x for w in words for x in ({"t": "Str", "c": w}, {"t": "Space"})][:-1]}
    tree = [para("یک."), para("دو."), para("یک.")]
    found = units.extract(tree)
    assert [u.anchor for u in found] == [units.anchor("یک."), units.anchor("دو."), units.anchor("یک.") + "-2"]
    assert units.anchor("یک.", 2) == found[2].anchor
    assert re.fullmatch(r"[a-z2-7]{8}", found[0].anchor)
    # removing the first unit renames none of the others' (but the repeat becomes the first)
    assert [u.anchor for u in units.extract(tree[1:])] == [found[1].anchor, found[0].anchor]


def test_fuzzy_keeps_md_text(project):
    run_update(project)
    po = catalog.read(project / PO)
    entry = next(e for e in po if not e.obsolete and e.msgstr and "fuzzy" not in e.flags and e.msgctxt is None
                 and len(e.msgid) > 40)
    source = project / SOURCE
    source.write_text(source.read_text(encoding="utf-8").replace(entry.msgid, entry.msgid[:-1] + " هم.", 1),
                      encoding="utf-8")
    run_update(project)
    changed = next(e for e in catalog.read(project / PO) if e.msgid == entry.msgid[:-1] + " هم.")
    assert changed.flags[:2] == ["fuzzy", "md-text"] and changed.previous_msgid == entry.msgid
