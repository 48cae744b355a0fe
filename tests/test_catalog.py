"""Catalogs: template, merge semantics, headers, exact msgcat form, statistics,
a comparison with GNU msgmerge and a property test that no translation is lost."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import polib
import pytest
from babel.messages.plurals import get_plural
from hypothesis import HealthCheck, given, settings, strategies as st

from publish import catalog, config, source, units, update
from publish.errors import PublishError

from conftest import SYNTHETIC_CONFIG, all_msgstrs, gettext

# --- helpers ----------------------------------------------------------------------

BASE = """\
# عنوان گزارش

جمله اول درباره کارگران ایران است. جمله دوم درباره حقوق زنان است. جمله سوم درباره کودکان است.

پاراگراف دوم با یک جمله طولانی درباره آزادی بی قید و شرط بیان و نقد مذهب است.

پاراگراف سوم درباره کانال جدید و رسانه های اجتماعی است. این پاراگراف دو جمله دارد.
"""

S1 = "جمله اول درباره کارگران ایران است."
S2 = "جمله دوم درباره حقوق زنان است."
S3 = "جمله سوم درباره کودکان است."
P2 = "پاراگراف دوم با یک جمله طولانی درباره آزادی بی قید و شرط بیان و نقد مذهب است."


def run_update(root: Path):
    [result] = update.update(config.load(root))
    return result


def pot_file(root: Path, name: str = "doc") -> Path:
    return root / "translations" / "templates" / f"{name}.pot"


def po_file(root: Path, lang: str = "en", name: str = "doc") -> Path:
    return root / "translations" / lang / f"{name}.po"


def active(po: polib.POFile) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in po if not e.obsolete}


def obsolete(po: polib.POFile) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in po if e.obsolete}


def edit_source(root: Path, old: str, new: str, name: str = "doc") -> None:
    path = root / "source" / "fa" / f"{name}.md"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def translated(make_project, fill_translations):
    """A project on BASE whose English catalog is fully translated ("EN:" + msgid)."""
    root = make_project(source=BASE)
    run_update(root)
    fill_translations(po_file(root))
    return root


# --- template -----------------------------------------------------------------------

def test_template_has_one_entry_per_unit(synthetic_project):
    result = run_update(synthetic_project)
    pot = catalog.read(pot_file(synthetic_project))
    ids = [e.msgid for e in pot]
    assert len(ids) == len(set(ids)) == result.entries
    assert "عنوان اول" in ids                                           # heading
    assert "این جمله **مهم** است." in ids                               # emphasis kept as Markdown
    assert "این جمله دوم با [پیوند](https://example.com/a.b) است!" in ids  # link kept, URL dot not a boundary
    assert "آیا این سوم است؟" in ids
    assert "مورد دوم با *تاکید* است." in ids                            # list item
    assert {"ستون یک", "ستون دو", "خانه اول", "خانه دوم"} <= set(ids)   # table cells
    assert "این جمله پانویس دارد.[^1]" in ids                           # footnote call …
    assert "متن پانویس اینجاست." in ids                                 # … and the footnote
    assert {"اصطلاح", "تعریف اصطلاح اینجاست."} <= set(ids)              # definition list
    assert not any("code" in i for i in ids)                            # code block not translated
    assert all(e.msgstr == "" for e in pot)
    kinds = {e.msgid: e.comment for e in pot}
    assert "table cell" in kinds["خانه اول"]
    # "footnote", not "footnote 1": a note removed above would renumber it (the msgid shows the call)
    assert "footnote\n" in kinds["متن پانویس اینجاست."] and "footnote 1" not in kinds["متن پانویس اینجاست."]
    assert "definition" in kinds["تعریف اصطلاح اینجاست."]


def test_identical_sentences_share_one_entry(synthetic_project):
    run_update(synthetic_project)
    pot = catalog.read(pot_file(synthetic_project))
    [entry] = [e for e in pot if e.msgid == "این جمله **مهم** است."]
    assert entry.occurrences == [("source/fa/doc.md", "3"), ("source/fa/doc.md", "26")]
    assert "#: source/fa/doc.md:3 source/fa/doc.md:26\n" in pot_file(synthetic_project).read_text("utf-8")


def test_references_without_line_numbers(make_project):
    root = make_project(config=SYNTHETIC_CONFIG.replace("line_numbers: true", "line_numbers: false"))
    run_update(root)
    for path in (pot_file(root), po_file(root)):
        text = path.read_text(encoding="utf-8")
        refs = [line for line in text.splitlines() if line.startswith("#:")]
        assert refs and all(line == "#: source/fa/doc.md" for line in refs), refs
    pot = catalog.read(pot_file(root))
    [entry] = [e for e in pot if e.msgid == "این جمله **مهم** است."]
    assert entry.occurrences == [("source/fa/doc.md", "")]


# --- merge semantics ------------------------------------------------------------------

def test_unchanged_units_keep_their_translation(translated):
    result = run_update(translated)
    assert result.written == [] and len(result.unchanged) == 2
    po = catalog.read(po_file(translated))
    for e in active(po).values():
        assert e.msgstr == "EN:" + e.msgid
        assert "fuzzy" not in e.flags
    assert not obsolete(po)


def test_edited_unit_becomes_fuzzy_with_previous_msgid(translated):
    new = "جمله دوم درباره حقوق برابر زنان است."
    edit_source(translated, S2, new)
    run_update(translated)
    po = catalog.read(po_file(translated))
    entry = active(po)[new]
    assert "fuzzy" in entry.flags
    assert entry.previous_msgid == S2
    assert entry.msgstr == "EN:" + S2
    assert S2 not in active(po) and S2 not in obsolete(po)
    text = po_file(translated).read_text(encoding="utf-8")
    assert f'#, fuzzy, md-text\n#| msgid "{S2}"\nmsgid "{new}"\nmsgstr "EN:{S2}"\n' in text
    # the others are untouched
    assert active(po)[S1].msgstr == "EN:" + S1 and "fuzzy" not in active(po)[S1].flags


def test_moved_unit_keeps_its_translation(translated):
    edit_source(translated, S1 + " ", "")
    edit_source(translated, "این پاراگراف دو جمله دارد.", "این پاراگراف دو جمله دارد. " + S1)
    run_update(translated)
    po = catalog.read(po_file(translated))
    entry = active(po)[S1]
    assert entry.msgstr == "EN:" + S1
    assert "fuzzy" not in entry.flags and entry.previous_msgid is None
    assert entry.occurrences == [("source/fa/doc.md", "7")]
    assert entry.comment.startswith("section: عنوان گزارش\nparagraph\npreview: en/doc.html#u-")
    assert not obsolete(po)
    assert all("fuzzy" not in e.flags for e in po)


def test_removed_unit_becomes_obsolete_with_its_translation(translated):
    edit_source(translated, P2 + "\n\n", "")
    run_update(translated)
    po = catalog.read(po_file(translated))
    assert P2 not in active(po)
    assert obsolete(po)[P2].msgstr == "EN:" + P2
    text = po_file(translated).read_text(encoding="utf-8")
    assert f'#~ msgid "{P2}"\n#~ msgstr "EN:{P2}"\n' in text
    pot = catalog.read(pot_file(translated))
    assert P2 not in {e.msgid for e in pot} and not pot.obsolete_entries()


def test_removed_then_restored_unit_comes_back_translated(translated):
    edit_source(translated, P2 + "\n\n", "")
    run_update(translated)
    assert P2 in obsolete(catalog.read(po_file(translated)))
    edit_source(translated, "پاراگراف سوم", P2 + "\n\nپاراگراف سوم")
    run_update(translated)
    po = catalog.read(po_file(translated))
    entry = active(po)[P2]
    assert entry.msgstr == "EN:" + P2
    assert "fuzzy" not in entry.flags
    assert not obsolete(po)


def test_translator_comment_travels_with_translation(translated):
    path = po_file(translated)
    po = catalog.read(path)
    active(po)[S3].tcomment = "check the term"
    path.write_text(catalog.render(po), encoding="utf-8")
    edit_source(translated, S3 + "\n", "\n")       # removed: obsolete with its comment
    run_update(translated)
    entry = obsolete(catalog.read(path))[S3]
    assert entry.tcomment == "check the term" and entry.msgstr == "EN:" + S3
    edit_source(translated, "\n\nپاراگراف دوم", " " + S3 + "\n\nپاراگراف دوم")   # restored
    run_update(translated)
    entry = active(catalog.read(path))[S3]
    assert entry.tcomment == "check the term" and entry.msgstr == "EN:" + S3


def _stat(path: Path):
    st_ = path.stat()
    return st_.st_mtime_ns, st_.st_ino, path.read_bytes()


def test_update_twice_changes_nothing(synthetic_project, fill_translations):
    run_update(synthetic_project)
    files = [pot_file(synthetic_project), po_file(synthetic_project)]
    before = [_stat(p) for p in files]
    result = run_update(synthetic_project)
    assert result.written == []
    assert [_stat(p) for p in files] == before
    # and again after translating, editing (fuzzy) and removing (obsolete)
    fill_translations(po_file(synthetic_project))
    edit_source(synthetic_project, "مورد یکم در فهرست.", "مورد یکم و مهم در فهرست.")
    edit_source(synthetic_project, "| خانه اول | خانه دوم |\n", "")
    first = run_update(synthetic_project)
    assert sorted(first.written) == ["translations/en/doc.po", "translations/templates/doc.pot"]
    before = [_stat(p) for p in files]
    result = run_update(synthetic_project)
    assert result.written == []
    assert [_stat(p) for p in files] == before


def test_update_twice_changes_nothing_with_obsolete_fuzzy_entry(translated):
    edit_source(translated, S2, "جمله دوم درباره حقوق برابر زنان است.")
    run_update(translated)                                  # S2' fuzzy, #| msgid S2
    edit_source(translated, "جمله دوم درباره حقوق برابر زنان است. ", "")
    run_update(translated)                                  # S2' obsolete and fuzzy
    entry = obsolete(catalog.read(po_file(translated)))["جمله دوم درباره حقوق برابر زنان است."]
    assert entry.msgstr == "EN:" + S2 and "fuzzy" in entry.flags
    before = _stat(po_file(translated))
    result = run_update(translated)
    assert result.written == [], po_file(translated).read_text(encoding="utf-8").split("#, fuzzy")[-1]
    assert _stat(po_file(translated)) == before


# --- headers ---------------------------------------------------------------------------

def test_headers(make_project):
    root = make_project(config=SYNTHETIC_CONFIG.replace("target_languages: [en]", "target_languages: [en, ru]"))
    run_update(root)
    pot = catalog.read(pot_file(root))
    date = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d[+-]\d{4}$")
    assert pot.metadata["Project-Id-Version"] == "doc"
    assert pot.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert pot.metadata["Content-Transfer-Encoding"] == "8bit"
    assert pot.metadata["MIME-Version"] == "1.0"
    assert date.match(pot.metadata["POT-Creation-Date"])
    assert pot.metadata["Language"] == ""
    assert pot.metadata["X-Source-Language"] == "fa"
    for lang, team in (("en", "English"), ("ru", "Russian")):
        po = catalog.read(po_file(root, lang))
        meta = po.metadata
        assert meta["Language"] == lang
        assert meta["Plural-Forms"] == get_plural(lang).plural_forms
        assert meta["Content-Type"] == "text/plain; charset=UTF-8"
        assert meta["Project-Id-Version"] == "doc"
        assert meta["POT-Creation-Date"] == pot.metadata["POT-Creation-Date"]
        assert date.match(meta["PO-Revision-Date"])
        assert meta["Language-Team"] == team
        assert "FULL NAME" not in meta["Last-Translator"]
    assert "nplurals=3" in catalog.read(po_file(root, "ru")).metadata["Plural-Forms"]


def test_translator_headers_survive_merge(synthetic_project):
    run_update(synthetic_project)
    path = po_file(synthetic_project)
    po = catalog.read(path)
    po.metadata.update({"Last-Translator": "Sara <sara@example.org>", "Language-Team": "English <en@example.org>",
                        "PO-Revision-Date": "2026-01-02 03:04+0000", "X-Poedit-Basepath": ".."})
    path.write_text(catalog.render(po), encoding="utf-8")
    edit_source(synthetic_project, "جمله بعدی اینجاست.", "جمله بعدی و تازه اینجاست.")
    run_update(synthetic_project)
    meta = catalog.read(path).metadata
    assert meta["Last-Translator"] == "Sara <sara@example.org>"
    assert meta["Language-Team"] == "English <en@example.org>"
    assert meta["PO-Revision-Date"] == "2026-01-02 03:04+0000"
    assert meta["X-Poedit-Basepath"] == ".."


def test_creation_date_follows_source_date_epoch(synthetic_project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    run_update(synthetic_project)
    assert catalog.read(pot_file(synthetic_project)).metadata["POT-Creation-Date"] == "1970-01-02 00:00+0000"


# --- the real gettext tools --------------------------------------------------------------

def test_msgfmt_check_passes(synthetic_project, fill_translations, msgfmt_check):
    run_update(synthetic_project)
    msgfmt_check(pot_file(synthetic_project))
    msgfmt_check(po_file(synthetic_project))
    fill_translations(po_file(synthetic_project))
    msgfmt_check(po_file(synthetic_project))
    edit_source(synthetic_project, "مورد یکم در فهرست.", "مورد یکم و مهم در فهرست.")
    edit_source(synthetic_project, "| خانه اول | خانه دوم |\n", "")
    run_update(synthetic_project)
    msgfmt_check(pot_file(synthetic_project))
    msgfmt_check(po_file(synthetic_project))


def test_msgcat_no_wrap_rewrites_catalogs_unchanged(synthetic_project, fill_translations, msgcat_nowrap):
    run_update(synthetic_project)
    for path in (pot_file(synthetic_project), po_file(synthetic_project)):
        assert msgcat_nowrap(path) == path.read_text(encoding="utf-8"), path
    # after a merge with fuzzy and obsolete entries and translator comments
    path = po_file(synthetic_project)
    fill_translations(path)
    po = catalog.read(path)
    po[3].tcomment = "a translator's note"
    path.write_text(catalog.render(po), encoding="utf-8")
    edit_source(synthetic_project, "مورد یکم در فهرست.", "مورد یکم و مهم در فهرست.")
    edit_source(synthetic_project, "| خانه اول | خانه دوم |\n", "")
    run_update(synthetic_project)
    text = path.read_text(encoding="utf-8")
    assert "#, fuzzy" in text and "#| msgid" in text and "#~ msgid" in text
    assert msgcat_nowrap(path) == text
    assert msgcat_nowrap(pot_file(synthetic_project)) == pot_file(synthetic_project).read_text(encoding="utf-8")


SPECIAL = [
    'He said "no" and left.',
    "a back\\slash and two \\\\ of them",
    "two\nlines",
    "three\nshort\nlines",
    "a\ttab",
    'all "of\\ them"\n\ttogether',
    "a very long line " * 60,
    "«گیومه» and \"quotes\" — and a dash",
    "trailing newline\n",
]


def test_msgcat_no_wrap_after_special_translations(synthetic_project, msgcat_nowrap):
    run_update(synthetic_project)
    path = po_file(synthetic_project)
    po = catalog.read(path)
    entries = [e for e in po if not e.obsolete]
    for e, value in zip(entries, SPECIAL):
        e.msgstr = value
    entries[len(SPECIAL)].msgstr = "fuzzy one"
    entries[len(SPECIAL)].flags.insert(0, "fuzzy")   # where gettext writes it
    text = catalog.render(po)
    path.write_text(text, encoding="utf-8")
    assert msgcat_nowrap(path) == text
    # and publish reads back exactly what it wrote
    again = catalog.read(path)
    assert [e.msgstr for e in again if not e.obsolete][: len(SPECIAL)] == SPECIAL
    assert catalog.render(again) == text
    # an update keeps them byte for byte
    result = run_update(synthetic_project)
    assert "translations/en/doc.po" in result.unchanged
    assert path.read_text(encoding="utf-8") == text


def test_msgcat_no_wrap_with_many_references(make_project, msgcat_nowrap):
    refrain = "ما همین رویکرد را با قاطعیت ادامه میدهیم."
    body = "\n\n".join(f"پاراگراف شماره {w} اینجاست. {refrain}" for w in ("یک", "دو", "سه", "چهار", "پنج"))
    root = make_project(source=body + "\n")
    run_update(root)
    pot = catalog.read(pot_file(root))
    [entry] = [e for e in pot if e.msgid == refrain]
    assert len(entry.occurrences) == 5
    for path in (pot_file(root), po_file(root)):
        assert msgcat_nowrap(path) == path.read_text(encoding="utf-8"), path


@pytest.mark.parametrize("field, value", [
    pytest.param("tcomment", "first paragraph of a note\n\nsecond paragraph", id="multiline-translator-comment"),
    pytest.param("msgstr", "pasted\u2028from a word processor", id="unicode-line-separator"),
    pytest.param("msgstr", "next line\x85and paragraph\u2029separators", id="nel-and-paragraph-separator"),
    pytest.param("msgid", "a source with a\u2028line separator", id="line-separator-in-msgid"),
])
def test_msgcat_no_wrap_after_editing_an_entry(synthetic_project, msgcat_nowrap, field, value):
    run_update(synthetic_project)
    path = po_file(synthetic_project)
    po = catalog.read(path)
    setattr(po[2], field, value)
    path.write_text(catalog.render(po), encoding="utf-8")
    assert msgcat_nowrap(path) == path.read_text(encoding="utf-8")
    assert getattr(catalog.read(path)[2], field) == value  # and we read back what we wrote


def test_msgcat_no_wrap_with_hard_line_break_and_fuzzy(make_project, fill_translations, msgcat_nowrap,
                                                      msgfmt_check):
    """A Markdown hard line break puts a newline in the msgid; a fuzzy entry
    then has a multi-line ``#| msgid``."""
    root = make_project(source="خط اول شعر است\\\nخط دوم شعر اینجاست.\n\nجمله ای دیگر.\n")
    run_update(root)
    fill_translations(po_file(root))
    edit_source(root, "خط دوم شعر", "خط دوم از شعر")
    run_update(root)
    po = catalog.read(po_file(root))
    [entry] = [e for e in po if "fuzzy" in e.flags]
    assert entry.previous_msgid == "خط اول شعر است\\\nخط دوم شعر اینجاست."
    assert entry.msgid == "خط اول شعر است\\\nخط دوم از شعر اینجاست."
    for path in (pot_file(root), po_file(root)):
        assert msgcat_nowrap(path) == path.read_text(encoding="utf-8"), path
        msgfmt_check(path)




# --- statistics ------------------------------------------------------------------------------

def test_stats_agree_with_msgfmt(synthetic_project, msgfmt_stats):
    run_update(synthetic_project)
    path = po_file(synthetic_project)
    po = catalog.read(path)
    entries = [e for e in po if not e.obsolete]
    for e in entries[:6]:
        e.msgstr = "EN:" + e.msgid                           # translated
    for e in entries[6:9]:
        e.msgstr = "EN?" + e.msgid                           # fuzzy
        e.flags.append("fuzzy")
    entries[9].flags.append("fuzzy")                         # fuzzy flag, no translation: untranslated
    po.append(polib.POEntry(msgid="قدیمی", msgstr="old", obsolete=True))
    path.write_text(catalog.render(po), encoding="utf-8")
    s = catalog.stats(catalog.read(path))
    assert msgfmt_stats(path) == {"translated": s.translated, "fuzzy": s.fuzzy, "untranslated": s.untranslated}
    assert (s.translated, s.fuzzy) == (6, 3)
    assert s.units == len(entries) == s.translated + s.fuzzy + s.untranslated
    assert s.obsolete == 1
    assert s.words == s.words_translated + s.words_fuzzy + s.words_untranslated
    assert 0 < s.percent < 100


def test_stats_of_template(synthetic_project, msgfmt_stats):
    result = run_update(synthetic_project)
    s = catalog.stats(catalog.read(pot_file(synthetic_project)))
    assert s.units == result.entries and s.untranslated == s.units and s.translated == 0
    assert msgfmt_stats(pot_file(synthetic_project))["untranslated"] == s.units


# --- compared with GNU msgmerge -------------------------------------------------------------

MM_BEFORE = """\
# فعالیت های حزب

حزب ما در این دوره فعالیت زیادی داشته است. ما کمپین های بزرگی سازمان داده ایم. رسانه های حکومتی علیه ما مطلب نوشته اند.

کانال جدید ابزار مهمی در رابطه ما با کارگران است، و تاثیر عمیقی بر فرهنگ سیاسی مردم داشته است. نشریات ما هر هفته منتشر میشوند.

در خارج کشور کمیته ای تشکیل شد. این کمیته بسیار امیدبخش بوده است. ما باید سازماندهی را تقویت کنیم.

تامین مالی حزب کار ساده ای نیست. رفقای ما در این عرصه تلاش زیادی کرده اند.
"""

MM_AFTER = """\
# فعالیت های حزب

حزب ما در این دوره فعالیت زیادی داشته است. ما کمپین های بزرگ و موفقی سازمان داده ایم. رسانه های حکومتی علیه ما مطلب نوشته اند. رفقای ما در این عرصه تلاش زیادی کرده اند.

کانال جدید ابزار مهمی در رابطه ما با کارگران است. این کانال تاثیر عمیقی بر فرهنگ سیاسی مردم داشته است. نشریات ما هر هفته منتشر میشوند.

در خارج کشور کمیته ای تشکیل شد و ما باید سازماندهی را تقویت کنیم.

تامین مالی حزب کار ساده ای نیست.
"""
# changed: "ما کمپین های بزرگی …"; deleted: "این کمیته بسیار امیدبخش …"; moved: "رفقای ما …";
# split: "کانال جدید … است، و …"; joined: "در خارج کشور … شد." + "ما باید …".


def test_merge_keeps_every_translation_msgmerge_keeps(make_project, fill_translations, tmp_path):
    root = make_project(source=MM_BEFORE)
    run_update(root)
    fill_translations(po_file(root))
    old = tmp_path / "old.po"
    shutil.copy(po_file(root), old)
    (root / "source/fa/doc.md").write_text(MM_AFTER, encoding="utf-8")
    run_update(root)
    ours = catalog.read(po_file(root))
    proc = gettext("msgmerge", "--previous", "--no-wrap", "-q", "-o", tmp_path / "mm.po", old, pot_file(root))
    assert proc.returncode == 0, proc.stderr
    theirs = polib.pofile(str(tmp_path / "mm.po"), wrapwidth=0)
    assert all_msgstrs(theirs) <= all_msgstrs(ours), all_msgstrs(theirs) - all_msgstrs(ours)
    # every translation of the old catalog survives in ours
    assert all_msgstrs(polib.pofile(str(old))) <= all_msgstrs(ours)
    # where msgmerge found the exact unit, so do we
    for e in theirs:
        if not e.obsolete and e.msgstr and "fuzzy" not in e.flags:
            mine = active(ours)[e.msgid]
            assert mine.msgstr == e.msgstr and "fuzzy" not in mine.flags
    # the same entries in the same order as the template
    assert [e.msgid for e in ours if not e.obsolete] == [e.msgid for e in theirs if not e.obsolete]
    # the edited unit is offered fuzzy with its old source, as msgmerge does
    changed = "ما کمپین های بزرگ و موفقی سازمان داده ایم."
    assert "fuzzy" in active(ours)[changed].flags
    assert active(ours)[changed].previous_msgid == "ما کمپین های بزرگی سازمان داده ایم."
    assert active(theirs)[changed].previous_msgid == "ما کمپین های بزرگی سازمان داده ایم."


# --- property: no translation is ever lost ------------------------------------------------------

WORDS = ["حزب", "کارگران", "جامعه", "مبارزه", "آزادی", "برابری", "کمپین", "زندانیان", "سیاسی", "اجتماعی",
         "کانال", "جدید", "مردم", "ایران", "فعالیت", "کنگره", "رهبری", "تشکیلات", "نشریه", "سازمان",
         "امروز", "بزرگ", "مهم", "باید", "است", "هستند", "کردیم", "داریم", "میکنیم", "دنیا"]
TERMINALS = [".", "!", "؟"]

sentence_st = st.tuples(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(tuple),
                        st.sampled_from(TERMINALS))
document_st = st.lists(st.lists(sentence_st, min_size=1, max_size=4), min_size=1, max_size=5)
OPS = ["change_word", "insert_sentence", "delete_sentence", "move_sentence", "split_sentence",
       "join_sentences", "delete_paragraph"]
edit_st = st.tuples(st.sampled_from(OPS), st.integers(0, 999), st.integers(0, 999), st.integers(0, 999),
                    st.sampled_from(WORDS))


def render_md(doc) -> str:
    return "\n\n".join(" ".join(" ".join(words) + t for words, t in para) for para in doc) + "\n"


def apply_edit(doc, edit):
    op, a, b, c, word = edit
    doc = [list(p) for p in doc]
    p = a % len(doc)
    para = doc[p]
    s = b % len(para)
    words, term = para[s]
    if op == "change_word":
        w = list(words)
        w[c % len(w)] = word
        para[s] = (tuple(w), term)
    elif op == "insert_sentence":
        para.insert(c % (len(para) + 1), ((word, WORDS[a % len(WORDS)], WORDS[b % len(WORDS)]), "."))
    elif op == "delete_sentence":
        del para[s]
    elif op == "move_sentence":
        del para[s]
        target = doc[c % len(doc)]
        target.insert(a % (len(target) + 1), (words, term))
    elif op == "split_sentence" and len(words) > 1:
        k = 1 + c % (len(words) - 1)
        para[s:s + 1] = [(words[:k], "."), (words[k:], term)]
    elif op == "join_sentences" and s + 1 < len(para):
        para[s:s + 2] = [(words + para[s + 1][0], para[s + 1][1])]
    elif op == "delete_paragraph" and len(doc) > 1:
        del doc[p]
    doc = [q for q in doc if q]
    return doc or [[((word, "است"), ".")]]


def _template(project, doc, text: str) -> polib.POFile:
    blocks = source.parse(text, project.normalize, doc.relsource).blocks
    found = units.extract(blocks, project.segmentation == "sentence", project.abbreviations)
    return catalog.template(project, doc, found)


def _roundtrip(po: polib.POFile) -> polib.POFile:
    """Through the file form, as the next `publish update` would see it."""
    return polib.pofile(catalog.render(po), wrapwidth=0)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document_st, st.lists(edit_st, min_size=1, max_size=4), st.lists(edit_st, min_size=1, max_size=4))
def test_merge_never_loses_a_translation(synthetic_doc, doc0, edits1, edits2):
    project, doc = synthetic_doc
    pot0 = _template(project, doc, render_md(doc0))
    po0 = catalog.merge(pot0, None, "en")
    for e in po0:
        e.msgstr = "EN:" + e.msgid
    po0 = _roundtrip(po0)
    old_ids = {e.msgid for e in po0}

    doc1 = doc0
    for edit in edits1:
        doc1 = apply_edit(doc1, edit)
    pot1 = _template(project, doc, render_md(doc1))
    po1 = _roundtrip(catalog.merge(pot1, po0, "en"))
    assert all_msgstrs(po0) <= all_msgstrs(po1)
    assert [e.msgid for e in po1 if not e.obsolete] == [e.msgid for e in pot1]
    for e in po1:
        if e.obsolete:
            assert e.msgid in old_ids and e.msgid not in {t.msgid for t in pot1}
        elif e.msgid in old_ids:                       # unchanged or moved: exact, not fuzzy
            assert e.msgstr == "EN:" + e.msgid and "fuzzy" not in e.flags
        elif e.msgstr:                                 # changed: the old unit's translation, fuzzy
            assert "fuzzy" in e.flags and e.previous_msgid in old_ids
            assert e.msgstr == "EN:" + e.previous_msgid

    doc2 = doc1
    for edit in edits2:
        doc2 = apply_edit(doc2, edit)
    pot2 = _template(project, doc, render_md(doc2))
    po2 = _roundtrip(catalog.merge(pot2, po1, "en"))
    assert all_msgstrs(po1) <= all_msgstrs(po2)
    assert all_msgstrs(po0) <= all_msgstrs(po2)
    # and merging again with nothing changed is a fixed point
    assert catalog.render(catalog.merge(pot2, po2, "en")) == catalog.render(po2)


# --- the fast reader, writer and lint give what polib and the line-by-line lint give ---------
#
# catalog reads, lints and writes the usual catalog itself (polib took over a
# second of a large update) and leaves the rest to polib: each fast path must
# give exactly polib's entries, text and errors.

# Catalogs in the usual shape (the fast paths' own), and odd ones (polib's).
USUAL = ["a", "ab س", "نیم\u200cفاصله", "x: y", "#a", "a, b", "~|", "دو  فاصله", "«»"]
IN_STRINGS = ['"q"', "\\", "\n", "\t", "\\n", "\r"]
ODD = ["\u2028", "\x85", " ", "\n", "#:", "msgid ", "\r", "\x0b"]
PATHS = ["source/fa/doc.md", "c:", ":", "d:x", "e:۱۲", "12"]


@st.composite
def catalog_st(draw) -> polib.POFile:
    odd = draw(st.booleans())

    def text(*pieces):
        return draw(st.lists(st.sampled_from(USUAL + [p for p in pieces if odd or p not in ODD]), max_size=4)
                    .map("".join))

    def string():
        return text(*IN_STRINGS, *ODD)

    po = polib.POFile(wrapwidth=0)
    po.header = draw(st.sampled_from(["", "a header", ": x", "two\nlines", "\n"] if odd else ["", "a header"]))
    po.metadata = {"Project-Id-Version": "doc", "Content-Type": "text/plain; charset=UTF-8",
                   "Language": draw(st.sampled_from(["en", "e\nn", "", " "] if odd else ["en"]))}
    for i in range(draw(st.integers(0, 5))):
        comment = "\n".join(text(*ODD) for _ in range(draw(st.integers(0, 2))))
        po.append(polib.POEntry(
            msgid=string() + str(i), msgstr=string(), tcomment=comment,
            comment="\n".join(text(*ODD) for _ in range(draw(st.integers(0, 2)))),
            occurrences=draw(st.lists(st.tuples(st.sampled_from(PATHS + (["a b", "f\u2028g", "h\ni"] if odd else [])),
                                                st.sampled_from(["", "7", "12"])), max_size=3)),
            flags=draw(st.lists(st.sampled_from(["fuzzy", "no-wrap"] + ([" x ", "", "a\nb"] if odd else [])),
                                max_size=2, unique=True)),
            previous_msgid=string() if draw(st.booleans()) else None, obsolete=draw(st.booleans()),
            # contexts, as the title's entries have them ("document title"), and odd ones
            msgctxt=(lambda c: string() if c == "odd" else c)(
                draw(st.sampled_from([None, None, "document title", "author", "odd"]))),
            previous_msgctxt=string() if draw(st.integers(0, 4)) == 0 else None))
    return po


LINES = ["", " ", "#", "#.", "#:", "#,", "# x ", "#. x", "#: a:1", "#, fuzzy", '#| msgid "p"', '#~| msgid "p"',
         "#~", '#~ msgid "o"', '#~ msgstr "O"', 'msgid "m"', 'msgstr "M"', '"c"', '"\\q"', '"open', "msgid_plural \"p\"",
         'msgstr[0] "z"', 'msgctxt "k"', "garbage", ' msgid "i"', 'msgid "t" ', "\r", '"\u2028"']
mutation_st = st.lists(st.tuples(st.sampled_from(["insert", "delete", "swap", "indent", "trail"]),
                                 st.integers(0, 10**6), st.sampled_from(LINES))
                       | st.tuples(st.just("edit"), st.integers(0, 10**6), st.sampled_from(["\\q", '"', "\\", " ", "#"])),
                       max_size=3) | st.just([])


def _mutate(text: str, mutations) -> str:
    lines = text.split("\n")
    for op, at, line in mutations:
        i = at % len(lines)
        if op == "insert":
            lines.insert(i, line)
        elif op == "delete":
            del lines[i]
        elif op == "swap":
            j = (at // 7) % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "indent":
            lines[i] = " " + lines[i]
        elif op == "edit":  # in a string
            quoted = [n for n, text in enumerate(lines) if text.count('"') > 1] or [i]
            n = quoted[at % len(quoted)]
            k = lines[n].find('"') + 1
            lines[n] = lines[n][:k] + line + lines[n][k:]
        else:
            lines[i] += " "
        lines = lines or [""]
    return "\n".join(lines)


def _outcome(text: str):
    try:
        po = catalog.parse(text, "x.po")
    except PublishError as exc:
        return "refused", exc.message, exc.path, exc.line
    return ("read", po.header, po.metadata, po.metadata_is_fuzzy, po.encoding, po.fpath,
            [(vars(e), type(e.obsolete)) for e in po])


def _as_before(monkeypatch) -> None:
    """catalog without its fast paths: the line-by-line lint, then polib."""
    monkeypatch.setattr(catalog, "_parse_plain", lambda text: None)
    monkeypatch.setattr(catalog, "_render_plain", lambda po: None)
    monkeypatch.setattr(catalog, "_clean_pattern", lambda: re.compile("(?!)"))


@settings(max_examples=300, deadline=None)
@given(catalog_st(), mutation_st)
def test_fast_paths_agree_with_polib(po, mutations):
    text = catalog.render(po)
    with pytest.MonkeyPatch.context() as mp:
        _as_before(mp)
        assert catalog.render(po) == text
    text = _mutate(text, mutations)
    fast = _outcome(text)
    with pytest.MonkeyPatch.context() as mp:
        _as_before(mp)
        assert _outcome(text) == fast


PLAIN_PO = """\
#
msgid ""
msgstr ""
"Project-Id-Version: doc\\n"
"Language: en\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

# a translator's note
#. paragraph 1
#: source/fa/doc.md:3
#, fuzzy
#| msgid "جمله قدیم"
msgid "جمله"
msgstr "A sentence"

msgid ""
"two\\n"
"lines"
msgstr "tab\\there"

#, fuzzy
#~ msgid "old"
#~ msgstr "Old"
"""
PO_EDITS = [  # (what, replaced by): each makes the catalog odd, wrong, or still usual
    ('"A sentence"', '"A \\q sentence"'), ('"A sentence"', '"A sentence'), ('"A sentence"', '"A "sentence"'),
    ('"A sentence"', '"A sentence\\"'), ('msgstr "tab', 'msgstr  "tab'), ('msgstr "tab', ' msgstr "tab'),
    ('"lines"', '"lines" '), ('"lines"', '#. x\n"lines"'), ('"lines"', '#~| msgid "x"\n"lines"'),
    ('#~ msgstr "Old"', '#~ msgstr "Old"\n#~ "more"'), ('#~ msgstr "Old"', '#~ msgstr "Old"\n"more"'),
    ('msgid "جمله"', 'msgid_plural "جمله"'), ('msgid "جمله"', 'msgctxt "c"\nmsgid "جمله"'),
    ('#. paragraph 1', '#.'), ('#. paragraph 1', '#.paragraph'), ('# a translator', '#a translator'),
    ('#: source', '#:  source'), ("note", "note "), ('#| msgid "جمله قدیم"', '#| msgid "جمله قدیم'),
    ('#| msgid "جمله قدیم"', '#| msgid "\\q"'), ("\n\nmsgid \"\"", "\n\nmsgid \"جمله\""),
    ("Old", "Old\u2028"), ("#, fuzzy\n#~", "#~| msgid \"p\"\n#~"), ("#\nmsgid", "\ufeff#\nmsgid"),
    ("\n\n", "\r\n\r\n"), ("\n\n", "\n \n"), ('"Old"\n', '"Old"'), ("#\n", ""),
]


@pytest.mark.parametrize("old, new", PO_EDITS)
def test_fast_paths_read_and_refuse_as_polib_and_lint(old, new):
    assert old in PLAIN_PO
    text = PLAIN_PO.replace(old, new, 1)
    fast = _outcome(text)
    with pytest.MonkeyPatch.context() as mp:
        _as_before(mp)
        assert _outcome(text) == fast


def test_fast_paths_read_and_write_what_publish_writes(synthetic_project, fill_translations):
    """The fast paths are the ones taken for publish's own catalogs (else the
    test above would only compare polib with itself)."""
    run_update(synthetic_project)
    fill_translations(po_file(synthetic_project))
    edit_source(synthetic_project, "مورد یکم در فهرست.", "مورد یکم و مهم در فهرست.")  # fuzzy, #| msgid
    edit_source(synthetic_project, "| خانه اول | خانه دوم |\n", "")                  # obsolete
    run_update(synthetic_project)
    for text in (PLAIN_PO, pot_file(synthetic_project).read_text(encoding="utf-8"),
                 po_file(synthetic_project).read_text(encoding="utf-8")):
        po = catalog._parse_plain(text)
        assert po is not None and len(po) > 2
        assert catalog._render_plain(po) == text
        assert catalog._clean_pattern().fullmatch(text)
    assert any(e.obsolete for e in po) and any(e.previous_msgid for e in po)


DATES = ['"POT-Creation-Date: 2024-01-01 10:00+0000\\n"', '"PO-Revision-Date: 2025-02-02 11:00+0330\\n"',
         '"POT-Creation-Date: x\\n" ', 'x"PO-Revision-Date: y\\n"', '"POT-Creation-Date:\\n"', '"PO', "", 'msgid "a"']


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(DATES), max_size=6), st.lists(st.sampled_from(DATES), max_size=6), st.booleans())
def test_same_content_ignores_exactly_the_date_lines(a, b, like):
    a = "\n".join(a)
    b = a.replace("2024", "2026").replace("11:00", "12:00") if like else "\n".join(b)
    dates = re.compile(r'^"POT-Creation-Date: .*\\n"$|^"PO-Revision-Date: .*\\n"$', re.M)
    assert catalog.same_content(a, b) == (dates.sub("", a) == dates.sub("", b))


def test_a_damaged_template_is_made_anew(synthetic_project):
    """The template is publish's own output, made from the source on every
    update: it is compared, not read, so a damaged one is simply rewritten."""
    run_update(synthetic_project)
    good = pot_file(synthetic_project).read_bytes()
    pot_file(synthetic_project).write_bytes(b"\xff\xfe not a catalog \"\n")
    result = run_update(synthetic_project)
    assert "translations/templates/doc.pot" in result.written
    assert re.sub(rb'"POT-Creation-Date: .*\n', b"", pot_file(synthetic_project).read_bytes()) == \
        re.sub(rb'"POT-Creation-Date: .*\n', b"", good)
