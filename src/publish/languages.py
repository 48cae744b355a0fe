"""Language tags: what a user writes → the forms each consumer wants.

A language reaches publish as the user writes it (``pt-BR``, ``pt_BR``,
``EN``, ``prs``, ``sr@latin``) and leaves in three forms:

* the BCP 47 tag (``pt-BR``, ``zh-Hant``: subtags joined by ``-``, the
  language in lower case, a script in title case, a region in upper case) —
  the name of the language everywhere inside publish and in what readers'
  software reads: HTML ``lang``, EPUB ``dc:language`` and ``xml:lang``,
  ``hreflang``, the edition names (``pt-BR``, ``fa-pt-BR``) and build/;
* the gettext form (``pt_BR``, ``zh_Hant``, ``sr_Latn``) — the folder
  ``translations/<lang>/`` and a catalog's ``Language:`` header;
* a Babel locale, resolved through CLDR's aliases and likely subtags
  (``prs`` → ``fa_AF``) — direction, plural forms, names, digits.

A tag Babel cannot resolve to a locale is refused with one line: publish
needs its direction and plural forms, and would otherwise write a folder
nobody can translate into.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .errors import PublishError

if TYPE_CHECKING:  # Babel is imported when a tag is first read, not with publish
    from babel import Locale

# The gettext form joins the same subtags with "_": pt_BR, zh_Hant, sr_Latn.
# It is the code Weblate itself uses for these languages (its own language
# list has pt_BR, zh_Hant, sr_Latn, ckb) and the identifier Babel and
# CLDR use, so Weblate's component discovery, Poedit and Babel read the
# folder name as the language without an alias.  glibc's locale names
# (sr_RS@latin, zh_TW) differ, but they are names of runtime locales, which
# a catalog here never is: msgfmt does not interpret the Language: header,
# and a script written "@latin" would need a table of glibc's modifier names
# for every script.  Those we do know are read (``sr@latin`` → sr-Latn), so a
# catalog or a publish.yml written that way is understood.
_MODIFIERS = {"latin": "Latn", "cyrillic": "Cyrl", "arabic": "Arab", "devanagari": "Deva"}

# BCP 47's syntax, as far as publish takes it: language, script, region,
# variants.  Extensions (-u-…) and private use (-x-…) are refused: nothing
# here would read them, and a folder name should not carry them.
_SYNTAX = re.compile(r"""
    (?P<language>[a-z]{2,3})
    (?:[-_](?P<script>[a-z]{4}))?
    (?:[-_](?P<region>[a-z]{2}|[0-9]{3}))?
    (?P<variants>(?:[-_](?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*)
    (?:@(?P<modifier>[a-z0-9]{1,8}))?
    """, re.I | re.X)

# BCP 47's special codes: undetermined, multiple, uncoded, no linguistic content.
_NOT_LANGUAGES = {"und", "mul", "mis", "zxx"}

# Two-letter codes that BCP 47's registry deprecates in favour of another
# (its Preferred-Value): written as the current code.
_DEPRECATED = {"in": "id", "iw": "he", "ji": "yi", "jw": "jv", "mo": "ro"}


@dataclass(frozen=True)
class Language:
    """A language, read once.  What needs Babel's locale data (script,
    direction, names, digits) is looked up when asked for: every command
    reads publish.yml's languages, and a build with nothing to do needs no
    more than their names."""
    tag: str                      # BCP 47: pt-BR
    posix: str                    # gettext: pt_BR
    locale: Locale = field(compare=False, hash=False, repr=False)   # Babel's: pt_BR; fa_AF for prs
    region: str = field(default="", compare=False, hash=False)      # written or from an alias: BR; AF for prs
    written_script: str = field(default="", compare=False, hash=False)  # tg-Arab: Arab

    def __str__(self) -> str:
        return self.tag

    @functools.cached_property
    def script(self) -> str:
        """The script, written or likely: Latn (pt-BR), Arab (ckb, prs), Hant (zh-TW)."""
        from babel.core import get_global
        if self.written_script or self.locale.script:
            return self.written_script or self.locale.script
        likely = get_global("likely_subtags").get(self.locale.language, "")
        return next((p for p in likely.split("_")[1:] if len(p) == 4), "")

    @functools.cached_property
    def direction(self) -> str:
        """"ltr" or "rtl".  A written script decides (ckb-Latn is left to
        right, tg-Arab right to left), through the language CLDR most
        associates with it; else the locale's own character order."""
        from babel import Locale
        from babel.core import get_global
        order = self.locale.character_order
        if self.written_script and self.written_script != self.locale.script:
            likely = get_global("likely_subtags").get(f"und_{self.written_script}")
            order = Locale.parse(likely).character_order if likely else "left-to-right"
        return "rtl" if order == "right-to-left" else "ltr"

    @property
    def plural_forms(self) -> str:
        """The ``Plural-Forms`` header, from CLDR through Babel."""
        from babel.messages.plurals import get_plural
        return get_plural(str(self.locale)).plural_forms

    @property
    def digits(self) -> str:
        """The ten digits the language prints by default: 0–9, ۰–۹ (fa,
        prs), ٠–٩ (ckb, ar-EG); from CLDR's default numbering system."""
        return _NUMBERING.get(self.locale.default_numbering_system, "0123456789")

    def display_name(self, in_lang: str | Language | None = None) -> str:
        """The language's name, in ``in_lang`` (default: in itself):
        CLDR's name for the whole tag when it has one (Brazilian Portuguese,
        Dari), else Babel's name of the locale."""
        where = self.locale if in_lang is None else parse(str(in_lang)).locale
        return (where.languages.get(self.posix) or where.languages.get(str(self.locale))
                or self.locale.get_display_name(where) or self.tag)


_NUMBERING = {"latn": "0123456789", "arabext": "۰۱۲۳۴۵۶۷۸۹", "arab": "٠١٢٣٤٥٦٧٨٩"}


@functools.lru_cache(maxsize=None)
def _known_names() -> dict[str, str]:
    from babel import Locale
    return {name.lower(): code for code, name in Locale("en").languages.items() if "_" not in code}


def _refuse(text: str, why: str = "") -> PublishError:
    hint = ""
    guess = _known_names().get(text.strip().lower()) if text.strip() else None
    if guess:
        hint = f"; did you mean {guess}?"
    return PublishError(f"{text!r} is not a language tag publish knows{why} "
                        f"(write a BCP 47 tag such as en, de, pt-BR, zh-Hant, fa){hint}")


@functools.lru_cache(maxsize=None)
def parse(text: str) -> Language:
    """The language ``text`` names, or a PublishError of one line (without
    a place: the caller knows the file and line, or the option)."""
    from babel import Locale, localedata
    from babel.core import get_global

    m = _SYNTAX.fullmatch(text.strip()) if isinstance(text, str) else None
    if m is None:
        raise _refuse(str(text))
    language = m["language"].lower()
    if language in _NOT_LANGUAGES:
        raise _refuse(text, f": {language} names no language")
    script = (m["script"] or "").title()
    region = (m["region"] or "").upper()
    variants = [v.lower() for v in m["variants"].replace("_", "-").split("-") if v]
    if m["modifier"]:
        modifier = m["modifier"].lower()
        if modifier in _MODIFIERS and not script:
            script = _MODIFIERS[modifier]
        elif modifier not in variants:
            variants.append(modifier)   # ca@valencia → ca-valencia

    if script or region or variants:   # CLDR's English names: the list of each there is
        names = Locale("en")
        if script and script not in names.scripts:
            raise _refuse(text, f": no script {script}")
        if region and region not in names.territories:
            raise _refuse(text, f": no region {region}")
        unknown = [v for v in variants if v.upper() not in names.variants]
        if unknown:
            raise _refuse(text, f": no variant {unknown[0]}")

    # CLDR's aliases: one that only renames the language (fas → fa, iw → he)
    # is the same language written another way, and written canonically; one
    # that names a region or script too (prs → fa_AF, sh → sr_Latn) is a
    # language BCP 47 registers under its own code, which is kept for the
    # tag and the folder, while its data comes from the locale it names.
    language = _DEPRECATED.get(language, language)
    alias = None if localedata.exists(language) else get_global("language_aliases").get(language)
    if alias and "_" not in alias and len(language) == 3 and len(alias) == 2:
        language, alias = alias, None
    data_language, data_script, data_region = language, script, region
    if alias:
        parts = alias.split("_")
        data_language = parts[0]
        for p in parts[1:]:
            if len(p) == 4 and not data_script:
                data_script = p
            elif len(p) in (2, 3) and not data_region:
                data_region = p

    locale = _locale(data_language, data_script, data_region, variants)
    if locale is None:
        raise _refuse(text)
    tag = "-".join(p for p in (language, script, region, *variants) if p)
    posix = "_".join(p for p in (language, script, region) if p) + ("@" + "_".join(variants) if variants else "")
    return Language(tag, posix, locale, data_region, script)


def _locale(language: str, script: str, region: str, variants: list[str]):
    """Babel's locale for the subtags: the most specific it has data for
    (de-CN is German, with German's data)."""
    from babel import Locale, UnknownLocaleError
    tries = ["_".join(p for p in (language, script, region, *(v.upper() for v in variants)) if p),
             "_".join(p for p in (language, script, region) if p),
             "_".join(p for p in (language, script) if p),
             "_".join(p for p in (language, region) if p),
             language]
    for ident in dict.fromkeys(tries):
        try:
            return Locale.parse(ident)
        except (UnknownLocaleError, ValueError):
            continue
    return None


def tag(text: str) -> str:
    """The BCP 47 tag of what the user wrote: ``pt_BR`` → ``pt-BR``."""
    return parse(text).tag


def posix(text: str) -> str:
    """The gettext form: ``pt-BR`` → ``pt_BR``."""
    return parse(text).posix


def given_twice(first: str, second: str) -> str:
    """What to say of two keys or list items that name one language, as written."""
    if first == second:
        return f"{first} is given twice"
    return f"{first} and {second} are one language ({tag(first)}), given twice"


def compatible(a: Language, b: Language) -> bool:
    """Whether a catalog declaring ``a`` may stand where ``b`` is expected:
    the same language in the same script, and no two different regions.
    ``pt`` and ``pt_BR`` agree, ``zh_Hant`` and ``zh_TW`` (as Weblate
    writes a zh_TW folder's header), ``fa_AF`` and ``prs``; ``pt_PT`` and
    ``pt_BR`` do not, nor ``sr`` (Cyrillic) and ``sr_Latn``."""
    if a.tag == b.tag:
        return True
    return (a.locale.language == b.locale.language and a.script == b.script
            and (not a.region or not b.region or a.region == b.region))
