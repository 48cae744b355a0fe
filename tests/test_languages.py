"""Language tags (issue 13): what a user writes → the BCP 47 tag, the
gettext form and Babel's locale; everywhere publish reads or writes one."""
from __future__ import annotations

import polib
import pytest
from babel.messages.plurals import get_plural

from publish import catalog, config, glossary, languages
from publish.build import edition_languages, edition_name
from publish.errors import PublishError
from publish.render.fonts import script_css
from publish.render.labels import digits, label

from conftest import SYNTHETIC_CONFIG
from projects import publish

# written → BCP 47 tag, gettext form, Babel locale, direction
MAPPING = [
    ("pt-BR", "pt-BR", "pt_BR", "pt_BR", "ltr"),
    ("pt_BR", "pt-BR", "pt_BR", "pt_BR", "ltr"),
    ("pt-br", "pt-BR", "pt_BR", "pt_BR", "ltr"),
    ("zh-Hant", "zh-Hant", "zh_Hant", "zh_Hant", "ltr"),
    ("zh_hant", "zh-Hant", "zh_Hant", "zh_Hant", "ltr"),
    ("sr-Latn", "sr-Latn", "sr_Latn", "sr_Latn", "ltr"),
    ("sr@latin", "sr-Latn", "sr_Latn", "sr_Latn", "ltr"),     # as glibc and older catalogs write it
    ("prs", "prs", "prs", "fa_AF", "rtl"),                    # Dari: CLDR's alias gives Babel's data
    ("tg", "tg", "tg", "tg", "ltr"),                          # Tajik, in Cyrillic
    ("ckb", "ckb", "ckb", "ckb", "rtl"),                      # Central Kurdish, in Arabic script
    ("fa", "fa", "fa", "fa", "rtl"),
    ("en", "en", "en", "en", "ltr"),
    ("de", "de", "de", "de", "ltr"),
    ("fa-AF", "fa-AF", "fa_AF", "fa_AF", "rtl"),
    ("EN", "en", "en", "en", "ltr"),
    ("fas", "fa", "fa", "fa", "rtl"),                         # ISO 639-2 → the two-letter code BCP 47 wants
    ("iw", "he", "he", "he", "rtl"),                          # deprecated → its preferred value
    ("ckb-Latn", "ckb-Latn", "ckb_Latn", "ckb", "ltr"),       # a written script decides the direction
    ("tg-Arab", "tg-Arab", "tg_Arab", "tg", "rtl"),
    ("de-CN", "de-CN", "de_CN", "de", "ltr"),                 # no data for the pair: the language's
]


@pytest.mark.parametrize("written, tag, posix, locale, direction", MAPPING)
def test_each_form_of_a_language(written, tag, posix, locale, direction):
    lang = languages.parse(written)
    assert (lang.tag, lang.posix, str(lang.locale), lang.direction) == (tag, posix, locale, direction)
    assert str(lang) == tag


@pytest.mark.parametrize("written, tag, posix, locale, direction", MAPPING)
def test_the_forms_lead_back_to_the_same_language(written, tag, posix, locale, direction):
    assert languages.parse(tag) == languages.parse(posix) == languages.parse(written)
    assert languages.tag(posix) == tag and languages.posix(tag) == posix


@pytest.mark.parametrize("written", ["pt-BR", "zh-Hant", "sr-Latn", "ckb", "tg", "fa", "en", "de"])
def test_plural_forms_are_babels(written):
    lang = languages.parse(written)
    assert lang.plural_forms == get_plural(str(lang.locale)).plural_forms


def test_dari_is_persian_of_afghanistan_for_babel():
    prs = languages.parse("prs")
    assert prs.plural_forms == get_plural("fa_AF").plural_forms
    assert prs.digits == "۰۱۲۳۴۵۶۷۸۹"
    assert prs.display_name("en") == "Dari"
    assert prs.script == "Arab"


@pytest.mark.parametrize("written, digits_", [("fa", "۰۱۲۳۴۵۶۷۸۹"), ("prs", "۰۱۲۳۴۵۶۷۸۹"),
                                              ("ckb", "٠١٢٣٤٥٦٧٨٩"), ("ar-EG", "٠١٢٣٤٥٦٧٨٩"),
                                              ("en", "0123456789"), ("pt-BR", "0123456789")])
def test_digits_from_the_default_numbering_system(written, digits_):
    assert languages.parse(written).digits == digits_
    assert digits("2024", written) == "".join(digits_[int(d)] for d in "2024")


def test_display_names():
    assert languages.parse("pt-BR").display_name("en") == "Brazilian Portuguese"
    assert languages.parse("ckb").display_name("en") == "Central Kurdish"
    assert languages.parse("fa").display_name() == "فارسی"


@pytest.mark.parametrize("written", ["xx", "e", "english", "fa-XX-foo", "fa-XX", "und", "", "en-x-private",
                                     "pt-BR-u-nu-latn", "12", "en-Qqqq", "ca@nowhere"])
def test_an_unknown_tag_is_refused_in_one_line(written):
    with pytest.raises(PublishError) as info:
        languages.parse(written)
    message = str(info.value)
    assert "\n" not in message and repr(written) in message and "BCP 47" in message


def test_a_language_name_suggests_its_code():
    with pytest.raises(PublishError, match="did you mean en"):
        languages.parse("english")


@pytest.mark.parametrize("declared, expected, ok", [
    ("pt_BR", "pt-BR", True), ("pt-BR", "pt-BR", True), ("pt", "pt-BR", True),
    ("zh_Hant", "zh-TW", True), ("fa_AF", "prs", True), ("en", "en", True),
    ("pt_PT", "pt-BR", False), ("sr", "sr-Latn", False), ("de", "en", False),
])
def test_compatible(declared, expected, ok):
    assert languages.compatible(languages.parse(declared), languages.parse(expected)) is ok


# --- publish.yml ---------------------------------------------------------------------

def _config(make_project, old: str, new: str):
    assert old in SYNTHETIC_CONFIG
    return make_project(config=SYNTHETIC_CONFIG.replace(old, new, 1))


def test_publish_yml_takes_either_spelling_and_keeps_the_tag(make_project):
    root = _config(make_project, "title:\n  fa: آزمون\n  en: Test\n",
                   "title:\n  fa: آزمون\n  en: Test\n  pt_BR: Teste\n")
    (root / "publish.yml").write_text((root / "publish.yml").read_text(encoding="utf-8")
                                      .replace("target_languages: [en]", "target_languages: [EN, pt_BR, no]"),
                                      encoding="utf-8")
    project = config.load(root)
    assert project.target_languages == ["en", "pt-BR", "no"]   # no: Norwegian, not YAML's false
    assert project.title == {"fa": "آزمون", "en": "Test", "pt-BR": "Teste"}
    doc = project.documents[0]
    assert project.po_path(doc, "pt-BR") == project.root / "translations/pt_BR/doc.po"


@pytest.mark.parametrize("old, new, line_text, words", [
    ("target_languages: [en]", "target_languages: [en, xx]", "target_languages:", ["target_languages[1]", "'xx'"]),
    ("source_language: fa", "source_language: e", "source_language:", ["source_language", "'e'"]),
    ("  en: Test\n", "  english: Test\n", "english: Test", ["'english'", "did you mean en"]),
    ("  en: Test\n", "  fa-XX-foo: Test\n", "fa-XX-foo", ["'fa-XX-foo'"]),
    ("target_languages: [en]", "target_languages:\n  - en\n  - pt_BR\n  - pt-BR\n", "  - pt-BR",
     ["pt_BR and pt-BR are one language (pt-BR)"]),
    ("  en: Test\n", "  pt-BR: Teste\n  pt_BR: Teste\n", "pt_BR: Teste", ["pt-BR and pt_BR are one language"]),
    ("target_languages: [en]", "target_languages: [FA]", "target_languages:", ["source language"]),
])
def test_publish_yml_refuses_with_file_and_line(make_project, old, new, line_text, words):
    root = _config(make_project, old, new)
    text = (root / "publish.yml").read_text(encoding="utf-8")
    [line] = [i for i, l in enumerate(text.splitlines(), 1) if l.startswith(line_text) or line_text in l]
    with pytest.raises(PublishError) as info:
        config.load(root)
    message = str(info.value)
    assert message.startswith(f"publish.yml:{line}: "), message
    assert "\n" not in message
    for w in words:
        assert w in message, message


# --- publish init ------------------------------------------------------------------------

@pytest.mark.parametrize("args, option", [(["-l", "xx"], "-l/--language"), (["-l", "en", "-l", "english"], "-l/--language"),
                                          (["-s", "e"], "-s/--source-language"),
                                          (["-l", "pt_BR", "-l", "pt-BR"], "-l/--language")])
def test_init_refuses_an_unknown_tag_and_writes_nothing(tmp_path, args, option):
    proc = publish(["init", "book", *args], tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    [line] = proc.stderr.splitlines()
    assert line.startswith(f"publish: {option}: "), line
    assert not (tmp_path / "book").exists()
    assert proc.stdout == ""


def test_init_writes_tags_in_publish_yml_and_the_gettext_form_for_folders(tmp_path):
    proc = publish(["init", "book", "-l", "en", "-l", "pt_br"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    root = tmp_path / "book"
    assert "target_languages: [en, pt-BR]" in (root / "publish.yml").read_text(encoding="utf-8")
    assert (root / "translations/pt_BR").is_dir() and not (root / "translations/pt-BR").exists()
    project = config.load(root)
    assert project.target_languages == ["en", "pt-BR"]


# --- catalogs --------------------------------------------------------------------------

def _po(language: str) -> polib.POFile:
    po = polib.POFile()
    po.metadata = {"Language": language}
    return po


@pytest.mark.parametrize("declared", ["pt_BR", "pt-BR", "pt-br", "pt", ""])
def test_a_catalog_may_spell_its_language_either_way(declared):
    catalog.check_language(_po(declared), "pt-BR", "translations/pt_BR/doc.po")


@pytest.mark.parametrize("declared", ["pt_PT", "en", "xx"])
def test_a_catalog_of_another_language_is_refused(declared):
    with pytest.raises(PublishError, match=r"translations/pt_BR/") as info:
        catalog.check_language(_po(declared), "pt-BR", "translations/pt_BR/doc.po")
    assert info.value.path == "translations/pt_BR/doc.po"


@pytest.mark.parametrize("lang, header", [("pt-BR", "pt_BR"), ("zh-Hant", "zh_Hant"), ("prs", "prs"),
                                          ("ckb", "ckb"), ("sr-Latn", "sr_Latn")])
def test_merge_writes_the_gettext_form_and_babels_plural_forms(lang, header):
    pot = polib.POFile()
    pot.metadata = {"POT-Creation-Date": "2026-01-01 00:00+0000", "Language": ""}
    po = catalog.merge(pot, None, lang)
    assert po.metadata["Language"] == header
    assert po.metadata["Plural-Forms"] == languages.parse(lang).plural_forms
    catalog.check_language(po, lang, "x.po")   # what publish writes, it reads back


def test_glossary_keys_are_tags(tmp_path):
    path = tmp_path / "glossary.yml"
    path.write_text("terms:\n  - term: حزب\n    pt_BR: partido\n    EN: party\n", encoding="utf-8")
    [term] = glossary.load(path, "fa")
    assert term.targets == {"pt-BR": "partido", "en": "party"}
    path.write_text("terms:\n  - term: حزب\n    pt_BR: partido\n    pt-BR: partido\n", encoding="utf-8")
    with pytest.raises(PublishError, match=r"duplicate key pt-BR"):
        glossary.load(path, "fa")


# --- editions ----------------------------------------------------------------------------

def test_edition_names_are_tags_and_either_spelling_finds_them(make_project):
    root = _config(make_project, "target_languages: [en]", "target_languages: [en, pt-BR]")
    project = config.load(root)
    assert edition_languages(project) == {"fa": ("fa",), "en": ("en",), "fa-en": ("fa", "en"),
                                          "pt-BR": ("pt-BR",), "fa-pt-BR": ("fa", "pt-BR")}
    assert edition_name(project, "pt_BR") == "pt-BR"
    assert edition_name(project, "fa-pt_br") == "fa-pt-BR"
    with pytest.raises(PublishError, match="unknown edition 'pt'"):
        edition_name(project, "pt")


def test_the_preview_rebuilds_the_parallel_text_first(make_project):
    from publish.serve import plan
    root = _config(make_project, "target_languages: [en]", "target_languages: [en, pt-BR]")
    project = config.load(root)
    plans = plan(project, {"translations/pt_BR/doc.po"})
    assert [p.editions for p in plans] == [["fa-pt-BR"], ["pt-BR"]]


def test_labels_of_a_regional_variant_are_the_languages():
    assert label("fa-AF", "contents") == label("fa", "contents") == label("prs", "contents")
    assert label("pt-BR", "contents") == "Contents"   # no Portuguese labels: English


def test_arabic_script_languages_are_set_like_persian():
    css = '[lang="fa"] { font-family: x; }\n:not(:lang(fa)) { font-family: y; }\np:lang(fa), h1 { line-height: 2; }'
    assert script_css(css, ("fa", "en")) == css
    out = script_css(css, ("fa", "ckb"))
    assert '[lang="fa"], [lang="ckb"] {' in out
    assert ":not(:lang(fa)):not(:lang(ckb)) {" in out
    assert "p:lang(fa), p:lang(ckb), h1 {" in out
    assert script_css(css, ("fa", "fa-AF")) == css   # :lang(fa) already matches fa-AF
