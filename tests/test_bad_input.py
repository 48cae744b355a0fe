"""Bad input: one line naming the file (and line), exit 1, no traceback, and
every file of the project exactly as it was.

One translated and built project is copied for each case; the cases run
side by side (each is a few CLI runs of under a second).  Each row: what to
break, which commands must refuse it, and where the error must point.
"""
from __future__ import annotations

import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polib
import pytest

from conftest import SYNTHETIC_CONFIG, SYNTHETIC_SOURCE, fill
from projects import publish

PO = "translations/en/doc.po"
SRC = "source/fa/doc.md"
GLOSSARY = "translations/glossary.yml"


def _edit(rel: str, fn):
    def apply(root: Path):
        path = root / rel
        path.write_bytes(fn(path.read_bytes()))
    return apply


def _text(rel: str, fn):
    return _edit(rel, lambda b: fn(b.decode("utf-8")).encode("utf-8"))


def _write(rel: str, data: bytes | str):
    def apply(root: Path):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return apply


def _first_msgstr(text: str, new: str) -> str:
    """Replace the first translated msgstr of the text (after the header and
    the title's entries, whose msgid follows a msgctxt line)."""
    m = re.search(r'(?<!")\nmsgid "[^"\n]+"\nmsgstr "[^\n]*"\n', text)
    head, _, _ = m.group().rpartition("msgstr ")
    return text[: m.start()] + head + "msgstr " + new + "\n" + text[m.end():]


def _second_document(root: Path):
    """A second document whose catalog is a copy of the first's (a PO from
    another document's template, saved under the wrong name)."""
    cfg = root / "publish.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace(
        "    source: source/fa/doc.md\n", "    source: source/fa/doc.md\n  - name: other\n    source: source/fa/other.md\n"),
        encoding="utf-8")
    (root / "source/fa/other.md").write_text("# دیگر\n\nمتنی کاملا دیگر اینجاست.\n", encoding="utf-8")
    shutil.copy(root / PO, root / "translations/en/other.po")


def _foreign_po(root: Path):
    po = polib.pofile(str(root / PO), wrapwidth=0)
    foreign = polib.POFile(wrapwidth=0)
    foreign.metadata = {**po.metadata, "Project-Id-Version": "annual-report 2019"}
    for i in range(5):
        foreign.append(polib.POEntry(msgid=f"جمله دیگری از سندی دیگر {i}.", msgstr=f"Another text {i}."))
    foreign.save(str(root / PO))


DEEP_QUOTE = "# عنوان\n\n" + "> " * 10_000 + "متن.\n"
DEEP_LIST = "# عنوان\n\n" + "- " * 10_000 + "متن\n"
DEEP_EMPHASIS = "# عنوان\n\nمتن.\n\n" + "*" * 10_000 + "متن" + "*" * 10_000 + "\n"
LONG_PARAGRAPH = "# عنوان\n\n" + "این یک جمله بلند است و تمام نمی‌شود " * 30_000 + ".\n"

#        id                      break it                                               commands          where
CASES = [
    ("po-syntax",               _text(PO, lambda t: t.replace('\nmsgid "', '\nthis is not PO\nmsgid "', 2)),
                                                                                        ["update", "build"], PO + r":\d+"),
    ("po-bad-escape",           _text(PO, lambda t: _first_msgstr(t, r'"a \q b"')),    ["update", "build"], PO + r":\d+"),
    ("po-unterminated",         _text(PO, lambda t: _first_msgstr(t, '"never closed')), ["update", "build"], PO + r":\d+"),
    ("po-charset",              _text(PO, lambda t: t.replace("charset=UTF-8", "charset=ISO-8859-6")),
                                                                                        ["update", "build"], PO + r":\d+"),
    ("po-not-utf8",             _edit(PO, lambda b: b.replace(b'msgstr "EN', b'msgstr "\xe9EN', 1)),
                                                                                        ["update", "build"], PO + r":\d+"),
    ("po-duplicate",            _text(PO, lambda t: t + '\nmsgid "عنوان اول"\nmsgstr "dup"\n'),
                                                                                        ["update", "build"], PO + r":\d+"),
    ("po-language",             _text(PO, lambda t: t.replace('"Language: en\\n"', '"Language: de\\n"')),
                                                                                        ["update", "build"], PO),
    ("po-other-document",       _second_document,                                       ["update", "build"],
                                                                                        "translations/en/other.po"),
    ("po-foreign-template",     _foreign_po,                                            ["update"], PO),
    ("yaml-broken",             _text("publish.yml", lambda t: t + "pdf: [A5\n"),       ["update", "build"], r"publish\.yml:\d+"),
    ("yaml-unknown-key",        _text("publish.yml", lambda t: t + "colour: red\n"),    ["update", "build"], r"publish\.yml:\d+"),
    ("yaml-wrong-type",         _text("publish.yml", lambda t: t.replace("line_numbers: true", "line_numbers: often")),
                                                                                        ["update", "build"], r"publish\.yml:\d+"),
    ("glossary-broken",         _write(GLOSSARY, "terms:\n  - term: حزب\n    en: [party\n"), ["update", "check"], GLOSSARY + r":\d+"),
    ("glossary-unknown-key",    _write(GLOSSARY, "terms:\n  - term: حزب\n    colour: red\n"), ["update", "check"], GLOSSARY + r":\d+"),
    ("glossary-wrong-type",     _write(GLOSSARY, "terms:\n  - term: حزب\n    en: [party, side]\n"), ["update", "check"], GLOSSARY + r":\d+"),
    ("source-missing",          lambda root: (root / SRC).unlink(),                     ["update", "build"], r"publish\.yml:\d+"),
    ("source-empty",            _write(SRC, b""),                                       ["update", "build"], SRC),
    ("source-blank",            _write(SRC, " \n\n\t\n"),                               ["update", "build"], SRC),
    ("source-latin1",           _write(SRC, "# Titre\n\nUn texte en français: été, où, naïve.\n".encode("latin-1")),
                                                                                        ["update", "build"], SRC + ":3"),
    ("source-shift-jis",        _write(SRC, "# 見出し\n\n日本語の文章です。\n".encode("shift_jis")), ["update", "build"], SRC + r":\d+"),
    ("source-damaged-utf8",     _edit(SRC, lambda b: b.replace("مهم".encode(), b"\xd9" + "مهم".encode(), 1)),
                                                                                        ["update", "build"], SRC + ":3"),
    ("source-utf32",            _write(SRC, SYNTHETIC_SOURCE.encode("utf-32")),        ["update", "build"], SRC),
    ("source-nul",              _text(SRC, lambda t: t.replace("آیا", "آ\x00یا")),      ["update", "build"], SRC + ":4"),
    ("source-1mb-paragraph",    _write(SRC, LONG_PARAGRAPH),                            ["update", "build"], SRC + ":3"),
    ("source-deep-quotes",      _write(SRC, DEEP_QUOTE),                                ["update", "build"], SRC + ":3"),
    ("source-deep-lists",       _write(SRC, DEEP_LIST),                                 ["update", "build"], SRC + ":3"),
    ("source-footnote-loop",    _write(SRC, "# عنوان\n\nمتن[^1].\n\n[^1]: یادداشت[^2].\n\n[^2]: باز[^1].\n"),
                                                                                        ["update", "build"], SRC + ":5"),
    ("source-deep-emphasis",    _write(SRC, DEEP_EMPHASIS),                             ["update"], SRC + ":5"),
    ("translation-deep",        _text(PO, lambda t: _first_msgstr(t, '"' + "*" * 10_000 + "x" + "*" * 10_000 + '"')),
                                                                                        ["build"], PO + r":\d+"),
]
TOOLS = [
    # a missing font: fontconfig that knows no fonts at all
    # a missing font: fontconfig that knows no fonts at all; checked before anything (HTML, EPUB) is written
    ("font-missing", ["build"], {"FONTCONFIG_FILE": "{root}/empty-fonts.conf"}, r"font 'Noto"),
    # pandoc that fails (pypandoc runs what PYPANDOC_PANDOC names)
    ("pandoc-fails",    ["build", "-f", "html"], {"PYPANDOC_PANDOC": "/bin/false"}, r"pandoc"),
]


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the project, except the parsed sources kept in
    build/.publish/trees (a cache keyed by content: a source that parsed
    may be kept even when the run then fails on something else)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and "trees" not in p.relative_to(root).parts[:3]}


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """The synthetic project, updated, fully translated and built (HTML)."""
    root = tmp_path_factory.mktemp("bad-input") / "base"
    (root / "source/fa").mkdir(parents=True)
    (root / "publish.yml").write_text(SYNTHETIC_CONFIG, encoding="utf-8")
    (root / SRC).write_text(SYNTHETIC_SOURCE, encoding="utf-8")
    (root / GLOSSARY).parent.mkdir(parents=True)
    (root / GLOSSARY).write_text("terms:\n  - term: حزب\n    en: party\n", encoding="utf-8")
    (root / "empty-fonts.conf").write_text('<?xml version="1.0"?>\n<fontconfig><dir>/nonexistent</dir>'
                                           '<cachedir>/nonexistent</cachedir></fontconfig>\n', encoding="utf-8")
    assert publish(["update"], root).returncode == 0
    fill(root / PO, lambda msgid: "EN " + msgid.replace("*", ""))
    assert publish(["update"], root).returncode == 0
    proc = publish(["build", "-f", "html"], root)
    assert proc.returncode == 0, proc.stderr
    return root


def _run_case(base: Path, case_id: str, mutate, commands: list[list[str]], env: dict[str, str]):
    root = base.parent / case_id
    shutil.copytree(base, root)
    if mutate:
        mutate(root)
    before = snapshot(root)
    runs = []
    for args in commands:
        runs.append(publish(args, root, **{k: v.format(root=root) for k, v in env.items()}))
    return before, snapshot(root), runs


@pytest.fixture(scope="module")
def results(base):
    jobs = {cid: (mutate, [[c] + (["-f", "html"] if c == "build" else []) for c in cmds], {})
            for cid, mutate, cmds, _ in CASES}
    jobs.update({cid: (None, [args], env) for cid, args, env, _ in (getattr(t, "values", t) for t in TOOLS)})
    with ThreadPoolExecutor(max(2, min(4, os.cpu_count() or 2))) as pool:
        futures = {cid: pool.submit(_run_case, base, cid, *job) for cid, job in jobs.items()}
        return {cid: f.result() for cid, f in futures.items()}


def _assert_one_clean_line(proc, where: str):
    assert proc.returncode == 1, f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert re.match(rf"publish: {where}", lines[0]), lines[0]


@pytest.mark.parametrize("case_id, where", [(c[0], c[3]) for c in CASES])
def test_bad_input_is_one_line_and_changes_nothing(results, case_id, where):
    before, after, runs = results[case_id]
    for proc in runs:
        _assert_one_clean_line(proc, where + r"(: |:\d+: )")
    assert after.keys() == before.keys()
    changed = [k for k in before if before[k] != after[k]]
    assert changed == []


@pytest.mark.parametrize("case_id, where", [
    pytest.param(t.values[0], t.values[3], marks=t.marks) if hasattr(t, "values") else (t[0], t[3]) for t in TOOLS])
def test_tool_failure_is_one_line_and_changes_nothing(results, case_id, where):
    before, after, [proc] = results[case_id]
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and re.search(where, lines[0]), proc.stderr
    assert after == before


def test_weasyprint_failure_is_one_line(base, tmp_path, monkeypatch):
    """WeasyPrint raising anything becomes one line naming WeasyPrint."""
    from click.testing import CliRunner
    import weasyprint
    from publish.cli import main

    def broken(self, *args, **kwargs):
        raise RuntimeError("cairo ran out of paper")

    # the PDF is laid out (HTML.render), perhaps again, then written (Document.write_pdf)
    monkeypatch.setattr(weasyprint.HTML, "render", broken)
    root = tmp_path / "project"
    shutil.copytree(base, root)
    before = snapshot(root)
    result = CliRunner().invoke(main, ["-C", str(root), "build", "-f", "pdf", "-e", "en"])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "publish: WeasyPrint could not render the PDF: RuntimeError: cairo ran out of paper"]
    assert snapshot(root) == before


# --- encodings that are read, with a notice --------------------------------------------------

CP1256_SOURCE = "# عنوان\n\nاين جمله به فارسي است. جمله دوم، با ويرگول.\n"


@pytest.mark.parametrize("encoding, name", [("utf-16", "UTF-16"), ("utf-16-be", "UTF-16"), ("cp1256", "Windows-1256")])
def test_utf16_and_windows_1256_are_read_with_a_notice(make_project, run_publish, encoding, name):
    text = CP1256_SOURCE
    data = ("\ufeff" + text).encode(encoding) if encoding == "utf-16-be" else text.encode(encoding)
    utf8 = make_project(source=text)
    other = make_project(source=text)
    (other / SRC).write_bytes(data)
    run_publish(["update"], cwd=utf8, check=True)
    proc = run_publish(["update"], cwd=other, check=True)
    assert re.search(rf"publish: {SRC}: notice: read as {name}", proc.stderr), proc.stderr
    pot = lambda root: [e.msgid for e in polib.pofile(str(root / "translations/templates/doc.pot"))  # noqa: E731
                        if not e.msgctxt]   # the text's units, not the title's entries
    assert pot(other) == pot(utf8) and len(pot(utf8)) == 3
    assert (other / SRC).read_bytes() == data  # read, never rewritten
    proc = run_publish(["build", "-f", "html"], cwd=other, check=True)
    assert re.search(rf"publish: {SRC}: notice: read as {name}", proc.stderr), proc.stderr


def test_windows_1256_detection_does_not_misfire():
    """UTF-8 stays UTF-8; Latin-1, cp1252 and damaged UTF-8 are refused, not
    misread as Persian."""
    from publish.errors import PublishError
    from publish.source import decode
    assert decode("متن فارسی، با «گیومه».\n".encode("utf-8"), "x") == ("متن فارسی، با «گیومه».\n", None)
    for data in ["Größe, Straße, café\n".encode("latin-1"), "naïve “quotes” – dash\n".encode("cp1252"),
                 "سلام".encode("utf-8") + b"\xd8" + " دنیا، این متن فارسی است.".encode("utf-8"),
                 "Ελληνικά κείμενο\n".encode("cp1253")]:
        with pytest.raises(PublishError):
            decode(data, "x")
    text, notice = decode("گزارش پیشرفت کار؛ چرا؟ ژاله و پدر.\n".replace("ی", "ي").replace("ک", "ك").encode("cp1256"), "x")
    assert text.startswith("گزارش") and "Windows-1256" in notice
