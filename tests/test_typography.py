"""The optional Persian typographic rules (publish.typography), and the merge
that carries a translation over when its source changed only by
normalisation or only in link and picture targets (publish.equivalence)."""
from __future__ import annotations

import base64
import re
import sys
from pathlib import Path

import polib
import pytest
from hypothesis import given, settings, strategies as st

from conftest import all_msgstrs
from publish import catalog, config, equivalence, normalize, source, typography, update
from publish.tree import clean

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import typography as bench  # noqa: E402  (bench/typography.py: the gold set's reader)

ZWNJ = "\u200c"
ALL = {r: True for r in typography.RULES}

# --- the gold set: each row with its rule alone ----------------------------------------

# rows ours gets wrong, as bench/results-typography.md lists them: strict, so
# a fix shows up here as well as a regression
KNOWN_WRONG = {
    "از این می مست شدم.",          # wine before a word that ends like a verb
    "آره ها، درست است.",            # the colloquial ها after a word
    "لباسم تر شد.",                 # تر = wet after a suffixed noun
    "Windows 10 و 11 آمد.",         # the second number of a Latin series
}
ROWS = bench.load()


def test_gold_set_is_large_and_has_traps():
    assert len(ROWS) >= 200
    for rule in typography.RULES:
        assert sum(1 for r in ROWS if r[0] == rule and r[1] == r[2]) >= 10, rule
        assert sum(1 for r in ROWS if r[0] == rule and r[1] != r[2]) >= 20, rule


@pytest.mark.parametrize("rule, before, after, note", [
    pytest.param(*row, id=f"{row[0]}-{i}",
                 marks=[pytest.mark.xfail(strict=True, reason=row[3])] if row[1] in KNOWN_WRONG else [])
    for i, row in enumerate(ROWS)])
def test_gold_row(rule, before, after, note):
    assert typography.apply(before, {rule: True}) == after
    # and the other typographic rules leave the row's subject alone
    others = {r: True for r in typography.RULES if r != rule}
    assert bench.edits(before, typography.apply(before, others)) & bench.edits(before, after) == set()


def test_precision_and_recall_stay_where_measured():
    for rule in typography.RULES:
        s = bench.score(ROWS, rule, lambda t, rule=rule: typography.apply(t, {rule: True}))
        assert s["p"] >= 0.94 and s["r"] >= 0.99, (rule, s["p"], s["r"])


# --- each rule, each trap, named ----------------------------------------------------------

@pytest.mark.parametrize("rule, before, after", [
    ("zwnj_prefixes", "می شود", "می‌شود"),
    ("zwnj_prefixes", "نمی کند", "نمی‌کند"),
    ("zwnj_suffixes", "عرصه های", "عرصه‌های"),
    ("zwnj_suffixes", "بزرگ ترین", "بزرگ‌ترین"),
    ("zwnj_suffixes", "خانه ای", "خانه‌ای"),
    ("persian_digits", "سال 1402", "سال ۱۴۰۲"),
    ("persian_digits", "سال ١٤٠٢", "سال ۱۴۰۲"),
    ("ellipsis", "و...", "و…"),
])
def test_each_rule(rule, before, after):
    assert typography.apply(before, {rule: True}) == after
    assert typography.apply(before, {rule: False}) == before
    assert typography.apply(before, {}) == before          # off unless asked for


@pytest.mark.parametrize("text", [
    "میز", "میوه", "میهن", "هایده", "ایران", "ماه می گذشته", "۱۵ می ۲۰۲۰", "جام می", "می ناب",
    "گفت ها! چه", "با های و هوی", "ای دوست", "گفتم ای خدا", "چشم تر", "MP3", "H2O", "فایل MP3 است",
    "فرمول H2O است", "ویندوز Windows 10 است", "از https://example.com/page/2 ببینید", "....", "https://a.ir/...",
])
def test_traps_are_left(text):
    assert typography.apply(text, ALL) == text


def test_the_rules_are_named_alike_everywhere():
    assert config.TYPOGRAPHY_RULES == typography.RULES
    assert set(typography.RULES) <= set(normalize.DESCRIPTIONS)
    assert not set(typography.RULES) & set(normalize.RULES)


# --- properties -----------------------------------------------------------------------------

VOCAB = ["می", "نمی", "شود", "کند", "رفتند", "ها", "های", "هایی", "تر", "ترین", "ای", "ی", "اند", "خانه",
         "کتاب", "عرصه", "بزرگ", "که", "و", "ماه", "جام", "ناب", "دوست", "چشم", "1402", "٣", "۱۲", "2.5",
         "MP3", "Windows", "10", "https://a.ir/1", "...", "....", "و...", "«می", "ها!", "(ها)", "می‌شود", ""]


def _fold(text: str) -> str:
    """What the rules may change, folded away: half-spaces and spaces,
    digits, the ellipsis."""
    return text.replace(ZWNJ, " ").translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "0123456789" * 2)) \
        .replace("…", "...")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(VOCAB), min_size=1, max_size=12), st.sets(st.sampled_from(typography.RULES)))
def test_idempotent_and_changes_no_letter(words, on):
    rules = {r: True for r in on}
    text = " ".join(words)
    once = typography.apply(text, rules)
    assert typography.apply(once, rules) == once
    assert _fold(once) == _fold(text)
    assert len(once) == len(text) - 2 * (once.count("…") - text.count("…"))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(VOCAB[:-1]), min_size=1, max_size=10))
def test_the_tree_agrees_with_the_text(words):
    """A paragraph of plain words: the tree's words are the text's."""
    text = " ".join(w for w in words if not w.startswith(("«", "(", "https")))
    if not text.strip() or text.strip().startswith(("...", "....")):
        return
    src = source.parse(text + "\n", ALL, "doc.md")
    [para] = clean(src.blocks)
    got = "".join(el["c"] if el["t"] == "Str" else " " for el in para["c"])
    assert got == normalize.normalize(text, ALL)
    again = [dict(b) for b in src.blocks]
    source.normalize_tree(again, ALL)
    assert clean(again) == clean(src.blocks)


# --- in the tree: never across markup, never in code or targets ----------------------------

def _para(text: str, rules=ALL) -> list:
    return clean(source.parse(text + "\n", rules, "doc.md").blocks)[0]["c"]


def test_tree_joins_words_and_keeps_targets_and_code():
    inl = _para("این کار می شود و کتاب ها [در 2 جا](https://x.ir/a1/2) هست... `x 1` و 2")
    strs = [el["c"] for el in inl if el["t"] == "Str"]
    assert "می‌شود" in strs and "کتاب‌ها" in strs and "هست…" in strs and "۲" in strs
    link = next(el for el in inl if el["t"] == "Link")
    assert link["c"][2][0] == "https://x.ir/a1/2"
    assert [el["c"][0]["c"] if False else el["c"][1] for el in inl if el["t"] == "Code"] == ["x 1"]


def test_tree_never_joins_across_emphasis():
    inl = _para("**می** شود و *کتاب* ها")
    assert [el["c"] for el in inl if el["t"] == "Str"] == ["شود", "و", "ها"]


def test_rules_are_off_by_default(make_project):
    root = make_project(source="این کار می شود و کتاب ها در سال 1402 هست...\n")
    project = config.load(root)
    assert not any(project.normalize.get(r) for r in typography.RULES)
    [result] = update.update(project)
    pot = catalog.read(root / "translations/templates/doc.pot")
    assert "این کار می شود و کتاب ها در سال 1402 هست..." in {e.msgid for e in pot}
    assert not [c for c in result.normalized if c.rule in typography.RULES]


def test_config_refuses_a_misspelt_rule_with_its_line(make_project):
    from conftest import SYNTHETIC_CONFIG
    from publish.errors import PublishError
    root = make_project(config=SYNTHETIC_CONFIG.replace("  tatweel: true", "  tatweel: true\n  zwnj_prefix: true"))
    with pytest.raises(PublishError) as err:
        config.load(root)
    assert err.value.line == SYNTHETIC_CONFIG.splitlines().index("  tatweel: true") + 2


# --- the report -----------------------------------------------------------------------------

REPORT = """\
# فصل 1

1. این کار می شود و کتاب ها [در جا](http://x.ir/12) هست...
- `code 12` و <https://a.b/1> و [^1] و ![x](p1.png)

[^1]: یادداشت.
"""


def test_report_names_each_rule_line_by_line():
    changes = normalize.report(REPORT, ALL)
    got = {(c.line, c.rule, c.count) for c in changes if c.rule in typography.RULES}
    assert got == {(1, "persian_digits", 1), (3, "zwnj_prefixes", 1), (3, "zwnj_suffixes", 1),
                   (3, "ellipsis", 1)}
    assert normalize.report(REPORT, {}) == normalize.report(REPORT, {r: False for r in typography.RULES})


# --- the merge: a translation whose source changed only in form -----------------------------

SOURCE = """\
# عنوان

این کار می شود و کتاب ها هست... جمله دوم در سال 1402 است.

![نقشه](old.png) و [پیوند](https://old.example/a) اینجاست.

جمله‌ای که معنایش تغییر خواهد کرد.
"""
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")


@pytest.fixture
def translated_project(make_project, fill_translations):
    root = make_project(source=SOURCE)
    for name in ("old.png", "new.png"):
        (root / "source/fa" / name).write_bytes(PNG)
    update.update(config.load(root))
    fill_translations(root / "translations/en/doc.po")
    return root


def _po(root) -> polib.POFile:
    return catalog.read(root / "translations/en/doc.po")


def _switch_on(root, *rules):
    yml = root / "publish.yml"
    text = yml.read_text(encoding="utf-8")
    yml.write_text(text.replace("normalize:\n", "normalize:\n" + "".join(f"  {r}: true\n" for r in rules)),
                   encoding="utf-8")


def test_switching_a_rule_on_makes_nothing_fuzzy(translated_project, run_publish):
    root = translated_project
    before = {e.msgstr for e in _po(root) if e.msgstr}
    _switch_on(root, *typography.RULES)
    proc = run_publish(["update"], root)
    assert proc.returncode == 0, proc.stderr
    po = _po(root)
    assert "می‌شود" in " ".join(e.msgid for e in po)   # the rules did change the msgids
    assert not [e for e in po if "fuzzy" in e.flags]
    assert not po.obsolete_entries()
    assert {e.msgstr for e in po if e.msgstr} == before
    assert "translations/en/doc.po: carried over 2 translations whose source changed only by normalisation" \
        in proc.stdout
    # and again: nothing more to carry, nothing written
    proc = run_publish(["update"], root)
    assert "carried over" not in proc.stdout and "wrote" not in proc.stdout


def test_a_moved_picture_and_link_carry_the_translation_with_the_new_targets(translated_project):
    root = translated_project
    path = root / "source/fa/doc.md"
    path.write_text(SOURCE.replace("old.png", "new.png").replace("https://old.example/a", "https://new.example/b"),
                    encoding="utf-8")
    [result] = update.update(config.load(root))
    po = _po(root)
    new = "![نقشه](new.png) و [پیوند](https://new.example/b) اینجاست."
    entry = next(e for e in po if e.msgid == new)
    assert entry.msgstr == "EN:" + new and "fuzzy" not in entry.flags and entry.previous_msgid is None
    assert result.carried == {"translations/en/doc.po": {"targets": 1}}
    # the translator's own text is not lost: it stays, obsolete
    old = new.replace("new.png", "old.png").replace("https://new.example/b", "https://old.example/a")
    assert [(e.msgid, e.msgstr) for e in po.obsolete_entries()] == [(old, "EN:" + old)]


def test_a_real_change_still_becomes_fuzzy(translated_project):
    root = translated_project
    _switch_on(root, "zwnj_suffixes")
    path = root / "source/fa/doc.md"
    path.write_text(SOURCE.replace("معنایش تغییر خواهد کرد", "معنایش دیگر شد")
                    .replace("old.png", "new.png").replace("[پیوند]", "[نشانی]"), encoding="utf-8")
    [result] = update.update(config.load(root))
    po = _po(root)
    fuzzy = {e.msgid: e for e in po if "fuzzy" in e.flags}
    assert set(fuzzy) == {"جمله‌ای که معنایش دیگر شد.", "![نقشه](new.png) و [نشانی](https://old.example/a) اینجاست."}
    assert result.carried == {"translations/en/doc.po": {"normalisation": 1}}


def test_a_translation_without_the_old_target_is_not_retargeted(translated_project):
    root = translated_project
    po = _po(root)
    for e in po:
        if "old.png" in e.msgid:
            e.msgstr = "A map and a link are here."
    (root / "translations/en/doc.po").write_text(catalog.render(po), encoding="utf-8")
    (root / "source/fa/doc.md").write_text(SOURCE.replace("old.png", "new.png"), encoding="utf-8")
    update.update(config.load(root))
    entry = next(e for e in _po(root) if "new.png" in e.msgid)
    assert "fuzzy" in entry.flags and entry.msgstr == "A map and a link are here."


@pytest.mark.parametrize("old, new, msgstr, expected", [
    ("![x](a.png)", "![x](b.png)", "![X](a.png)", "![X](b.png)"),
    ("[a](u1) [b](u2)", "[a](u2) [b](u1)", "[B](u2) [A](u1)", "[B](u1) [A](u2)"),   # swapped, at once
    ("[a](u1) [b](u1)", "[a](u2) [b](u3)", "[A](u1) [B](u1)", None),                # ambiguous
    ("[a](u1)", "[a](u2)", "A", None),                                              # not in the translation
    ("<https://a.ir/1>", "<https://a.ir/2>", "see <https://a.ir/1>", "see <https://a.ir/2>"),
    ("[a](u1 \"t\")", "[a](u2 \"t\")", "[A](u1 \"T\")", "[A](u2 \"T\")"),
])
def test_retarget(old, new, msgstr, expected):
    assert equivalence.retarget(msgstr, old, new) == expected


@pytest.mark.parametrize("a, b, same", [
    ("کتاب ها", "کتاب‌ها", True),
    ("سال 1402...", "سال ۱۴۰۲…", True),
    ("كتاب", "کتاب", True),
    ("دو  فاصله", "دو فاصله", True),
    ("1\\. بند", "۱. بند", True),
    ("سال 1402", "سال 1403", False),
    ("کتاب ها", "کتاب های", False),
    ("[a](u1)", "[a](u2)", False),
])
def test_equivalence_key(a, b, same):
    assert (equivalence.key(a) == equivalence.key(b)) is same


def test_merge_with_equivalents_loses_nothing_and_is_a_fixed_point():
    def pot(ids):
        p = polib.POFile()
        for i in ids:
            p.append(polib.POEntry(msgid=i, msgstr=""))
        return p
    old = pot(["کتاب ها.", "![x](a.png) متن.", "جمله دیگر.", "سال 1402."])
    for e in old:
        e.msgstr = "EN:" + e.msgid
    new_ids = ["کتاب‌ها.", "![x](b.png) متن.", "جمله دیگر است.", "سال ۱۴۰۲."]
    carried: dict[str, int] = {}
    merged = catalog.parse(catalog.render(catalog.merge(pot(new_ids), old, "en", carried=carried)), "en.po")
    assert carried == {"normalisation": 2, "targets": 1}
    assert all_msgstrs(old) <= all_msgstrs(merged)
    active = {e.msgid: e for e in merged if not e.obsolete}
    assert active["کتاب‌ها."].msgstr == "EN:کتاب ها." and not active["کتاب‌ها."].flags
    assert active["![x](b.png) متن."].msgstr == "EN:![x](b.png) متن."
    assert "fuzzy" in active["جمله دیگر است."].flags
    assert catalog.render(catalog.merge(pot(new_ids), merged, "en")) == catalog.render(merged)
    assert re.search("#~ msgid \"!\\[x\\]\\(a.png\\)", catalog.render(merged))
