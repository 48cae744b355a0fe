"""publish.yml → a validated Project.

The file is read with PyYAML's node API rather than ``safe_load`` so that every
error can name the line of the offending key or value.  The schema is declared
once (``_SCHEMA``) and both validation and defaults come from it.
"""
from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

from .errors import PublishError

CONFIG_NAME = "publish.yml"

NORMALIZE_RULES = ("arabic_letters", "presentation_forms", "tatweel", "zwnj", "spaces")
PAPER_SIZES = ("A5", "A4", "Letter")
SEGMENTATIONS = ("sentence", "paragraph")


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
    paper: str = "A5"
    pdf_ua: bool = False
    date: str = ""
    edition: str = ""
    identifier: str = ""
    bugs_address: str = ""
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
        return self.translations_dir / lang / f"{doc.name}.po"

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
    code = _str(ctx, node, key)
    from babel import Locale, UnknownLocaleError
    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        raise ctx.fail(node, f"{key}: {code!r} is not a language code Babel knows") from None
    return code


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
    out = {}
    for knode, vnode in node.value:
        lang = _language(ctx, knode, key)
        out[lang] = _str(ctx, vnode, f"{key}.{lang}")
    return out


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


_DOCUMENT = {"name": (_str, True), "source": (_str, True), "title": (_texts, False), "subtitle": (_texts, False),
             "author": (_texts, False), "date": (_date_text, False), "description": (_texts, False),
             "keywords": (_texts, False)}
_NORMALIZE = {rule: (_bool, False) for rule in NORMALIZE_RULES}
_CATALOG = {"line_numbers": (_bool, False), "bugs_address": (_str, False)}
_PDF = {"paper": (_choice(PAPER_SIZES), False), "pdf_ua": (_bool, False)}

_SCHEMA: dict[str, tuple[Callable, bool]] = {
    "title": (_texts, True),
    "subtitle": (_texts, False),
    "author": (_texts, False),
    "organisation": (_texts, False),
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
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise PublishError(f"no {CONFIG_NAME} here or in any parent folder (run inside a publish project)")


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
    if len(set(data["target_languages"])) != len(data["target_languages"]):
        raise ctx.fail(nodes["target_languages"], "target_languages: a language is listed twice")
    documents = []
    for dnode, d in zip(nodes["documents"].value, data["documents"]):
        if not d["name"].replace("-", "").replace("_", "").isalnum():
            raise ctx.fail(dnode, f"documents: name {d['name']!r} must be letters, digits, - or _")
        if any(x.name == d["name"] for x in documents):
            raise ctx.fail(dnode, f"documents: {d['name']!r} is listed twice")
        source = (root / d["source"]).resolve()
        if not source.is_file():
            raise ctx.fail(dnode, f"documents: source file {d['source']} does not exist")
        documents.append(Document(d["name"], source, Path(d["source"]).as_posix(),
                                  d.get("title", {}), d.get("subtitle", {}), d.get("author", {}),
                                  d.get("date", ""), d.get("description", {}), d.get("keywords", {})))
    if not documents:
        raise ctx.fail(nodes["documents"], "documents: at least one document is needed")

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
        bugs_address=catalog.get("bugs_address", ""),
        paper=pdf.get("paper", "A5"),
        pdf_ua=pdf.get("pdf_ua", False),
        date=data.get("date", ""),
        edition=data.get("edition", ""),
        identifier=data.get("identifier", ""),
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
