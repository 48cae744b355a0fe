"""publish.yml → a validated Project.

The file is read with PyYAML's node API rather than ``safe_load`` so that every
error can name the line of the offending key or value.  The schema is declared
once (``_SCHEMA``) and both validation and defaults come from it.
"""
from __future__ import annotations

import datetime as _dt
import os
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

from . import languages
from .errors import PublishError

CONFIG_NAME = "publish.yml"

NORMALIZE_RULES = ("arabic_letters", "presentation_forms", "tatweel", "zwnj", "spaces")
# Persian typography (publish.typography): off unless publish.yml turns one on
TYPOGRAPHY_RULES = ("zwnj_prefixes", "zwnj_suffixes", "persian_digits", "ellipsis")
PAPER_SIZES = ("A5", "A4", "Letter")
# print: where a note's number starts again at 1; where a link's address is
# printed; how Persian, which has no italic, is emphasised (render/notes.py, print.css)
FOOTNOTE_NUMBERING = ("page", "chapter", "document")
LINK_ADDRESSES = ("footnote", "inline", "none")
PERSIAN_EMPHASIS = ("bold", "weight")
PDF_MARKS = ("none", "crop", "cross", "both")   # printer's marks in the bleed: CSS @page marks
PDF_VARIANTS = ("none", "pdf/x-4")   # WeasyPrint's pdf/x-4: the one PDF/X whose claim holds for its RGB output
BLEED_UNITS = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72}
SEGMENTATIONS = ("sentence", "paragraph")


@dataclass(frozen=True)
class Licence:
    """The licence a text is published under: its name (CC BY-SA 4.0) and,
    when given, the address of its terms."""
    name: str
    url: str = ""


# the formats an ISBN is given for: the web page is no book product
ISBN_FORMATS = ("epub", "pdf")


@dataclass(frozen=True)
class Document:
    name: str
    source: Path  # absolute
    relsource: str  # as written in publish.yml, used in PO references
    # the document's own title and subtitle per language, when it has them;
    # otherwise the project's print on its title page
    title: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    subtitle: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    # the text's own author (wins over the project's for this document), the
    # date of the text as its front matter gives it (not the edition date),
    # a description and keywords for the editions' metadata
    author: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    date: str = field(default="", hash=False, compare=False)
    description: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    keywords: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    # the document's own translators, rights and licence (win over the
    # project's), and its ISBNs: edition → format → ISBN-13, since an ISBN
    # names one edition of one text in one format
    translators: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False, compare=False)
    rights: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    licence: Licence | None = field(default=None, hash=False, compare=False)
    isbn: dict[str, dict[str, str]] = field(default_factory=dict, hash=False, compare=False)
    # the document's own cover picture per language (a path under source/), winning over the project's
    cover: dict[str, str] = field(default_factory=dict, hash=False, compare=False)


@dataclass
class Project:
    root: Path
    title: dict[str, str]
    subtitle: dict[str, str]
    author: dict[str, str]
    organisation: dict[str, str]
    source_language: str
    target_languages: list[str]
    documents: list[Document]
    segmentation: str = "sentence"
    abbreviations: list[str] = field(default_factory=list)
    normalize: dict[str, bool] = field(default_factory=lambda: {r: True for r in NORMALIZE_RULES})
    line_numbers: bool = True
    wrap: int = 0                    # catalog.wrap: 0, no wrapping (msgcat --no-wrap); N, as msgcat -w N
    preview_url: str = ""            # catalog.preview_url: where build/ is published, for the #. preview: links
    paper: str = "A5"
    pdf_ua: bool = False
    date: str = ""
    edition: str = ""
    identifier: str = ""
    bugs_address: str = ""
    # what a book's metadata carries beyond its title (see metadata.py);
    # publisher defaults to organisation
    publisher: dict[str, str] = field(default_factory=dict)
    translators: dict[str, tuple[str, ...]] = field(default_factory=dict)
    rights: dict[str, str] = field(default_factory=dict)
    licence: Licence | None = None
    description: dict[str, str] = field(default_factory=dict)
    keywords: dict[str, str] = field(default_factory=dict)
    # the cover picture per language (a path under source/); none: a cover is set from the title
    cover: dict[str, str] = field(default_factory=dict)
    pdf_cover: bool = False          # the cover as the PDF's first page
    pdf_footnotes: str = "page"      # notes numbered from 1 on each page, chapter or in the document
    pdf_link_addresses: str = "footnote"   # a link's address in a note, after its words, or not printed
    pdf_persian_emphasis: str = "bold"     # bold, or a semibold ("weight") where the font has one
    pdf_bleed: str = ""              # the bleed beyond the trim as CSS writes it ("3mm"); "" none
    pdf_marks: str = "none"          # crop and/or cross marks drawn in the bleed
    pdf_variant: str = "none"        # "pdf/x-4": a PDF/X-4 file (trim box, output intent, XMP)
    figures_numbered: bool = False   # "Figure 1:" before each caption (layout.py)
    config_path: Path | None = None

    @property
    def translations_dir(self) -> Path:
        return self.root / "translations"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def trees_dir(self) -> Path:
        """Where parsed sources are kept between runs (see source.load)."""
        return self.build_dir / ".publish" / "trees"

    def pot_path(self, doc: Document) -> Path:
        return self.translations_dir / "templates" / f"{doc.name}.pot"

    def po_path(self, doc: Document, lang: str) -> Path:
        """translations/<lang>/<doc>.po, the folder in the gettext form (pt_BR)."""
        return self.translations_dir / languages.posix(lang) / f"{doc.name}.po"

    @property
    def source_dir(self) -> Path:
        """source/<lang>/, where imported sources go (the gettext form, as translations/)."""
        return self.root / "source" / languages.posix(self.source_language)

    @property
    def glossary_path(self) -> Path:
        return self.translations_dir / "glossary.yml"

    def document(self, name: str) -> Document:
        for d in self.documents:
            if d.name == name:
                return d
        raise PublishError(f"no document named {name!r} in {CONFIG_NAME}")

    def titles(self, doc: Document) -> dict[str, str]:
        """The title a document prints, per language: its own, else the project's."""
        return doc.title or self.title

    def subtitles(self, doc: Document) -> dict[str, str]:
        return doc.subtitle if doc.title or doc.subtitle else self.subtitle

    def authors(self, doc: Document) -> dict[str, str]:
        """The author a document prints: its own, else the project's."""
        return doc.author or self.author

    def build_date(self) -> str:
        """The edition date: publish.yml, else SOURCE_DATE_EPOCH, else today.

        A fixed date is what makes two builds byte-identical."""
        return self.date or now().date().isoformat()


def now() -> _dt.datetime:
    """The time to stamp on what we write: SOURCE_DATE_EPOCH when set (the
    reproducible-builds convention), else the clock; always UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc)
    return _dt.datetime.now(_dt.timezone.utc)


# --- schema -----------------------------------------------------------------

class _Ctx:
    def __init__(self, path: Path):
        self.path = path

    def fail(self, node: yaml.Node | None, message: str) -> PublishError:
        line = node.start_mark.line + 1 if node is not None else None
        return PublishError(message, path=self.path.name if self.path else CONFIG_NAME, line=line)


def _scalar(ctx: _Ctx, node: yaml.Node, what: str, key: str) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        raise ctx.fail(node, f"{key}: expected {what}, got a {'list' if isinstance(node, yaml.SequenceNode) else 'mapping'}")
    return _construct(node)


def _construct(node: yaml.ScalarNode) -> Any:
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError) as exc:  # an impossible date, an unknown !tag
        problem = getattr(exc, "problem", None) or str(exc)
        raise PublishError(f"cannot read this value: {problem}", path=CONFIG_NAME,
                           line=node.start_mark.line + 1) from None
    finally:
        loader.dispose()


def _str(ctx, node, key):
    value = _scalar(ctx, node, "text", key)
    if isinstance(value, (_dt.date,)):
        return value.isoformat()
    if not isinstance(value, str):
        raise ctx.fail(node, f"{key}: expected text, got {type(value).__name__} {value!r}")
    return value


def _bool(ctx, node, key):
    value = _scalar(ctx, node, "true or false", key)
    if not isinstance(value, bool):
        raise ctx.fail(node, f"{key}: expected true or false, got {value!r}")
    return value


def _choice(choices):
    def check(ctx, node, key):
        value = _str(ctx, node, key)
        if value not in choices:
            raise ctx.fail(node, f"{key}: {value!r} is not one of {', '.join(choices)}")
        return value
    return check


def _language(ctx, node, key):
    """A language as written (pt_BR, pt-BR, EN) → its BCP 47 tag (pt-BR), the
    one name publish uses for it from here on.  Norwegian's ``no`` is read as
    written, not as YAML's false."""
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:bool":
        code = node.value
    else:
        code = _str(ctx, node, key)
    try:
        return languages.tag(code)
    except PublishError as exc:
        raise ctx.fail(node, f"{key}: {exc.message}") from None


def _list_of(item):
    def check(ctx, node, key):
        if not isinstance(node, yaml.SequenceNode):
            raise ctx.fail(node, f"{key}: expected a list")
        return [item(ctx, n, f"{key}[{i}]") for i, n in enumerate(node.value)]
    return check


def _mapping(ctx: _Ctx, node: yaml.Node, key: str, schema: dict[str, tuple[Callable, bool]]) -> dict:
    if not isinstance(node, yaml.MappingNode):
        raise ctx.fail(node, f"{key or 'publish.yml'}: expected a mapping of keys")
    out: dict[str, Any] = {}
    for knode, vnode in node.value:
        name = _construct(knode) if isinstance(knode, yaml.ScalarNode) else None
        if not isinstance(name, str) or name not in schema:
            known = ", ".join(schema)
            raise ctx.fail(knode, f"unknown key {(key + '.') if key else ''}{name} (known: {known})")
        if name in out:
            raise ctx.fail(knode, f"duplicate key {name}")
        check, _ = schema[name]
        out[name] = check(ctx, vnode, f"{key}.{name}" if key else name)
    for name, (_, required) in schema.items():
        if required and name not in out:
            raise ctx.fail(node, f"missing required key {(key + '.') if key else ''}{name}")
    return out


def _texts(ctx, node, key):
    """A text per language: ``{fa: …, en: …}``; a plain string means all languages."""
    if isinstance(node, yaml.ScalarNode):
        return {"*": _str(ctx, node, key)}
    if not isinstance(node, yaml.MappingNode):
        raise ctx.fail(node, f"{key}: expected text or a mapping of language → text")
    return _per_language(ctx, node, key, lambda vnode, k: _str(ctx, vnode, k))


def is_date_text(text: str) -> bool:
    """Loosely, a date: one short line with a digit in it.  Front matter
    writes dates many ways (2024-03-01, 2024-03-01 10:20, 1402/05/12 in the
    Persian calendar with Persian digits, 12 March 2024); publish prints the
    text as written, so it asks no more than that it is not prose."""
    return 0 < len(text) <= 64 and "\n" not in text and "\r" not in text and any(c.isdigit() for c in text)


# a date is read as the text written: plain 2024-03-01 10:20 is not turned into
# a datetime (and printed back as 2024-03-01T10:20:00)
_DATE_TAGS = {"tag:yaml.org,2002:" + t for t in ("str", "timestamp", "int", "float")}


def _date_text(ctx, node, key):
    if not isinstance(node, yaml.ScalarNode) or node.tag not in _DATE_TAGS:
        raise ctx.fail(node, f"{key}: expected a date such as \"2024-03-01\"")
    text = node.value.strip()
    if not is_date_text(text):
        raise ctx.fail(node, f"{key}: {text!r} does not look like a date (such as \"2024-03-01\")")
    return text


def _sub(schema):
    return lambda ctx, node, key: _mapping(ctx, node, key, schema)


# --- a book's metadata: translators, rights, licence, keywords, ISBNs ---------
# Whatever is left blank is left out of every edition, never written empty.

def _per_language(ctx, node, key, read):
    """``read`` for each language of ``{fa: …, en: …}``; anything else is for
    every language (``*``)."""
    if not isinstance(node, yaml.MappingNode):
        return {"*": read(node, key)}
    out, written = {}, {}
    for knode, vnode in node.value:
        lang = _language(ctx, knode, key)
        if lang in out:
            raise ctx.fail(knode, f"{key}: {languages.given_twice(written[lang], knode.value)}")
        written[lang] = knode.value
        out[lang] = read(vnode, f"{key}.{lang}")
    return out


def _items(ctx, node, key) -> list[str]:
    """A list of texts, or one text: stripped, blank ones dropped."""
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    return [t for t in (_str(ctx, n, key).strip() for n in items) if t]


def _names(ctx, node, key):
    """Names per language: ``{en: [A, B], de: C}``; a list or a name alone is
    for every translation."""
    return _per_language(ctx, node, key, lambda n, k: tuple(_items(ctx, n, k)))


def _keywords(ctx, node, key):
    """Keywords per language, written "a, b" (kept as written) or as a list
    (joined so); metadata.keywords splits them again."""
    def read(n, k):
        return ", ".join(_items(ctx, n, k)) if isinstance(n, yaml.SequenceNode) else _str(ctx, n, k)
    return _per_language(ctx, node, key, read)


def _url(ctx, node, key):
    url = _str(ctx, node, key).strip()
    if not re.fullmatch(r"https?://[^\s/?#]+[^\s]*", url):
        raise ctx.fail(node, f"{key}: {url!r} is not a web address (http:// or https://)")
    return url


def _licence(ctx, node, key):
    """``CC BY-SA 4.0``, or ``{name: CC BY-SA 4.0, url: https://…}``."""
    if isinstance(node, yaml.MappingNode):
        d = _mapping(ctx, node, key, {"name": (_str, True), "url": (_url, False)})
        name, url = d["name"].strip(), d.get("url", "")
    else:
        name, url = _str(ctx, node, key).strip(), ""
    if not name and url:
        raise ctx.fail(node, f"{key}: the licence at {url} needs its name, such as CC BY-SA 4.0")
    return Licence(name, url) if name else None


_ISBN_TAGS = {"tag:yaml.org,2002:" + t for t in ("str", "int")}  # 9780306406157 unquoted is a YAML number


def _isbn(ctx, node, key):
    """An ISBN-10 or ISBN-13, hyphens and spaces allowed, its check digit
    verified (python-stdnum); kept as ISBN-13, which every use wants."""
    if not isinstance(node, yaml.ScalarNode) or node.tag not in _ISBN_TAGS:
        raise ctx.fail(node, f"{key}: expected an ISBN such as 978-0-306-40615-7")
    from stdnum import isbn
    text = node.value.strip()
    why = {isbn.InvalidChecksum: "its check digit is wrong (is a digit mistyped?)",
           isbn.InvalidLength: "an ISBN has 10 or 13 digits",
           isbn.InvalidFormat: "an ISBN is digits, hyphens and spaces (and X as an ISBN-10's last digit)",
           isbn.InvalidComponent: "an ISBN-13 starts with 978 or 979"}
    try:
        return isbn.to_isbn13(isbn.validate(text))
    except isbn.ValidationError as exc:
        raise ctx.fail(node, f"{key}: {text} is not a valid ISBN: {why.get(type(exc), exc.message)}") from None


def _isbns(ctx, node, key):
    """edition → format → ISBN: ``{en: {epub: …, pdf: …}}``."""
    if not isinstance(node, yaml.MappingNode):
        raise ctx.fail(node, f"{key}: expected a mapping of edition → formats, as {key}: {{en: {{epub: 978-…, pdf: 978-…}}}}")
    out = {}
    for enode, fnode in node.value:
        edition = _str(ctx, enode, key)
        if edition in ISBN_FORMATS:
            raise ctx.fail(enode, f"{key}: an ISBN names one edition of the text: give the edition first, "
                                  f"as isbn: {{en: {{{edition}: …}}}}")
        out[edition] = _mapping(ctx, fnode, f"{key}.{edition}", {f: (_isbn, False) for f in ISBN_FORMATS})
    return out


def _isbn_in_document(ctx, node, key):
    raise ctx.fail(node, "isbn: an ISBN names one edition of one document in one format: give it in the "
                         "document's entry under documents, as isbn: {en: {epub: 978-…, pdf: 978-…}}")


def _child(node: yaml.Node, name: str) -> tuple[yaml.Node, yaml.Node] | None:
    """The key and value nodes of ``name`` in a mapping node."""
    for knode, vnode in getattr(node, "value", []):
        if isinstance(knode, yaml.ScalarNode) and knode.value == name:
            return knode, vnode
    return None


def _one_licence(ctx, node: yaml.Node, data: dict, where: str = "") -> Licence | None:
    """``licence`` or ``license``, the spelling a writer uses; not both."""
    if "licence" in data and "license" in data:
        raise ctx.fail(_child(node, "license")[0], f"{where}licence and license are one setting, given twice")
    return data.get("licence") or data.get("license")


def _check_isbns(ctx, doc_nodes: list, docs: list[dict], editions: list[str]) -> None:
    """Each ISBN under an edition the project makes, and never given twice."""
    seen: dict[str, tuple[str, int]] = {}   # ISBN → (what it was given to, line)
    for dnode, d in zip(doc_nodes, docs):
        found = _child(dnode, "isbn")
        if found is None:
            continue
        for enode, fnode in found[1].value:
            if enode.value not in editions:
                raise ctx.fail(enode, f"isbn: {enode.value} is not an edition of this project ({', '.join(editions)})")
            for knode, vnode in fnode.value:
                number = d["isbn"][enode.value][knode.value]
                here = f"the {knode.value.upper()} of {d['name']} ({enode.value})"
                if number in seen:
                    raise ctx.fail(vnode, f"isbn: {vnode.value} is given to {here} and to {seen[number][0]} "
                                          f"(line {seen[number][1]}): an ISBN names one edition in one format")
                seen[number] = here, vnode.start_mark.line + 1


def _cover(ctx, node, key):
    """``cover: source/cover.jpg`` for every language, or ``{fa: …, en: …}``."""
    if not isinstance(node, yaml.MappingNode):
        return {"*": _picture(ctx, node, key)}
    out = {}
    for knode, vnode in node.value:
        lang = _language(ctx, knode, key)
        if lang in out:
            raise ctx.fail(knode, f"{key}: {lang} is given twice")
        out[lang] = _picture(ctx, vnode, f"{key}.{lang}")
    return out


def _picture(ctx, node, key):
    """A PNG or JPEG under source/, by its bytes (a name says nothing), as
    written; it must be in source/ because the project travels without
    anything outside it, and the editions read nothing else."""
    from .pictures import MAX_BYTES, sniff
    rel = _str(ctx, node, key)
    root = ctx.path.parent
    path = (root / rel).resolve()
    if not path.is_relative_to((root / "source").resolve()):
        raise ctx.fail(node, f"{key}: {rel} is not under source/ (put the picture there)")
    if not path.is_file():
        raise ctx.fail(node, f"{key}: {rel} does not exist")
    if path.stat().st_size > MAX_BYTES:
        raise ctx.fail(node, f"{key}: {rel} is larger than {MAX_BYTES // (1024 * 1024)} MB")
    with open(path, "rb") as fh:
        found = sniff(fh.read(64))
    if found not in ("image/png", "image/jpeg"):
        raise ctx.fail(node, f"{key}: {rel} is not a PNG or JPEG picture"
                             + (f" (it is {found})" if found else ""))
    return path.relative_to(root.resolve()).as_posix()


_DOCUMENT = {"name": (_str, True), "source": (_str, True), "title": (_texts, False), "subtitle": (_texts, False),
             "author": (_texts, False), "date": (_date_text, False), "description": (_texts, False),
             "keywords": (_keywords, False), "translators": (_names, False), "rights": (_texts, False),
             "licence": (_licence, False), "license": (_licence, False), "isbn": (_isbns, False),
             "cover": (_cover, False)}
_NORMALIZE = {rule: (_bool, False) for rule in NORMALIZE_RULES + TYPOGRAPHY_RULES}
def _wrap(ctx, node, key):
    """0, or the width GNU msgcat wraps at (``-w``): a whole number from 10 up."""
    value = _scalar(ctx, node, "a number", key)
    if isinstance(value, bool) or not isinstance(value, int) or (value != 0 and not 10 <= value <= 100_000):
        raise ctx.fail(node, f"{key}: expected 0 (no wrapping) or a line width from 10 to 100000, got {value!r}")
    return value


def _base_url(ctx, node, key):
    """Where build/ is published (https://press.example.org/report/): the
    preview comments become addresses Weblate makes links of."""
    url = _url(ctx, node, key)
    return url if url.endswith("/") else url + "/"


_CATALOG = {"line_numbers": (_bool, False), "bugs_address": (_str, False), "wrap": (_wrap, False),
            "preview_url": (_base_url, False)}
def _bleed(ctx, node, key):
    """A length a printer asks for (3mm, 0.125in, 9pt), at most 20 mm, as
    CSS writes it; 0 is no bleed."""
    import re
    value = _scalar(ctx, node, "a length such as 3mm", key)
    if value == 0 and not isinstance(value, bool):
        return ""
    found = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(mm|cm|in|pt)", value.strip()) if isinstance(value, str) else None
    if found is None:
        raise ctx.fail(node, f"{key}: expected a length such as 3mm, 0.125in or 9pt, got {value!r}")
    number, unit = float(found[1]), found[2]
    if number * BLEED_UNITS[unit] > 20:
        raise ctx.fail(node, f"{key}: {value} is more than 20 mm; printers ask for 3 to 5 mm")
    return f"{found[1]}{unit}" if number else ""


_PDF = {"paper": (_choice(PAPER_SIZES), False), "pdf_ua": (_bool, False), "cover": (_bool, False),
        "footnotes": (_choice(FOOTNOTE_NUMBERING), False), "link_addresses": (_choice(LINK_ADDRESSES), False),
        "persian_emphasis": (_choice(PERSIAN_EMPHASIS), False), "bleed": (_bleed, False),
        "marks": (_choice(PDF_MARKS), False), "variant": (_choice(PDF_VARIANTS), False)}
_FIGURES = {"numbered": (_bool, False)}

_SCHEMA: dict[str, tuple[Callable, bool]] = {
    "title": (_texts, True),
    "subtitle": (_texts, False),
    "author": (_texts, False),
    "organisation": (_texts, False),
    "publisher": (_texts, False),
    "translators": (_names, False),
    "rights": (_texts, False),
    "licence": (_licence, False),
    "license": (_licence, False),
    "description": (_texts, False),
    "keywords": (_keywords, False),
    "isbn": (_isbn_in_document, False),
    "cover": (_cover, False),
    "date": (_str, False),
    "edition": (_str, False),
    "identifier": (_str, False),
    "source_language": (_language, True),
    "target_languages": (_list_of(_language), True),
    "documents": (_list_of(_sub(_DOCUMENT)), True),
    "segmentation": (_choice(SEGMENTATIONS), False),
    "abbreviations": (_list_of(_str), False),
    "normalize": (_sub(_NORMALIZE), False),
    "catalog": (_sub(_CATALOG), False),
    "pdf": (_sub(_PDF), False),
    "figures": (_sub(_FIGURES), False),
}


def compose_yaml(path: Path, display: str) -> yaml.Node | None:
    """A YAML file as PyYAML nodes, which remember their lines; errors name them."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise PublishError(f"not UTF-8 text ({exc.reason})", path=display) from None
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise PublishError(f"invalid YAML: {exc.problem or exc.context}", path=display,
                           line=mark.line + 1 if mark else None) from None


def find_root(start: Path | None = None) -> Path:
    """The project folder: ``start`` (the command line's -C) or the current
    folder, or the nearest folder above it with a publish.yml.  The error
    says what to do, since it is what a new user meets first."""
    if start is not None and not Path(start).is_dir():
        raise PublishError("no such folder" if not Path(start).exists() else "not a folder", path=str(start))
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    if start is not None:
        raise PublishError(f"no {CONFIG_NAME} in this folder or any folder above it; "
                           f"`publish init {shlex.quote(str(start))}` starts a project there", path=str(start))
    raise PublishError(f"no {CONFIG_NAME} in this folder ({here}) or any folder above it; `publish init` "
                       f"starts a project here, and `publish -C DIR …` works on the project in DIR")


def load(root: Path | None = None) -> Project:
    root = find_root(root)
    path = root / CONFIG_NAME
    ctx = _Ctx(path)
    node = compose_yaml(path, CONFIG_NAME)
    if node is None:
        raise PublishError("the file is empty", path=CONFIG_NAME)
    data = _mapping(ctx, node, "", _SCHEMA)

    # cross-field checks, still with lines
    nodes = {_construct(k): v for k, v in node.value}
    src = data["source_language"]
    if src in data["target_languages"]:
        raise ctx.fail(nodes["target_languages"], f"target_languages: {src} is the source language")
    seen: dict[str, yaml.Node] = {}
    for tnode, lang in zip(nodes["target_languages"].value, data["target_languages"]):
        if lang in seen:
            raise ctx.fail(tnode, "target_languages: " + languages.given_twice(seen[lang].value, tnode.value))
        seen[lang] = tnode
    documents = []
    for dnode, d in zip(nodes["documents"].value, data["documents"]):
        if not d["name"].replace("-", "").replace("_", "").isalnum():
            raise ctx.fail(dnode, f"documents: name {d['name']!r} must be letters, digits, - or _")
        if any(x.name == d["name"] for x in documents):
            raise ctx.fail(dnode, f"documents: {d['name']!r} is listed twice")
        source = (root / d["source"]).resolve()
        if not source.is_relative_to(root.resolve()):   # a symbolic link git carried in (see files.refuse_outside)
            raise ctx.fail(dnode, f"documents: source {d['source']} is a symbolic link to a file outside "
                                  f"the project: refused, not read")
        if not source.is_file():
            raise ctx.fail(dnode, f"documents: source file {d['source']} does not exist")
        documents.append(Document(d["name"], source, Path(d["source"]).as_posix(),
                                  d.get("title", {}), d.get("subtitle", {}), d.get("author", {}),
                                  d.get("date", ""), d.get("description", {}), d.get("keywords", {}),
                                  d.get("translators", {}), d.get("rights", {}),
                                  _one_licence(ctx, dnode, d, "documents: "), d.get("isbn", {}),
                                  cover=d.get("cover", {})))
    if not documents:
        raise ctx.fail(nodes["documents"], "documents: at least one document is needed")
    _check_isbns(ctx, nodes["documents"].value, data["documents"],
                 [src, *data["target_languages"], *(f"{src}-{t}" for t in data["target_languages"])])

    pdf_node = nodes.get("pdf")
    if pdf_node is not None and data["pdf"].get("pdf_ua") and data["pdf"].get("variant", "none") != "none":
        # WeasyPrint writes one variant: a file cannot claim both
        raise ctx.fail(_child(pdf_node, "variant")[0], "pdf.variant: a PDF is written as one variant; "
                                                       "pdf_ua: true and a PDF/X variant cannot both be set")
    normalize = {r: True for r in NORMALIZE_RULES}
    normalize.update(data.get("normalize", {}))
    catalog = data.get("catalog", {})
    pdf = data.get("pdf", {})
    return Project(
        root=root,
        title=data["title"],
        subtitle=data.get("subtitle", {}),
        author=data.get("author", {}),
        organisation=data.get("organisation", {}),
        source_language=src,
        target_languages=data["target_languages"],
        documents=documents,
        segmentation=data.get("segmentation", "sentence"),
        abbreviations=data.get("abbreviations", []),
        normalize=normalize,
        line_numbers=catalog.get("line_numbers", True),
        wrap=catalog.get("wrap", 0),
        preview_url=catalog.get("preview_url", ""),
        bugs_address=catalog.get("bugs_address", ""),
        paper=pdf.get("paper", "A5"),
        pdf_ua=pdf.get("pdf_ua", False),
        cover=data.get("cover", {}),
        pdf_cover=pdf.get("cover", False),
        pdf_footnotes=pdf.get("footnotes", "page"),
        pdf_link_addresses=pdf.get("link_addresses", "footnote"),
        pdf_persian_emphasis=pdf.get("persian_emphasis", "bold"),
        pdf_bleed=pdf.get("bleed", ""),
        pdf_marks=pdf.get("marks", "none"),
        pdf_variant=pdf.get("variant", "none"),
        figures_numbered=data.get("figures", {}).get("numbered", False),
        date=data.get("date", ""),
        edition=data.get("edition", ""),
        identifier=data.get("identifier", ""),
        publisher=data.get("publisher", {}),
        translators=data.get("translators", {}),
        rights=data.get("rights", {}),
        licence=_one_licence(ctx, node, data),
        description=data.get("description", {}),
        keywords=data.get("keywords", {}),
        config_path=path,
    )


def text_for(texts: dict[str, str], lang: str, fallback: str | None = None) -> str:
    """Pick the text for ``lang`` from a per-language mapping."""
    if lang in texts:
        return texts[lang]
    if "*" in texts:
        return texts["*"]
    if fallback and fallback in texts:
        return texts[fallback]
    return ""
