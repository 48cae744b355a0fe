"""The few words an edition prints around the text, per language.

English is the fallback for a language not listed; adding one is a dict.
A language is found by its tag (pt-BR), else by the language of its locale
(fa-AF and prs take fa's words).
"""
from __future__ import annotations

from .. import languages

LABELS = {
    "en": {
        "contents": "Contents",
        # the switcher of a web page and build/index.html (render/siblings.py, render/index.py)
        "editions": "Editions",
        "format_html": "Web page",
        "format_epub": "E-book (EPUB)",
        "format_pdf": "PDF",
        "format_booklet": "Booklet (print two-up)",
        "downloads": "Editions and downloads",
        "edition_name": "Edition",
        "not_built": "not built",
        "stale": "older than the text",
        "colophon": "Colophon",
        "edition": "Edition",
        "published": "Published",
        "translation": "Translation",
        "original": "Original",
        # by the plural category of {units} in the language (Babel's CLDR rules): 1 unit, 2 units
        "complete": {"one": "{percent}% of the text translated ({translated} of {units} unit).",
                     "other": "{percent}% of the text translated ({translated} of {units} units)."},
        "missing": "Passages not yet translated are printed in the original and marked.",
        "untranslated": "not yet translated",
        "fuzzy": "translation under review",
        "made_with": "Made with publish.",
        "bilingual": "Parallel text",
        "notes": "Notes",
        "translator_note": "Translator’s note",   # before a note the translator added (^[…])
        "figure": "Figure {n}:",   # before a caption, when publish.yml numbers figures
        "translated_by": "Translated by {names}",
        "licence": "Licence",
        "isbn": "ISBN",
        "a11y_summary": ("A reflowable text with headings, a table of contents and landmarks to navigate by, "
                         "in a logical reading order, with the language of every passage marked."),
        "a11y_pictures": "Every picture has a text description.",
        "a11y_pictures_undescribed": "Some pictures have no text description.",
        "landmark_titlepage": "Title page",
        "landmark_cover": "Cover",
        "landmark_bodymatter": "Start of the text",
    },
    "de": {
        "contents": "Inhalt",
        "editions": "Ausgaben",
        "format_html": "Webseite",
        "format_epub": "E-Book (EPUB)",
        "format_pdf": "PDF",
        "format_booklet": "Broschüre (zwei Seiten je Blatt)",
        "downloads": "Ausgaben und Downloads",
        "edition_name": "Ausgabe",
        "not_built": "nicht erstellt",
        "stale": "älter als der Text",
        "colophon": "Impressum",
        "edition": "Auflage",
        "published": "Erschienen",
        "translation": "Übersetzung",
        "original": "Original",
        "complete": {"one": "{percent} % des Textes übersetzt ({translated} von {units} Einheit).",
                     "other": "{percent} % des Textes übersetzt ({translated} von {units} Einheiten)."},
        "missing": "Noch nicht übersetzte Stellen stehen im Original und sind markiert.",
        "untranslated": "noch nicht übersetzt",
        "fuzzy": "Übersetzung wird geprüft",
        "made_with": "Erstellt mit publish.",
        "bilingual": "Zweisprachige Ausgabe",
        "notes": "Anmerkungen",
        "translator_note": "Anmerkung des Übersetzers",
        "figure": "Abbildung {n}:",
        "translated_by": "Übersetzt von {names}",
        "licence": "Lizenz",
        "isbn": "ISBN",
        "a11y_summary": ("Ein umbrechender Text mit Überschriften, Inhaltsverzeichnis und Orientierungspunkten, "
                         "in logischer Lesereihenfolge; die Sprache jeder Passage ist ausgezeichnet."),
        "a11y_pictures": "Jedes Bild hat eine Textbeschreibung.",
        "a11y_pictures_undescribed": "Einige Bilder haben keine Textbeschreibung.",
        "landmark_titlepage": "Titelseite",
        "landmark_cover": "Umschlag",
        "landmark_bodymatter": "Textbeginn",
    },
    "fa": {
        "contents": "فهرست",
        "editions": "نسخه‌ها",
        "format_html": "صفحهٔ وب",
        "format_epub": "کتاب الکترونیکی (EPUB)",
        "format_pdf": "PDF",
        "format_booklet": "کتابچه (دو صفحه در هر برگ)",
        "downloads": "نسخه‌ها و پرونده‌ها",
        "edition_name": "نسخه",
        "not_built": "ساخته نشده",
        "stale": "قدیمی‌تر از متن",
        "colophon": "شناسنامه",
        "edition": "ویرایش",
        "published": "تاریخ انتشار",
        "translation": "ترجمه",
        "original": "متن اصلی",
        # a Persian noun after a number stays singular: one form for every count
        "complete": "{percent}٪ متن ترجمه شده است ({translated} از {units} واحد).",
        "missing": "بخش‌هایی که هنوز ترجمه نشده‌اند به زبان اصلی و با نشانه آمده‌اند.",
        "untranslated": "هنوز ترجمه نشده",
        "fuzzy": "ترجمه در حال بازبینی",
        "made_with": "ساخته‌شده با publish.",
        "bilingual": "متن دوزبانه",
        "notes": "یادداشت‌ها",
        "translator_note": "یادداشت مترجم",
        "figure": "شکل {n}:",
        "translated_by": "ترجمهٔ {names}",
        "licence": "پروانه",
        "isbn": "شابک",
        "a11y_summary": ("متنی روان‌چین با عنوان‌ها، فهرست مطالب و نشانه‌های راهبری، به ترتیب منطقی خواندن، "
                         "که زبان هر بخش آن مشخص شده است."),
        "a11y_pictures": "همهٔ تصویرها توصیف متنی دارند.",
        "a11y_pictures_undescribed": "برخی تصویرها توصیف متنی ندارند.",
        "landmark_titlepage": "صفحهٔ عنوان",
        "landmark_cover": "جلد",
        "landmark_bodymatter": "آغاز متن",
    },
}


def _labels(lang: str) -> dict[str, str]:
    language = languages.parse(lang)
    return LABELS.get(language.tag) or LABELS.get(language.locale.language) or LABELS["en"]


def label(lang: str, key: str, count: int | None = None, **values) -> str:
    """The label ``key`` in ``lang``, its {fields} filled in.  A label with
    plural forms (a dict by CLDR plural category: "one", "few", "other" …)
    takes the form Babel's rules give ``count`` in the language."""
    own = _labels(lang).get(key)
    text = own or LABELS["en"][key]
    if isinstance(text, dict):
        # the rules of the language the words are in: English's when they fell back to it
        rules = languages.parse(lang if own and _labels(lang) is not LABELS["en"] else "en").locale
        text = text.get(rules.plural_form(count if count is not None else 0)) or text["other"]
    return digits(text.format(**values), lang) if values else text


def digits(text: str, lang: str) -> str:
    """Latin digits → the digits the language prints (Persian ۰–۹ for fa,
    Arabic-Indic ٠–٩ for ckb: CLDR's default numbering system)."""
    table = languages.parse(lang).digits
    return text.translate(str.maketrans("0123456789", table)) if table != "0123456789" else text


# The Solar Hijri months as Afghanistan names them (Dari); Iran's come with jdatetime
_AFGHAN_MONTHS = ("حمل", "ثور", "جوزا", "سرطان", "اسد", "سنبله", "میزان", "عقرب", "قوس", "جدی", "دلو", "حوت")


def long_date(iso: str, lang: str) -> str:
    """A date as the language writes it: Babel's (Gregorian) for most; in
    Persian the Solar Hijri date a Persian reader dates by, with the Gregorian
    date beside it (۹ آذر ۱۴۰۵ (۳۰ نوامبر ۲۰۲۶)).  Babel knows only the
    Gregorian calendar: the conversion is jdatetime's."""
    import datetime as dt
    from babel.dates import format_date
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    language = languages.parse(lang)
    gregorian = digits(format_date(day, format="long", locale=language.locale), lang)
    if language.locale.language != "fa":
        return gregorian
    import jdatetime
    solar = jdatetime.date.fromgregorian(date=day)
    months = _AFGHAN_MONTHS if language.locale.territory == "AF" else jdatetime.date.j_months_fa
    return digits(f"{solar.day} {months[solar.month - 1]} {solar.year}", lang) + f" ({gregorian})"


def text_date(text: str, lang: str) -> str:
    """The date of a text as its front matter gives it: a day (2024-03-01,
    maybe with a time, which a title page does not print) as the language
    writes it; any other form (1402/05/12, "spring 1999") as written, in the
    language's digits."""
    import re
    m = re.match(r"(\d{4}-\d{2}-\d{2})(?:$|[ T])", text)
    if m and long_date(m.group(1), lang) != m.group(1):
        return long_date(m.group(1), lang)
    return digits(text, lang)


def percent(progress, lang: str) -> str:
    """How much of an edition is translated, as ``publish status`` gives it
    (``status.percent``: 99.9, never 100 while a unit is missing), with the
    language's decimal sign (٫ in Persian; its digits come with ``label``)."""
    from babel.numbers import get_decimal_symbol
    from ..status import percent as text
    return text(progress).replace(".", get_decimal_symbol(languages.parse(lang).locale))


def colophon_lines(a) -> list[tuple[str, ...]]:
    """(class, text) of each line of an edition's colophon — the same lines
    in HTML, PDF and EPUB; ``a`` is an ``assemble.Assembled``.  A line in
    another language than the edition's (a title not translated) is
    (class, text, language)."""
    m, lang = a.meta, a.edition.lang

    def marked(key: str) -> tuple[str, ...]:
        return ("", m[key], m[f"{key}-lang"]) if m.get(f"{key}-lang") else ("", m[key])

    lines = [marked("title")]   # the parallel text's too: the colophon speaks the edition's language
    if m.get("publisher"):
        lines.append(marked("publisher"))
    if m.get("edition"):
        lines.append(("", f'{label(lang, "edition")}: {digits(m["edition"], lang)}'))
    lines.append(("", f'{label(lang, "published")}: {long_date(m["date"], lang)}'))
    from ..metadata import colophon   # translators, rights, licence, ISBNs
    lines += colophon(m, lang)
    for p in a.progress.values():
        lines.append(("completeness", label(lang, "complete", count=p.units, percent=percent(p, lang),
                                            translated=p.translated, units=p.units)))
        if p.translated < p.units:
            lines.append(("", label(lang, "missing")))
    lines.append(("identifier", m["identifier"]))
    lines.append(("", label(lang, "made_with")))
    return lines
