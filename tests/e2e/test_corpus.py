"""Real documents in (issue 12): each document of ``tests/corpus/`` is
imported into a fresh project with the ``publish`` console script, updated and
built in all nine outputs (fa, en, fa-en × html, epub, pdf), and then:

* every command exits 0 and no output holds a traceback (``status`` and
  ``check`` too);
* every word of the original's visible text, its alt texts and its link
  targets reach the Persian HTML edition (``tests/wordcheck.py``, which reads
  the original apart from the importer);
* every local picture of the original is in the edition as a ``data:`` image,
  and its file under ``source/fa/media/<doc>/``;
* the PDFs of the documents with photographs and wide tables print inside
  their pages, with no line over another (``tests/pdfgeometry.py``);
* the warnings and notices the issue promises are on standard error, with
  their lines: the encoding assumed for Windows-1256 files, the ``<script>``,
  ``<style>`` and ``<iframe>`` dropped from an HTML page, the unclosed fence,
  the unclosed ``<div>`` and the heading-less wall of text;
* ``publish import --strict`` refuses (exit 1, nothing written) exactly the
  files whose import report drops words;
* no msgid of the template holds pandoc raw syntax or a front-matter key;
* the title and author of front matter, Pelican headers and HTML ``<head>``
  reach ``publish.yml``.

The Word and ODT files are made from ``word-source.md`` by pandoc at test
time.  Each document is imported and built once (a session cache); the tests
then read the results.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import polib
import pytest

from pdfgeometry import TEXT_BLOCK_MARGINS, assert_sound
from projects import REPO, publish
from publish.source import pandoc_path
from wordcheck import assert_kept, compare, edition_visible, input_visible

pytestmark = pytest.mark.e2e

CORPUS = REPO / "tests" / "corpus"
EDITIONS = ("fa", "en", "fa-en")
FORMATS = ("html", "epub", "pdf")


@dataclass
class Case:
    file: str                                   # in tests/corpus, or made by pandoc (.docx/.odt)
    notice: bool = False                        # an encoding notice is due
    dropped: tuple[str, ...] = ()               # elements the import report must list with their line
    set_aside: tuple[str, ...] = ()             # fallback words: carried, or listed with their count
    structural: tuple[tuple[int, str], ...] = ()   # (line, pattern of the message)
    metadata: dict[str, str] = field(default_factory=dict)
    media_flat: bool = False                    # Word/ODT: pictures directly in media/<doc>/

    @property
    def name(self) -> str:
        return self.file.split(".")[0]


CASES = {c.file: c for c in (
    Case("essay-verse.md"),
    Case("faq.html", dropped=("script", "style", "iframe"), set_aside=("iframe",),
         metadata={"title": "پرسش‌های رایج کتابخانه‌ی محله", "author": "گروه داوطلبان کتابخانه"}),
    Case("old-page-1256.html", notice=True),
    Case("old-page-meta-charset.html", notice=True),
    Case("letter-1256.txt", notice=True),
    Case("front-matter.md", metadata={"title": "نان خانگی در یک روز تعطیل", "author": "مریم صادقی"}),
    Case("pelican.md", metadata={"title": "آشنایی با گیت برای نویسندگان", "author": "کاوه رحیمی"}),
    Case("pictures.md"),
    Case("carpets.md"),
    Case("word-source.docx", media_flat=True),
    Case("word-source.odt", media_flat=True),
    Case("unclosed.md", structural=((1, r"heading|wall|paragraph of \d+ words"), (5, r"div|HTML block"), (19, r"fence|```|code block"))),
)}
WITH_PICTURES = ["faq.html", "pictures.md", "carpets.md", "word-source.docx", "word-source.odt"]
# photographs wider and taller than the page, tables of four to six numeric
# columns: their PDFs' geometry is read back (the Word chapter's small
# pictures and three-column table add nothing to these but seconds)
PRINTED = ["faq.html", "pictures.md", "carpets.md"]


@dataclass
class Run:
    case: Case
    original: Path
    root: Path
    procs: dict[str, subprocess.CompletedProcess]
    strict: subprocess.CompletedProcess
    strict_root: Path
    strict_config_before: str

    def edition(self, edition: str = "fa", fmt: str = "html") -> Path:
        return self.root / "build" / edition / f"{self.case.name}.{fmt}"

    @property
    def import_err(self) -> str:
        return self.procs["import"].stderr

    def dropped_lines(self) -> list[str]:
        """The lines of the import report that say something was dropped."""
        return [l for l in self.import_err.splitlines() if "dropped" in l]


def describe(proc: subprocess.CompletedProcess) -> str:
    return f"{' '.join(proc.args[1:])}: exit {proc.returncode}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"


def _original(file: str, folder: Path) -> Path:
    if file.endswith((".docx", ".odt")):
        target = folder / file
        if not target.exists():
            subprocess.run([pandoc_path(), "-f", "markdown", "-t", file.rsplit(".", 1)[1],
                            f"--resource-path={CORPUS}", str(CORPUS / "word-source.md"), "-o", str(target)],
                           check=True, capture_output=True, timeout=120)
        return target
    return CORPUS / file


def _init(folder: Path) -> Path:
    proc = publish(["init", "book", "--title", "آزمون پیکره"], folder)
    assert proc.returncode == 0, describe(proc)
    return folder / "book"


@pytest.fixture(scope="session")
def runs(tmp_path_factory):
    """file → Run: the whole pipeline once per corpus document, on demand."""
    done: dict[str, Run] = {}
    originals = tmp_path_factory.mktemp("originals")

    def get(file: str) -> Run:
        if file in done:
            return done[file]
        case = CASES[file]
        original = _original(file, originals)
        work = tmp_path_factory.mktemp(case.name)
        root = _init(work)
        procs = {}
        procs["import"] = publish(["import", str(original)], root)
        if procs["import"].returncode == 0:
            procs["update"] = publish(["update"], root)
            procs["build"] = publish(["build"], root, timeout=600)
            procs["status"] = publish(["status"], root)
            procs["check"] = publish(["check"], root)
        strict_root = _init(tmp_path_factory.mktemp(case.name + "-strict"))
        before = (strict_root / "publish.yml").read_text(encoding="utf-8")
        strict = publish(["import", "--strict", str(original)], strict_root)
        done[file] = Run(case, original, root, procs, strict, strict_root, before)
        return done[file]

    return get


@pytest.fixture(params=list(CASES))
def run(request, runs) -> Run:
    return runs(request.param)


# --- every command ------------------------------------------------------------------------


def test_pipeline_exits_0_and_builds_nine_outputs(run):
    for step in ("import", "update", "build", "status"):
        proc = run.procs.get(step)
        assert proc is not None, f"not run: an earlier step failed\n{describe(run.procs['import'])}"
        assert proc.returncode == 0, describe(proc)
    missing = [f"{e}/{run.case.name}.{f}" for e in EDITIONS for f in FORMATS if not run.edition(e, f).is_file()]
    assert not missing, f"outputs not built: {missing}\n{describe(run.procs['build'])}"


def test_no_traceback_anywhere(run):
    for proc in [*run.procs.values(), run.strict]:
        out = proc.stdout + proc.stderr
        assert "Traceback" not in out, describe(proc)
    assert run.procs["check"].returncode in (0, 1), describe(run.procs["check"])


# --- the invariant -------------------------------------------------------------------------


def test_every_word_reaches_the_persian_edition(run):
    assert run.edition().is_file(), describe(run.procs.get("build") or run.procs["import"])
    original = input_visible(run.original, set_aside=run.case.set_aside)
    assert_kept(original, edition_visible(run.edition()), what=run.case.file)


@pytest.mark.parametrize("file", [f for f, c in CASES.items() if c.set_aside])
def test_fallback_words_carried_or_reported(runs, file):
    """An iframe's fallback text: in the edition, or listed as dropped with
    its line and its word count."""
    r = runs(file)
    assert r.edition().is_file(), describe(r.procs["import"])
    original = input_visible(r.original, set_aside=r.case.set_aside)
    edition = edition_visible(r.edition())
    assert original.aside, "the corpus file has no element to set aside"
    for aside in original.aside:
        kept = not (aside.words - edition.words)
        n = sum(aside.words.values())
        listed = [l for l in r.dropped_lines()
                  if f"{r.original.name}:{aside.line}:" in l and aside.tag in l
                  and re.search(rf"\b{n} words?\b", l)]
        assert kept or listed, (
            f"<{aside.tag}> at line {aside.line}: its {n} words {sorted(aside.words)} neither reached the "
            f"edition nor are listed as dropped with their count; import said:\n{r.import_err}")


def test_oracle_sees_the_pictures_and_links_the_corpus_has():
    """The invariant is only as good as what it reads: it must see the
    corpus's links and local pictures (else a loss could pass unnoticed)."""
    essay = input_visible(CORPUS / "essay-verse.md")
    assert {"https://home.unicode.org/", "https://www.unicode.org/charts/PDF/U0600.pdf"} <= essay.links
    assert essay.words["53"] == 1 and essay.words["2"] >= 1
    pictures = input_visible(CORPUS / "pictures.md")
    assert len(pictures.local_pictures) == 4
    assert input_visible(CORPUS / "faq.html").links >= {"mailto:info@library.example.org"}
    letter = input_visible(CORPUS / "letter-1256.txt")
    assert letter.words["پرویز"] == 1 and letter.words["نمی‌دهد"] == 0 and letter.words["می‌خواهد"] == 1


# --- pictures -------------------------------------------------------------------------------


@pytest.mark.parametrize("file", WITH_PICTURES)
def test_local_pictures_travel_into_the_edition(runs, file):
    r = runs(file)
    assert r.edition().is_file(), describe(r.procs["import"])
    local = input_visible(r.original).local_pictures
    assert local
    embedded = edition_visible(r.edition()).embedded_pictures
    assert len(embedded) >= len(local), (
        f"{len(local)} local pictures in {file} ({local}), {len(embedded)} data: images in the fa edition\n"
        f"{describe(r.procs['import'])}")


@pytest.mark.parametrize("file", WITH_PICTURES)
def test_pictures_are_copied_under_media_doc(runs, file):
    r = runs(file)
    media = r.root / "source" / "fa" / "media" / r.case.name
    local = input_visible(r.original).local_pictures
    files = sorted(p for p in media.rglob("*") if p.is_file()) if media.is_dir() else []
    assert len(files) >= len(local), f"{media}: {files}, expected {len(local)} pictures\n{describe(r.procs['import'])}"
    if r.case.media_flat:
        nested = [p.relative_to(media).as_posix() for p in files if p.parent != media]
        assert not nested, f"Word/ODT pictures belong directly in media/{r.case.name}/, found {nested}"
    source = (r.root / "source" / "fa" / f"{r.case.name}.md").read_text(encoding="utf-8")
    assert "{filename}" not in source


@pytest.mark.parametrize("file", PRINTED)
def test_pdfs_print_inside_the_page_with_nothing_over_anything(runs, file):
    """In every edition, fa, en and fa-en: no glyph or picture off the page,
    no picture out of the text block, no line printed over another."""
    r = runs(file)
    for edition in EDITIONS:
        pdf = r.edition(edition, "pdf")
        assert pdf.is_file(), describe(r.procs.get("build") or r.procs["import"])
        assert_sound(pdf, margins_mm=TEXT_BLOCK_MARGINS)


# --- warnings and notices --------------------------------------------------------------------


@pytest.mark.parametrize("file", [f for f, c in CASES.items() if c.notice])
def test_encoding_notice(runs, file):
    r = runs(file)
    notices = [l for l in r.import_err.splitlines() if "notice" in l.lower()]
    assert any(re.search(r"1256", l) for l in notices), (
        f"no notice naming Windows-1256 on import's stderr:\n{describe(r.procs['import'])}")


@pytest.mark.parametrize("file", [f for f, c in CASES.items() if not c.notice])
def test_no_encoding_notice_for_utf8(runs, file):
    r = runs(file)
    assert "1256" not in r.import_err, describe(r.procs["import"])


def _line_of(path: Path, needle: str) -> int:
    text = path.read_bytes().decode("utf-8")
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize("file", [f for f, c in CASES.items() if c.dropped])
def test_dropped_elements_listed_with_their_line(runs, file):
    r = runs(file)
    for tag in r.case.dropped:
        line = _line_of(r.original, f"<{tag}")
        listed = [l for l in r.dropped_lines() if f"{r.original.name}:{line}:" in l and tag in l]
        assert listed, f"<{tag}> (line {line}) not listed as dropped with its line:\n{describe(r.procs['import'])}"


@pytest.mark.parametrize("file", [f for f, c in CASES.items() if c.structural])
def test_structural_warnings_with_their_line(runs, file):
    r = runs(file)
    warnings = [l for p in ("import", "update") if p in r.procs for l in r.procs[p].stderr.splitlines()
                if "warning" in l]
    for line, pattern in r.case.structural:
        found = [w for w in warnings if f"{r.original.name}:{line}:" in w and re.search(pattern, w, re.I)]
        assert found, (f"no warning at {r.original.name}:{line} matching /{pattern}/; warnings:\n"
                       + "\n".join(warnings))


def test_strict_refuses_exactly_what_drops_words(run):
    """``import --strict`` refuses (exit 1, nothing written) a file whose
    import report drops words, and imports one that drops nothing."""
    loses = [l for l in run.dropped_lines() if re.search(r"\(\d+ words?\)", l)]
    proc = run.strict
    if loses:
        assert proc.returncode == 1, f"dropped with words: {loses}\n{describe(proc)}"
        assert "--strict" in proc.stderr
        fa = run.strict_root / "source" / "fa"
        assert not (fa / f"{run.case.name}.md").exists()
        assert not (fa / "media" / run.case.name).exists()
        assert (run.strict_root / "publish.yml").read_text(encoding="utf-8") == run.strict_config_before
    else:
        assert proc.returncode == 0, describe(proc)


def test_strict_refuses_the_faq_if_its_iframe_words_are_dropped(runs):
    """The one corpus file with words that may not be carried: if the
    import drops the iframe's fallback text, --strict must refuse it."""
    r = runs("faq.html")
    iframe = [l for l in r.dropped_lines() if "iframe" in l and re.search(r"\(\d+ words?\)", l)]
    if iframe:
        assert r.strict.returncode == 1, describe(r.strict)
    else:
        original = input_visible(r.original, set_aside=("iframe",))
        assert not (original.aside[0].words - edition_visible(r.edition()).words)


# --- what translators see ---------------------------------------------------------------------

RAW = ("{=html}", "<br", "<div", "&nbsp;", "</", "<p>", "<sup", "<span", "<details", "<summary")
FRONT_MATTER_KEY = re.compile(r"(?im)^\s*(title|author|date|description|tags|category|summary)\s*:")


def test_no_raw_syntax_or_front_matter_in_msgids(run):
    pot = run.root / "translations" / "templates" / f"{run.case.name}.pot"
    assert pot.is_file(), describe(run.procs.get("update") or run.procs["import"])
    bad = [e.msgid for e in polib.pofile(str(pot)) if e.msgid and
           (any(r in e.msgid for r in RAW) or FRONT_MATTER_KEY.search(e.msgid) or e.msgid.strip() == "---")]
    assert not bad, "msgids with raw syntax or front matter:\n" + "\n".join(f"  {m!r}" for m in bad)


@pytest.mark.parametrize("file", [f for f, c in CASES.items() if c.metadata])
def test_metadata_reaches_publish_yml(runs, file):
    r = runs(file)
    import yaml
    config = yaml.safe_load((r.root / "publish.yml").read_text(encoding="utf-8"))
    entry = next((d for d in config.get("documents", []) if d.get("name") == r.case.name), None)
    assert entry is not None, config
    def strings(node):
        if isinstance(node, dict):
            return [s for v in node.values() for s in strings(v)]
        if isinstance(node, list):
            return [s for v in node for s in strings(v)]
        return [str(node)]

    for key, value in r.case.metadata.items():
        assert value in strings(entry.get(key)), \
            f"{key} {value!r} not in the document's entry of publish.yml: {entry}"
