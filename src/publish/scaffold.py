"""``publish init``: a new project, ready for ``publish update && publish build``.

The files are written from the templates below rather than copied from
package data, so what a new project gets is readable in one place.  The
publish.yml template carries the comments a first-time user needs; the
Makefile is a small cousin of this repository's own.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import languages
from .config import CONFIG_NAME
from .errors import PublishError
from .files import write_atomic

STARTER = "welcome"   # the example document; the first `publish import` replaces it while untouched

CONFIG_TEMPLATE = """\
# publish.yml — the project: what to translate, into what, and how to print it.
# Every key is checked when publish reads this file; an unknown key or a
# wrong type is an error that names its line.

title:                             # per language; translators translate it in the catalogs, and a value
                                   # given here for a language wins (a document may have its own: see documents)
  {source}: {title_source}
{title_targets}
# subtitle:
#   {source}: …
# author:
#   {source}: …
# organisation:                    # printed as the publisher
#   {source}: …
# publisher: {{{source}: …, en: …}}      # when the publisher is not the organisation
# translators:                     # per language; on the title page, in the colophon, dc:contributor (trl)
#   en: [Jane Doe, John Roe]
# rights: {{{source}: …, en: © 2026 …}}  # the copyright line of the colophon and dc:rights
# licence:                         # or just: licence: CC BY-SA 4.0
#   name: CC BY-SA 4.0
#   url: https://creativecommons.org/licenses/by-sa/4.0/
# description: {{{source}: …, en: …}}    # for catalogues and search engines (meta, dc:description, PDF subject)
# keywords: {{{source}: [ …, … ], en: [ …, … ]}}   # a dc:subject each
# An ISBN names one edition of one document in one format: it goes in the
# document's entry, e.g.  isbn: {{en: {{epub: 978-…, pdf: 978-…}}}}
# Whatever is left out here is left out of the editions, never printed empty.
edition: "1"
# date: "2026-01-31"               # the edition date; set it to make builds reproducible
# cover: source/cover.jpg          # a PNG or JPEG under source/, or per language {{{source}: …, en: …}};
#                                  # without one, each edition gets a cover set from its title and author

source_language: {source}
target_languages: [{targets}]{pad}# add a language here (e.g. [en, de]) to get its catalogs and editions

# The documents of the project, each a Markdown file under source/{source_dir}/.
# `publish import FILE` converts a Word, ODT, HTML, Markdown or text file and
# adds it here.  An entry may carry its own title:
#   - name: letter
#     source: source/{source_dir}/letter.md
#     title: {{{source}: …, en: …}}
#     cover: source/letter-cover.png   # its own cover (else the project's)
documents:
  - name: {starter}
    source: source/{source_dir}/{starter}.md

segmentation: sentence             # sentence | paragraph
abbreviations: []                  # words after which a full stop does not end a sentence, e.g. [ج, ص, Dr]

normalize:                         # Persian clean-up, each rule on by default
  arabic_letters: true             # ي ك ى ٤٥٦ → ی ک ۴۵۶
  presentation_forms: true         # ﻙ ﯽ … → base letters
  tatweel: true                    # کـــار → کار
  zwnj: true                       # stray or doubled ZWNJ removed
  spaces: true                     # runs of spaces collapsed
  # Persian typography, each off unless switched on here (a translation already made
  # is carried over, not made fuzzy, when only these change its source):
  # zwnj_prefixes: true            # می شود → می‌شود, نمی کند → نمی‌کند
  # zwnj_suffixes: true            # عرصه های → عرصه‌های, بزرگ تر → بزرگ‌تر, خانه ای → خانه‌ای
  # persian_digits: true           # سال 1402 → سال ۱۴۰۲ (not in MP3, URLs or beside Latin words)
  # ellipsis: true                 # ... → …

catalog:
  line_numbers: true               # false: references without line numbers, for quieter diffs
  # wrap: 0                        # 0: long lines not wrapped (msgcat --no-wrap); 79: as msgcat -w 79
                                   # writes them (needs gettext), for a team whose tools wrap
  # preview_url: https://press.example.org/book/   # where build/ is published: each entry's
                                   # "#. preview:" link becomes an address Weblate shows as a link

pdf:
  paper: A5                        # A5 | A4 | Letter
  pdf_ua: false                    # true: PDF/UA-1 (tagged, accessible)
  cover: false                     # true: the cover is the PDF's first page
  # footnotes: page               # notes numbered from 1 on each page | chapter | document
  # link_addresses: footnote       # a link's address printed in a note | inline (after its words) | none
  # persian_emphasis: bold         # Persian has no italic: bold | weight (a semibold, where the font has one)
  # For a printer (ask yours what it needs):
  # bleed: 3mm                     # the page grows by this beyond the trim (MediaBox/BleedBox; TrimBox = paper)
  # marks: none                    # none | crop | cross | both: printer's marks, drawn in the bleed
  # variant: none                  # none | pdf/x-4 (the file declares PDF/X-4; not with pdf_ua: true)

# A picture alone in its paragraph is a figure, captioned with its description:
# figures:
#   numbered: false                # true: "Figure 1:" (شکل ۱:) before each caption
"""

# A starter text, so that the first build has something to show; `publish
# import` replaces it as long as nobody has edited it.
STARTER_TEXT = """\
# به پروژه خوش آمدید

این متن نمونه است. سند خود را با دستور `publish import` به پروژه بیفزایید؛ این نمونه جای خود را به آن می‌دهد.

مترجمان فایل‌های ترجمه را در پوشه translations ویرایش می‌کنند. برای دیدن پیش‌نمایش زنده، دستور `publish serve` را اجرا کنید.
"""

MAKEFILE_TEMPLATE = """\
# make          — update the catalogs and build every edition into build/
# make update   — extract the units from source/ and merge them into translations/
# make status   — translation progress (and build/status.html)
# make check    — check the translations (numbers, glossary, markup, …)
# make serve    — live preview for translators at http://127.0.0.1:8000/
# make clean    — remove build/

PUBLISH ?= publish

.PHONY: all update build status check serve clean

all: build

update:
\t$(PUBLISH) update

build: update
\t$(PUBLISH) build

status:
\t$(PUBLISH) status --html

check:
\t$(PUBLISH) check

serve: update
\t$(PUBLISH) serve

clean:
\trm -rf build
"""

GITIGNORE = """\
/build/
/.publish.lock
*.tmp
*.mo
"""

GLOSSARY_TEMPLATE = """\
# translations/glossary.yml — terms every translation must render the same way.
# publish update writes the matching entries as hints (#. glossary:) into the
# catalogs; publish check reports a translation that does not use them.
# A term is found with the endings Persian adds (سندیکا: سندیکای، سندیکاها،
# سندیکایشان); its translation with the English plural and possessive.
# Remove the # before an entry's lines to use it.
terms:
#  - term: حزب            # as the source writes it
#    en: party            # one key per target language
#    pos: noun            # optional: noun, verb, adjective, adverb, proper noun, phrase, other
#    forms: [احزاب]       # optional: forms the endings do not make (a broken plural)
#    note: the party that wrote the report, when not named   # optional: for translators
"""


@dataclass
class Scaffold:
    root: Path
    written: list[str] = field(default_factory=list)


def _yaml_text(text: str) -> str:
    """A one-line YAML scalar: plain when safe, else double-quoted."""
    import json
    import yaml
    try:
        if yaml.safe_load(text) == text and text.strip() == text and "#" not in text and ": " not in text:
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)


def config_text(title: str, source: str = "fa", targets: tuple[str, ...] = ("en",)) -> str:
    targets = tuple(targets) or ("en",)
    # the title in the target languages: the translators', in the catalogs
    # (titles.py), unless the user writes one here, which wins
    lines = "\n".join(f"#  {lang}: …" for lang in targets)
    lang_list = ", ".join(targets)
    # keep the comment column of the template (35) where the list is short enough
    pad = " " * max(1, 35 - len(f"target_languages: [{lang_list}]"))
    return CONFIG_TEMPLATE.format(source=source, source_dir=languages.posix(source), title_source=_yaml_text(title),
                                  title_targets=lines, targets=lang_list, pad=pad, starter=STARTER)


def language_options(source: str, targets: tuple[str, ...],
                     names: tuple[str, str] = ("source language", "target language")) -> tuple[str, tuple[str, ...]]:
    """The source and target languages as BCP 47 tags, checked before
    anything is written; an error names what was given (``names``: the
    command line passes its options' names)."""
    def tag(text: str, name: str) -> str:
        try:
            return languages.tag(text)
        except PublishError as exc:
            raise PublishError(f"{name}: {exc.message}") from None

    source = tag(source, names[0])
    written: dict[str, str] = {}
    for text in targets:
        t = tag(text, names[1])
        if t == source:
            raise PublishError(f"{names[1]}: {text} is the source language; the target languages must differ")
        if t in written:
            raise PublishError(f"{names[1]}: {languages.given_twice(written[t], text)}")
        written[t] = text
    return source, tuple(written)


def init(root: Path, title: str | None = None, source: str = "fa",
         targets: tuple[str, ...] = ("en",), force: bool = False) -> Scaffold:
    """Write a new project into ``root`` (created if missing).  Refuses a
    folder that already holds a publish.yml, and never overwrites a file."""
    root = Path(root)
    if (root / CONFIG_NAME).exists():
        raise PublishError(f"{CONFIG_NAME} already exists; this is a project already", path=str(root / CONFIG_NAME))
    if root.exists() and not root.is_dir():
        raise PublishError("exists and is not a folder", path=str(root))
    source, targets = language_options(source, targets)
    title = title or root.resolve().name
    files = {
        CONFIG_NAME: config_text(title, source, targets),
        f"source/{languages.posix(source)}/{STARTER}.md": STARTER_TEXT,
        "translations/glossary.yml": GLOSSARY_TEMPLATE,
        ".gitignore": GITIGNORE,
        "Makefile": MAKEFILE_TEMPLATE,
    }
    existing = [name for name in files if (root / name).exists()]
    if existing and not force:
        raise PublishError(f"would overwrite {', '.join(existing)} (use --force to keep the folder's files "
                           f"and write only the missing ones)", path=str(root))
    result = Scaffold(root)
    for name, text in files.items():
        if (root / name).exists():
            continue
        write_atomic(root / name, text)
        result.written.append(name)
    for folder in ("translations/templates", *(f"translations/{languages.posix(t)}" for t in targets)):
        (root / folder).mkdir(parents=True, exist_ok=True)
    return result
