"""publish.check: the finished catalog passes every check; each check finds a
planted error of its kind in a copy of a real unit, and a translator can
silence it; the number reader on its own; and a cross-check with
translate-toolkit's pofilter on tests/data/planted.po."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from publish import catalog, check, config, glossary
from publish.assemble import split_notes
from publish.errors import PublishError

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
REAL_PO = REPO / "translations" / "en" / "report.po"
REAL_DISPLAY = "translations/en/report.po"
PLANTED = DATA / "planted.po"


@pytest.fixture(scope="module")
def project():
    return config.load(REPO)


@pytest.fixture(scope="module")
def terms(project):
    return glossary.load(project.glossary_path, project.source_language, project.normalize)


def run(po: polib.POFile, terms, only=None, display=REAL_DISPLAY) -> list[check.Finding]:
    return check.check_catalog(po, display, "en", "fa", terms, only)


def entry_with(po: polib.POFile, needle: str) -> polib.POEntry:
    [entry] = [e for e in po if needle in e.msgid and not e.obsolete]
    return entry


# --- the acceptance bar: the finished catalog ------------------------------------------

def test_finished_catalog_has_no_findings(project):
    findings = check.check_project(project)
    assert findings == [], "\n".join(map(str, findings))


def test_every_check_ran_on_the_finished_catalog(terms):
    """Zero findings must not come from checks that saw nothing: the catalog
    has numbers, glossary terms and final punctuation for them to look at."""
    po = catalog.read(REAL_PO)
    units = [e for e in po if e.msgstr and not e.obsolete]
    assert len(units) >= 100
    assert sum(1 for e in units if check.numbers_in(e.msgid)) >= 15
    assert sum(len(glossary.terms_in(e.msgid, terms)) for e in units) >= 100
    assert check.median_ratio(po) is not None


# --- planted errors, one (or more) per check -------------------------------------------

def sub(old: str, new: str, field: str = "msgstr"):
    def plant(e: polib.POEntry) -> None:
        text = getattr(e, field)
        assert old in text, f"{old!r} not in {text!r}"
        setattr(e, field, text.replace(old, new, 1))
    return plant


def both(*plants):
    def plant(e):
        for p in plants:
            p(e)
    return plant


def setattr_(field, value):
    def plant(e):
        setattr(e, field, value(e) if callable(value) else value)
    return plant


REYHANEH = "کمپین نجات ریحانه را بعنوان"
BAFQ = "کانال جدید هستند"
P = pytest.param
# (check, unit's needle, the plant, the checks that must flag the unit)
PLANTS = [
    P("numbers", "۳۰۰ هزار", sub("300,000", "30,000"), {"numbers"}, id="numbers-digits"),
    P("numbers", "۱۸ ماه", sub("24 hours", "twenty hours"), {"numbers"}, id="numbers-digits-as-words"),
    P("numbers", "هفت ماه قبل", sub("Seven months", "Six months"), {"numbers"}, id="numbers-words"),
    P("numbers", "دو کنگره هشت و نه", sub("Ninth Congresses", "Tenth Congresses"), {"numbers"},
      id="numbers-ordinals"),
    P("numbers", "یازده نشریه", sub("99%", "90%"), {"numbers", "glossary"}, id="numbers-percent"),
    P("glossary", "این اولویت اعلام شده", sub("Committee Abroad", "Foreign Committee"), {"glossary"},
      id="glossary"),
    P("glossary", "ویژگی دوم", sub("Worker-communist Party", "Workers’ Communist Party"), {"glossary"},
      id="glossary-party-name"),
    P("glossary", "کمیته علیه اعدام چاپ", sub("Committee Against Execution", "Committee Against Executions"),
      {"glossary"}, id="glossary-name-exact"),
    P("script", BAFQ, sub("(Kanal-e Jadid)", "(کانال جدید)"), {"script"}, id="script"),
    # punctuation-script: one plant per character class (the «» quotes are a warning: see below)
    P("punctuation-script", "یازده نشریه", sub("99%”", "99٪”"), {"punctuation-script", "glossary"},
      id="punctuation-script-percent"),
    P("punctuation-script", "یازده نشریه", sub("ones, “", "ones، “"), {"punctuation-script"},
      id="punctuation-script-comma"),
    P("punctuation-script", "یازده نشریه", sub("”; seven", "”؛ seven"), {"punctuation-script"},
      id="punctuation-script-semicolon"),
    P("punctuation-script", "حلقه های کلیدی", both(sub("آدرس کرد.", "آدرس کرد؟", "msgid"),
                                                  sub("addressed.", "addressed؟")), {"punctuation-script"},
      id="punctuation-script-question-mark"),
    P("punctuation-script", "۳۰۰ هزار", sub("300,000", "۳۰۰,۰۰۰"), {"punctuation-script"},
      id="punctuation-script-persian-digits"),
    P("punctuation-script", "۳۰۰ هزار", sub("300,000", "٣٠٠,٠٠٠"), {"punctuation-script"},
      id="punctuation-script-arabic-indic-digits"),
    P("identical", "حلقه های کلیدی", setattr_("msgstr", lambda e: e.msgid), {"identical", "script"},
      id="identical"),
    P("emphasis", REYHANEH, both(sub("کمپین نجات ریحانه", "**کمپین نجات ریحانه**", "msgid")),
      {"emphasis"}, id="emphasis-bold"),
    P("emphasis", REYHANEH, both(sub("نمونه ای", "*نمونه ای*", "msgid"), sub("example", "**example**")),
      {"emphasis"}, id="emphasis-italic-became-bold"),
    P("note", REYHANEH, sub("example", "example^[]"), {"note"}, id="note-empty"),
    P("note", REYHANEH, sub("example", "example^[the 2019 campaign ^[nested]]"), {"note"}, id="note-nested"),
    P("html", REYHANEH, sub("example", "<b>example</b>"), {"html"}, id="html-tag"),
    P("html", REYHANEH, sub("example", "example<script>x</script>"), {"html"}, id="html-script"),
    P("markup", REYHANEH, both(sub("نگاه کنید.", "نگاه کنید.[^3]", "msgid"), sub("work.", "work.[^2]")),
      {"markup"}, id="markup-footnote"),
    P("markup", REYHANEH, both(sub("فعالیت ما", "[فعالیت ما](https://wpiran.org/a)", "msgid"),
                               sub("our work", "[our work](https://wpiran.org/b)")),
      {"markup"}, id="markup-link"),
    P("markup", REYHANEH, both(sub("نمونه ای", "`نمونه` ای", "msgid")), {"markup"}, id="markup-code"),
    P("brackets", BAFQ, sub("(Kanal-e Jadid)", "(Kanal-e Jadid"), {"brackets"}, id="brackets-paren"),
    P("brackets", "رادیو جنبش", sub("(“Movement”)", "(“Movement)"), {"brackets"}, id="brackets-quote"),
    P("punctuation", "کدام انسان منصفی", sub("in this!", "in this."), {"punctuation"},
      id="punctuation-exclamation"),
    P("punctuation", "حلقه های کلیدی", both(sub("آدرس کرد.", "آدرس کرد؟", "msgid"),
                                           sub("addressed.", "addressed")), {"punctuation"},
      id="punctuation-question"),
    P("urls", "تعدادی از رفقا", both(sub("اینجا", "در https://rowzane.com", "msgid"),
                                    sub("here", "on https://rowzane.org")), {"urls"}, id="urls"),
    P("urls", "تعدادی از رفقا", both(sub("اینجا", "به info@rowzane.com", "msgid"),
                                    sub("here", "to info@rowzane.co")), {"urls"}, id="urls-email"),
    P("placeholders", "تعدادی از رفقا", both(sub("تعدادی", "{count}", "msgid"),
                                            sub("A number", "{conut}")), {"placeholders"},
      id="placeholders-brace"),
    P("placeholders", "تعدادی از رفقا", both(sub("تعدادی", "%(count)s", "msgid"),
                                            sub("A number", "%(count)d")), {"placeholders"},
      id="placeholders-printf"),
    P("whitespace", "اما این مقایسه", sub("does not tell", "does not  tell"), {"whitespace"},
      id="whitespace-double"),
    P("whitespace", "اما این مقایسه", sub("But", " But"), {"whitespace"}, id="whitespace-leading"),
    P("whitespace", "اما این مقایسه", sub("much.", "much.\t"), {"whitespace"}, id="whitespace-trailing"),
    P("bidi", "سنگر به سنگر", sub("outlooks", "\u2067outlooks\u2069"), {"bidi"}, id="bidi-isolate"),
    P("bidi", "سنگر به سنگر", sub("outlooks", "\u202eskoolto\u202c"), {"bidi"}, id="bidi-override"),
    P("length", "تجربه ما بخوبی", setattr_("msgstr", "Our experience has shown this clearly."), {"length"},
      id="length-short"),
    P("length", "حلقه های کلیدی",
      setattr_("msgstr", "But the key links must be addressed, and we will return to them at length "
                         "in the resolutions, in the sessions of the congress and in our press."),
      {"length"}, id="length-long"),
    P("untranslated", "رهبری حزب به ضعف", setattr_("msgstr", ""), {"untranslated"}, id="untranslated"),
    P("untranslated", "رهبری حزب به ضعف", setattr_("msgstr", "  "), {"untranslated"}, id="untranslated-blank"),
    P("fuzzy", "صفحات فیس بوکی", lambda e: e.flags.append("fuzzy"), {"fuzzy"}, id="fuzzy"),
    # the subtitle's entry (msgctxt "document subtitle"), at the top of the catalog
    P("title", "فعالیت‌های حزب در فاصله کنگره", setattr_("msgstr", ""), {"untranslated", "title"}, id="title"),
    P("title", "فعالیت‌های حزب در فاصله کنگره", lambda e: e.flags.append("fuzzy"), {"fuzzy", "title"},
      id="title-fuzzy"),
]


def test_every_check_has_a_planted_error():
    assert {p.values[0] for p in PLANTS} == set(check.CHECKS)


@pytest.fixture
def real_po() -> polib.POFile:
    return catalog.read(REAL_PO)


@pytest.mark.parametrize("name, needle, plant, expected", PLANTS)
def test_planted_error_is_found_and_can_be_silenced(real_po, terms, name, needle, plant, expected):
    entry = entry_with(real_po, needle)
    plant(entry)
    findings = run(real_po, terms)
    assert {f.msgid for f in findings} == {entry.msgid}, "\n".join(map(str, findings))
    assert {f.check for f in findings} == expected, "\n".join(map(str, findings))
    mine = [f for f in findings if f.check == name]
    for f in mine:
        assert (f.path, f.line, f.msgid) == (REAL_DISPLAY, entry.linenum, entry.msgid)
        assert f.severity == check.CHECKS[name].severity
        assert f.message.strip()
    # a translator silences it for this unit, unless it guards the reader
    entry.flags.append(f"no-check-{name}")
    kept = {name} if name in check.UNSILENCEABLE else set()
    assert {f.check for f in run(real_po, terms)} == (expected - {name}) | kept


def test_silencing_by_comment_flag_and_all_survives_a_save(tmp_path, terms):
    po = catalog.read(REAL_PO)
    numbers_unit = entry_with(po, "۳۰۰ هزار")
    glossary_unit = entry_with(po, "این اولویت اعلام شده")
    identical_unit = entry_with(po, "حلقه های کلیدی")
    sub("300,000", "30,000")(numbers_unit)
    sub("Committee Abroad", "Foreign Committee")(glossary_unit)
    identical_unit.msgstr = identical_unit.msgid
    path = tmp_path / "report.po"

    def findings():
        path.write_text(catalog.render(po), encoding="utf-8")
        return {(f.msgid, f.check) for f in run(catalog.read(path), terms)}

    assert findings() == {(numbers_unit.msgid, "numbers"), (glossary_unit.msgid, "glossary"),
                          (identical_unit.msgid, "identical"), (identical_unit.msgid, "script")}
    numbers_unit.tcomment = (numbers_unit.tcomment + "\n" if numbers_unit.tcomment else "") + \
        "check: ignore numbers (the source's figure is wrong; see the note)"
    glossary_unit.flags.append("no-check-glossary")
    identical_unit.flags.append("no-check-all")
    assert findings() == set()
    text = path.read_text(encoding="utf-8")
    assert re.search(r"^#, (.*, )?no-check-glossary(, .*)?$", text, re.M)
    assert re.search(r"^#, (.*, )?no-check-all(, .*)?$", text, re.M)


def test_silencing_one_check_leaves_the_others(real_po, terms):
    entry = entry_with(real_po, "حلقه های کلیدی")
    entry.msgstr = entry.msgid
    entry.tcomment = "check: ignore identical"
    assert {f.check for f in run(real_po, terms)} == {"script"}
    entry.tcomment = "check: ignore identical, script"
    assert run(real_po, terms) == []


def test_only_runs_the_named_checks(real_po, terms):
    sub("300,000", "30,000")(entry_with(real_po, "۳۰۰ هزار"))
    entry_with(real_po, "رهبری حزب به ضعف").msgstr = ""
    assert {f.check for f in run(real_po, terms)} == {"numbers", "untranslated"}
    assert {f.check for f in run(real_po, terms, only=["numbers"])} == {"numbers"}
    assert {f.check for f in run(real_po, terms, only=["untranslated", "urls"])} == {"untranslated"}
    with pytest.raises(PublishError, match="unknown check numbrs"):
        run(real_po, terms, only=["numbrs"])


def test_fuzzy_units_get_one_warning_only(real_po, terms):
    entry = entry_with(real_po, "۳۰۰ هزار")
    sub("300,000", "30,000")(entry)
    entry.flags.append("fuzzy")
    [finding] = run(real_po, terms)
    assert (finding.check, finding.severity) == ("fuzzy", "warning")


def test_obsolete_entries_are_not_checked(real_po, terms):
    entry = entry_with(real_po, "۳۰۰ هزار")
    sub("300,000", "30,000")(entry)
    entry.obsolete = True
    assert run(real_po, terms) == []


def test_finding_as_dict_and_str(real_po, terms):
    entry = entry_with(real_po, "۳۰۰ هزار")
    sub("300,000", "30,000")(entry)
    findings = run(real_po, terms)
    d = findings[0].as_dict()
    assert set(d) == {"path", "line", "check", "message", "msgid", "severity"}
    assert d["path"] == REAL_DISPLAY and d["line"] == entry.linenum and d["check"] == "numbers"
    assert str(findings[0]).startswith(f"{REAL_DISPLAY}:{entry.linenum}: error: ")


# --- punctuation-script on its own --------------------------------------------------------

def punctuation_script(target, source="منبع", lang="en"):
    return list(check.punctuation_script(source, target, check.Context(lang=lang)))


@pytest.mark.parametrize("target, named, latin", [
    ("It rose by 28٪.", "percent sign “٪”", "“%”"),
    ("Tehran، Kabul", "comma “،”", "“,”"),
    ("first؛ then", "semicolon “؛”", "“;”"),
    ("Why؟", "question mark “؟”", "“?”"),
    ("in 3٫5 hours", "decimal separator “٫”", "“.”"),
    ("in ۱۴۰۲", "Persian digits", "“۱۴۰۲” → “1402”"),
    ("in ١٤٠٢", "Arabic-Indic digits", "“١٤٠٢” → “1402”"),
    ("we publish «Unveiled»", "quotation marks «…»", "“…”"),
])
def test_punctuation_script_names_the_character_and_its_latin_form(target, named, latin):
    [message] = punctuation_script(target)
    assert named in message and latin in message and "write" in message, message


def test_punctuation_script_clean_english_has_no_finding():
    assert punctuation_script("It rose by 28% in 1402, didn’t it? “Yes”; 3.5 hours.") == []


def test_punctuation_script_quotes_are_a_warning_the_rest_errors(real_po, terms):
    entry = entry_with(real_po, "یازده نشریه")
    sub("“Unveiled”", "«Unveiled»")(entry)
    sub("ones, ", "ones، ")(entry)
    found = {f.message: f.severity for f in run(real_po, terms, only=["punctuation-script"])}
    assert sorted(found.values()) == ["error", "warning"], found
    assert [m for m, sev in found.items() if sev == "warning"][0].startswith("the Persian quotation marks")


def test_punctuation_script_leaves_the_sources_code_and_urls():
    source = "فرمان `ls ۱۲٪` را در https://example.org/۱۲٪ ببینید"
    assert punctuation_script("See `ls ۱۲٪` at https://example.org/۱۲٪.", source) == []
    # a code span the source does not have is the translator's
    assert punctuation_script("See `ls ۱۳٪` at https://example.org/۱۲٪.", source)


def test_punctuation_script_follows_the_languages_script():
    assert punctuation_script("۲۸٪، «نه»", lang="ur") == []          # Urdu is written in Arabic script
    assert len(punctuation_script("28٪", lang="he")) == 1           # Hebrew is right to left, not Arabic
    assert punctuation_script("il dit «non».", lang="fr") == []     # French quotes with « »


def test_script_leaves_punctuation_and_digits_to_punctuation_script():
    ctx = check.Context()
    assert list(check.script("x", "It rose by ۲۸٪، then", ctx)) == []
    assert list(check.script("x", "our فعالیت،", ctx)) == ["Persian/Arabic script left in the translation: “فعالیت”"]


def test_check_project_reads_catalogs_and_glossary(project_dir):
    po_path = project_dir / "translations" / "en" / "report.po"
    po = catalog.read(po_path)
    sub("Committee Abroad", "Foreign Committee")(entry_with(po, "این اولویت اعلام شده"))
    po_path.write_text(catalog.render(po), encoding="utf-8")
    proj = config.load(project_dir)
    [f] = check.check_project(proj, documents=["report"], languages=["en"])
    assert (f.path, f.check) == ("translations/en/report.po", "glossary")
    assert "translations/glossary.yml:" in f.message
    assert check.check_project(proj, only=["numbers"]) == []
    with pytest.raises(PublishError):
        check.check_project(proj, languages=["de"])


# --- the number reader -------------------------------------------------------------------

SAME_NUMBERS = [
    # as Persian writes them (issue 16)
    ("موتور این موتورسیکلت ۷۰۰ سی سی است.", "The motorcycle's engine is 700 cc."),
    ("حقوق ماهانه ۳ میلیون و ۸۰۰ هزار تومان است.", "The monthly wage is 3.8 million tomans."),
    ("حقوق ماهانه ۳ میلیون و ۸۰۰ هزار تومان است.", "The monthly wage is 3,800,000 tomans."),
    ("۲ هزار و ۵۰۰ نفر آمدند.", "2,500 people came."),
    ("دو و نیم سال طول کشید.", "It took two and a half years."),
    ("دو و نیم سال طول کشید.", "It took 2.5 years."),
    ("یک چهارم کارگران زن هستند.", "A quarter of the workers are women."),
    ("یک چهارم کارگران زن هستند.", "One quarter of the workers are women."),
    ("سه چهارم کارگران زن هستند.", "Three quarters of the workers are women."),
    ("دو سوم اعضا رای دادند.", "Two thirds of the members voted."),
    ("تورم ۲۷٫۵ درصد بود.", "Inflation was 27.5 per cent."),
    ("تورم ۲۷.۵ درصد بود.", "Inflation was 27.5%."),
    ("در سال 1402 (2023–24) اعتصاب شد.", "In 1402 (2023–24) there was a strike."),
    ("در سال ۱۴۰۲ اعتصاب شد.", "In 2023–24 there was a strike."),
    ("در سال ۱۴۰۲ اعتصاب شد.", "In 2023 there was a strike."),
    ("در سال‌های ۱۳۵۷-۵۸ انقلاب شد.", "In 1357–58 there was a revolution."),
    ("این یک حزب سوم است.", "This is a third party."),
    ("۳۰۰ هزار یورو", "300,000 euros"),
    ("۳۰۰ هزار یورو", "300 thousand euros"),
    ("صد هزار نفر", "a hundred thousand people"),
    ("صد هزار نفر", "100,000 people"),
    ("۹۹ درصد", "99%"),
    ("۹۹ درصد", "ninety-nine per cent"),
    ("۱٫۵ میلیون", "1.5 million"),
    ("۱۲٬۵۰۰ نفر", "12,500 people"),
    ("٢٣ نفر", "23 people"),
    ("بیست و یک سال", "twenty-one years"),
    ("دو میلیون و سیصد هزار", "2,300,000"),
    ("کنگره هشت و نه", "the Eighth and Ninth Congresses"),
    ("کنگره نهم", "the 9th Congress"),
    ("دهمین سال", "its tenth year"),
    ("یک کمونیسم اجتماعی", "a socially engaged communism"),
    ("یکی از تلاش های ما", "one of our efforts"),
    ("۱ نفر", "one person"),
    ("نه تنها این بلکه آن", "not only this but that"),
    ("نه سال", "nine years"),
    ("صدها هزار انسان", "hundreds of thousands of human beings"),
    ("ده ها هزار نفر", "tens of thousands of people"),
    ("بی بی سی", "the BBC"),
    ("سه شنبه", "on Tuesday"),
    ("دو برابر", "double"),
    ("دو کنگره هشت و نه یعنی دو سال و هشت ماه", "the two years and eight months between the Eighth and Ninth Congresses"),
    ("[پیوند](https://example.com/2014/a) [^1]", "[link](https://example.com/2014/a) [^1]"),
]
DIFFERENT_NUMBERS = [
    # planted errors the Persian forms must still catch
    ("حقوق ماهانه ۳ میلیون و ۸۰۰ هزار تومان است.", "The monthly wage is 3.7 million tomans."),
    ("حقوق ماهانه ۳ میلیون و ۸۰۰ هزار تومان است.", "The monthly wage is 3 million tomans."),
    ("دو و نیم سال طول کشید.", "It took three and a half years."),
    ("یک چهارم کارگران زن هستند.", "A third of the workers are women."),
    ("در سال ۱۴۰۲ اعتصاب شد.", "In 2026 there was a strike."),
    ("در سال 1402 (2023–24) اعتصاب شد.", "In 1402 (2023–25) there was a strike."),
    ("موتور این موتورسیکلت ۷۰۰ سی سی است.", "The motorcycle's engine is 800 cc."),
    ("۳۰۰ هزار یورو", "30,000 euros"),
    ("۳۰۰ هزار یورو", "300 euros"),
    ("هفت ماه", "six months"),
    ("نه سال", "ten years"),
    ("۱۸ ماه و ۱۸ روز", "18 months and days"),
    ("۹۹ درصد", "90 per cent"),
    ("کنگره نهم", "the Eighth Congress"),
    ("۱ نفر", "two people"),
    ("سه نکته", "points"),
]


@pytest.mark.parametrize("source, target", SAME_NUMBERS)
def test_numbers_the_same(source, target):
    assert list(check.numbers(source, target, check.Context())) == []


@pytest.mark.parametrize("source, target", DIFFERENT_NUMBERS)
def test_numbers_different(source, target):
    assert list(check.numbers(source, target, check.Context()))


# --- the cross-check with pofilter ---------------------------------------------------------

POFILTER = Path(sys.executable).parent / "pofilter"
# pofilter's tests that cover the same kinds of error as ours.
POFILTER_TESTS = ("numbers", "urls", "emails", "brackets", "doublespacing", "startwhitespace",
                  "endwhitespace", "untranslated", "blank", "isfuzzy", "endpunc", "unchanged",
                  "printf", "pythonbraceformat")
# pofilter reads the source as English: it does not know Persian digits (۱۳ ≠ 13
# for it) or the Persian question mark.  Its input gets the Latin forms, so that
# it compares like with like; the units are matched back by position.
_LATIN = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩٫٬؟،؛", "01234567890123456789.,?,;")


def _planted(po: polib.POFile) -> dict[str, set[str]]:
    out = {}
    for e in po:
        m = re.search(r"^planted: (.+)$", e.comment or "", re.M)
        assert m, f"line {e.linenum}: no '#. planted:' comment"
        out[e.msgid] = set(m.group(1).split(", ")) - {"none"}
    return out


def test_planted_file_is_flagged_exactly_as_annotated(terms):
    po = catalog.read(PLANTED)
    found: dict[str, set[str]] = {}
    for f in run(po, terms, display="tests/data/planted.po"):
        found.setdefault(f.msgid, set()).add(f.check)
    expected = _planted(po)
    assert {m: c for m, c in found.items()} == {m: c for m, c in expected.items() if c}
    assert set().union(*expected.values()) == set(check.CHECKS)


def test_pofilter_flags_nothing_we_miss(tmp_path, terms):
    if not POFILTER.exists():
        pytest.skip("translate-toolkit is not installed (pip install translate-toolkit): no pofilter to compare with")
    po = catalog.read(PLANTED)
    ours = {f.msgid for f in run(po, terms, display="tests/data/planted.po")}

    latin = polib.POFile(wrapwidth=0)
    latin.metadata = dict(po.metadata)
    back: dict[str, str] = {}
    for e in po:
        # pofilter knows no translator's notes (^[…]): it gets the translation
        # as our checks compare it with the source, without them
        copy = polib.POEntry(msgid=e.msgid.translate(_LATIN), msgstr=split_notes(e.msgstr)[0],
                             flags=list(e.flags), comment=e.comment)
        back[copy.msgid] = e.msgid
        latin.append(copy)
    src, out = tmp_path / "planted.po", tmp_path / "flagged.po"
    latin.save(str(src))
    proc = subprocess.run(
        [str(POFILTER), "--progress=none", "--language=en", *(f"--test={t}" for t in POFILTER_TESTS),
         "-i", str(src), "-o", str(out)],
        capture_output=True, text=True, encoding="utf-8", timeout=60,
        env={**os.environ, "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8"})
    assert proc.returncode == 0, proc.stderr
    flagged = {back[e.msgid]: e.tcomment for e in polib.pofile(str(out)) if e.msgid}

    # pofilter does its part: it flags every unit planted for one of its tests ...
    for_pofilter = {e.msgid for e in po if re.search(r"^pofilter: (?!none)", e.comment, re.M)}
    assert for_pofilter <= set(flagged), sorted(for_pofilter - set(flagged))
    # ... and whatever it flags, we flag too.
    missed = {m: why for m, why in flagged.items() if m not in ours}
    assert not missed, "\n".join(f"{why}: {m}" for m, why in missed.items())
