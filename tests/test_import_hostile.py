"""Files that arrive by email are hostile until read (issue 14, the import
side): link targets that run code, control characters, zip bombs and
oversized files are refused or removed, with a line naming them, and a
refused import writes nothing."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from publish import config, importer, links, scaffold
from publish.errors import PublishError


@pytest.fixture
def project(tmp_path) -> Path:
    scaffold.init(tmp_path / "book", title="کتاب", targets=("en",))
    return tmp_path / "book"


def _snapshot(root: Path) -> dict:
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("url, ok", [
    ("https://example.org/a", True), ("mailto:a@b.org", True), ("#part-2", True), ("other.html", True),
    ("javascript:alert(1)", False), ("JavaScript:alert(1)", False), ("java\tscript:alert(1)", False),
    ("java\nscript:x", False), ("\x01 javascript:x", False), ("  vbscript:msgbox", False),
    ("data:text/html,<script>", False), ("file:///etc/passwd", False), ("JaVa%09script:x", True),
])
def test_link_schemes_as_a_browser_reads_them(url, ok):
    assert links.safe(url) is ok


def test_unsafe_link_targets_are_removed_from_markdown_and_html(project, tmp_path):
    md = tmp_path / "l.md"
    md.write_text("# سر\n\n[یک](javascript:alert(1)) و <vbscript:x> و [سه][r] و [چهار](data:text/html,x) "
                  "و [پنج](https://ok.org).\n\n[r]: java\tscript:x\n", encoding="utf-8")
    result = importer.import_file(config.load(project), md)
    text = result.source.read_text(encoding="utf-8")
    assert "(javascript:" not in text and "](data:" not in text and "](vbscript" not in text
    assert "[پنج](https://ok.org)" in text
    for word in ("یک", "سه", "چهار"):
        assert word in text
    page = tmp_path / "p.html"
    page.write_text('<p><a href=" javascript:alert(1)">نشانی</a> <a href="https://ok.org">درست</a></p>',
                    encoding="utf-8")
    text = importer.import_file(config.load(project), page).source.read_text(encoding="utf-8")
    assert "javascript" not in text and "نشانی" in text and "[درست](https://ok.org)" in text


def test_control_characters_are_removed_with_the_line(project, tmp_path):
    md = tmp_path / "c.md"
    md.write_text("# سر\n\nمتن\x07 با\x0b نویسه\x1b\ufffe‌های پنهان.\n", encoding="utf-8")
    result = importer.import_file(config.load(project), md)
    text = result.source.read_text(encoding="utf-8")
    assert not importer.CONTROLS.search(text)
    [w] = [w for w in result.warnings if "control" in w.message]
    assert w.line == 3 and "4 control characters" in w.message


def _zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_a_zip_bomb_is_refused_before_pandoc_and_nothing_is_written(project, tmp_path):
    bomb = _zip(tmp_path / "bomb.docx", {"[Content_Types].xml": b"<Types/>",
                                         "word/document.xml": b"<w:document>" + b" " * (60 << 20) + b"</w:document>"})
    assert bomb.stat().st_size < 200_000
    before = _snapshot(project)
    with pytest.raises(PublishError) as exc:
        importer.import_file(config.load(project), bomb)
    assert "zip bomb" in exc.value.message and exc.value.path == str(bomb)
    assert _snapshot(project) == before


def test_a_part_that_unpacks_far_beyond_its_size_is_refused(project, tmp_path):
    bomb = _zip(tmp_path / "pics.odt", {"content.xml": b"<office:document-content/>",
                                        "Pictures/a.png": b"\0" * (20 << 20)})
    with pytest.raises(PublishError, match="times its size"):
        importer.import_file(config.load(project), bomb)


def test_not_a_zip_is_one_line(project, tmp_path):
    fake = tmp_path / "fake.docx"
    fake.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(PublishError, match="not a .docx file"):
        importer.import_file(config.load(project), fake)


def test_import_cli_refuses_a_bomb_in_one_line(project, tmp_path):
    bomb = _zip(tmp_path / "bomb.docx", {"word/document.xml": b"<a>" + b"x" * (50 << 20) + b"</a>"})
    proc = subprocess.run([str(Path(sys.executable).parent / "publish"), "import", str(bomb)], cwd=project,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1 and "zip bomb" in proc.stderr
