"""The glossary knows Persian inflection (issue 16): a term is found with the
endings Persian attaches, irregular forms are listed per term, and the
glossary `publish init` writes is valid once its example is uncommented."""
from __future__ import annotations

import re

import pytest

from publish import glossary, scaffold
from publish.errors import PublishError


def _load(tmp_path, text: str):
    path = tmp_path / "glossary.yml"
    path.write_text(text, encoding="utf-8")
    return glossary.load(path, "fa", {}, display="glossary.yml")


def _found(terms, text: str) -> list[str]:
    return [t.term for t in glossary.terms_in(text, terms)]


SYNDICATE = "terms:\n  - term: سندیکا\n    en: syndicate\n  - term: حزب\n    en: party\n    forms: [احزاب]\n"


@pytest.mark.parametrize("text", [
    "سندیکای کارگران نیشکر",          # the ezafe after a vowel
    "سندیکاها اعتصاب کردند",          # plural, attached
    "سندیکا‌ها اعتصاب کردند",         # plural, with a half-space
    "سندیکاهایشان را بستند",          # plural and possessive
    "سندیکایی مستقل",                 # the indefinite after a vowel
    "«سندیکا»",
])
def test_a_term_is_found_through_persian_endings(tmp_path, text):
    assert _found(_load(tmp_path, SYNDICATE), text) == ["سندیکا"]


@pytest.mark.parametrize("text", ["سندیکالیسم", "آنارکوسندیکا", "سندیکا\u200c"])
def test_a_longer_word_is_not_the_term(tmp_path, text):
    assert _found(_load(tmp_path, SYNDICATE), text) == []


@pytest.mark.parametrize("text, found", [
    ("حزبمان", ["حزب"]), ("حزب‌شان", ["حزب"]), ("حزب‌ها", ["حزب"]), ("احزاب چپ", ["حزب"]),
    # after a consonant a ی is another word: حزبی "party" (adjective), تشکیلاتی "organisational"
    ("کار حزبی", []),
])
def test_consonant_final_terms_and_listed_forms(tmp_path, text, found):
    assert _found(_load(tmp_path, SYNDICATE), text) == found


def test_the_glossary_check_sees_the_inflected_term():
    from publish import check
    terms = [glossary.Term("سندیکا", {"en": "syndicate"}, pattern=glossary._term_pattern("سندیکا"))]
    ctx = check.Context(lang="en", terms=terms)
    assert list(check.CHECKS["glossary"]("سندیکای کارگران", "the workers' union", ctx))
    assert not list(check.CHECKS["glossary"]("سندیکای کارگران", "the workers' syndicate", ctx))
    assert not list(check.CHECKS["glossary"]("سندیکاها", "the syndicates", ctx))


def test_forms_must_be_text(tmp_path):
    with pytest.raises(PublishError) as caught:
        _load(tmp_path, "terms:\n  - term: حزب\n    en: party\n    forms: {a: b}\n")
    assert str(caught.value).startswith("glossary.yml:4: forms:")


def test_the_init_glossary_is_valid_as_written_and_uncommented(tmp_path):
    text = scaffold.GLOSSARY_TEMPLATE
    assert _load(tmp_path, text) == []
    uncommented = re.sub(r"(?m)^#(  - |    )", r"\1", text)
    assert uncommented != text
    [term] = _load(tmp_path, uncommented)
    assert (term.term, term.targets, term.pos, term.forms) == ("حزب", {"en": "party"}, "noun", ("احزاب",))
    assert _found([term], "احزاب و حزب‌ها") == ["حزب"]


def test_a_bare_list_of_terms_is_read(tmp_path):
    assert [t.term for t in _load(tmp_path, "- term: حزب\n  en: party\n")] == ["حزب"]


@pytest.mark.parametrize("target, text", [("general assembly", "two general assemblies"), ("party", "the parties"),
                                          ("party", "the party’s programme")])
def test_an_english_term_in_y_takes_its_plural_in_ies(target, text):
    from publish import check
    assert check._target_pattern(target).search(text)
    assert not check._target_pattern(target).search(text.replace(target[:-1], "x"))
