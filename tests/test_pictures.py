"""Pictures travel with the text (issue 12, point 5).

Import copies the local pictures a Markdown or HTML file names into
``source/fa/media/<doc>/`` — whatever form the link takes (relative, ``./``,
percent-encoded, Persian names, Pelican's ``{filename}``, a site's ``/…``) —
and refuses anything that is not a picture or lies outside the file's
folders; Word's pictures land in ``media/<doc>/`` directly.  Update and
build stop on a picture they cannot find, naming its line, unless told to
keep going, and then the editions show its description in a marked box.
"""
from __future__ import annotations

import re
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from projects import publish
from publish import config, importer, pictures, scaffold
from publish.source import pandoc_path


def png(r: int = 200, g: int = 40, b: int = 40, w: int = 8, h: int = 4) -> bytes:
    """A real PNG of one colour (each call's colour makes different bytes)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    pixels = zlib.compress(b"".join(b"\x00" + bytes([r, g, b]) * w for _ in range(h)))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", pixels) + chunk(b"IEND", b""))


def put(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.fixture
def book(tmp_path) -> Path:
    scaffold.init(tmp_path / "book", title="کتاب", targets=("en",))
    return tmp_path / "book"


def targets(md: str) -> list[str]:
    return re.findall(r"!\[[^\]]*\]\(<?([^)>\s]+)", md)


# --- import: Markdown -------------------------------------------------------------------

def test_import_carries_pictures_in_every_link_form(book, tmp_path):
    site = tmp_path / "site"
    put(site / "pelicanconf.py", b"")       # the site's root: no search above it
    posts = site / "content" / "posts"
    files = {
        "a": put(posts / "images" / "a.png", png(1)),
        "space": put(posts / "images" / "b c.png", png(2)),
        "persian": put(posts / "عکس‌ها" / "تصویر یک.png", png(3)),
        "pelican": put(site / "content" / "images" / "e.png", png(4)),      # {filename}/… is from content/
        "hugo": put(site / "static" / "img" / "g.png", png(5)),             # /img/g.png is served from static/
        "twin": put(posts / "other" / "a.png", png(6)),                     # same name, another folder
        "noext": put(posts / "images" / "photo", png(7)),                   # a picture without a suffix
    }
    text = ("# عکس‌ها\n\n"
            "![یک](images/a.png)\n\n"
            "![دو](./images/b%20c.png)\n\n"
            "![سه](<عکس‌ها/تصویر یک.png>)\n\n"
            "![دوباره](images/a.png?size=2#top)\n\n"
            "![پلیکان]({filename}/images/e.png) ![ایستا]({static}/images/e.png)\n\n"
            "![هیوگو](/img/g.png)\n\n"
            "![همنام](other/a.png)\n\n"
            "![بی‌پسوند](images/photo)\n")
    post = posts / "post.md"
    post.write_text(text, encoding="utf-8")
    result = importer.import_file(config.load(book), post)
    assert result.warnings == []
    media = book / "source" / "fa" / "media" / "post"
    assert sorted(p.parent for p in result.media) == [media] * 7      # flat, one copy per file
    md = result.source.read_text(encoding="utf-8")
    found = targets(md)
    assert len(found) == 9 and all(t.startswith("media/post/") for t in found), md
    # each link reaches the bytes of the file it named (targets are relative to source/fa/)
    by_alt = dict(re.findall(r"!\[([^\]]*)\]\(<?([^)>\s]+)", md))
    expect = {"یک": "a", "دو": "space", "سه": "persian", "دوباره": "a", "پلیکان": "pelican",
              "ایستا": "pelican", "هیوگو": "hugo", "همنام": "twin", "بی‌پسوند": "noext"}
    for alt, key in expect.items():
        copy = book / "source" / "fa" / by_alt[alt]
        assert copy.read_bytes() == files[key].read_bytes(), alt
    assert by_alt["یک"] != by_alt["همنام"]                 # two a.png: neither overwrote the other
    assert by_alt["بی‌پسوند"].endswith(".png")            # named for what it is
    # update and build find every one
    assert publish(["update"], book).returncode == 0
    proc = publish(["build", "-e", "fa", "-f", "html"], book)
    assert proc.returncode == 0, proc.stderr
    page = (book / "build" / "fa" / "post.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<img src="data:image/png;base64,', page)) == 9
    assert 'class="missing-picture"' not in page


def test_import_warns_about_what_it_leaves_behind(book, tmp_path):
    # the file's folder and three above it may hold its pictures (a site's root); not further
    folder = tmp_path / "a" / "b" / "c" / "d" / "mail"
    outside = put(tmp_path / "elsewhere" / "secret.png", png(9))
    (tmp_path / "elsewhere" / "notes.txt").write_text("private", encoding="utf-8")
    put(folder / "fake.jpg", b"this is a letter, not a picture\n")
    (folder / "link.png").symlink_to(outside)
    put(folder / "ok.png", png(1))
    lines = [
        "# نامه",                                                      # 1
        "![نیست](images/missing.png)",                                 # 2
        "![وب](https://example.org/x.png) ![وب۲](//cdn.example.org/y.png)",   # 3
        "![جعلی](fake.jpg)",                                           # 4
        "![بالا](../../../../../../etc/passwd)",                       # 5
        "![بیرون](../../../../../elsewhere/secret.png)",                # 6
        f"![مطلق]({outside})",                                         # 7
        "![ریشه](/etc/passwd)",                                        # 8
        "![پیوند](link.png)",                                          # 9
        "![فایل](file:///etc/passwd)",                                 # 10
        "![داده](data:image/png;base64,iVBORw0KGgo=)",                 # 11
        "![خوب](ok.png)",                                              # 12
    ]
    letter = folder / "letter.md"
    letter.write_text("\n\n".join(lines) + "\n", encoding="utf-8")   # line n of the list is line 2n-1
    result = importer.import_file(config.load(book), letter)
    # only the one real picture inside the folder was copied
    media = book / "source" / "fa" / "media" / "letter"
    assert [p.name for p in result.media] == ["ok.png"] and sorted(media.iterdir()) == result.media
    by_line = {}
    for w in result.warnings:
        by_line[w.line] = by_line.get(w.line, "") + w.message + "\n"
    by_line = {k: v.strip() for k, v in by_line.items()}
    assert all(w.path == str(letter) for w in result.warnings)
    n = lambda i: 2 * i - 1   # noqa: E731

    assert by_line[n(2)] == "picture not found: images/missing.png"
    assert "https://example.org/x.png is on the web" in by_line[n(3)] and "never fetches" in by_line[n(3)]
    assert "//cdn.example.org/y.png is on the web" in by_line[n(3)]
    assert "fake.jpg" in by_line[n(4)] and "not a picture" in by_line[n(4)]
    assert "etc/passwd" in by_line[n(5)]
    assert "outside the file's folder" in by_line[n(6)]
    assert "absolute path" in by_line[n(7)]
    assert by_line[n(8)].startswith("picture refused: /etc/passwd: an absolute path")
    assert "outside the file's folder (a symlink)" in by_line[n(9)]
    assert "file:///etc/passwd" in by_line[n(10)]
    assert n(11) not in by_line and n(12) not in by_line and n(1) not in by_line
    md = result.source.read_text(encoding="utf-8")
    assert "media/letter/ok.png" in md and "https://example.org/x.png" in md
    # what was left behind keeps its target, so that update names it too
    assert "images/missing.png" in md
    for p in (book / "source").rglob("*"):
        assert b"private" not in p.read_bytes() if p.is_file() else True
        assert not (p.is_file() and p.read_bytes() == outside.read_bytes())


def test_html_pages_and_img_tags_carry_their_pictures(book, tmp_path):
    page = tmp_path / "page"
    put(page / "img" / "photo one.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64))
    put(page / "img" / "b.png", png(3))
    (page / "index.html").write_text(
        '<html><head><meta charset="utf-8"><title>برگه</title></head><body>\n'
        '<p>متن برگه.</p>\n'
        '<p><img src="img/photo%20one.jpg" alt="عکس یک"></p>\n'
        '<p><img src="http://example.org/far.png" alt="دور"></p>\n'
        '</body></html>\n', encoding="utf-8")
    result = importer.import_file(config.load(book), page / "index.html", name="page")
    assert [p.name for p in result.media] == ["photo-one.jpg"]
    assert "media/page/photo-one.jpg" in result.source.read_text(encoding="utf-8")
    assert [(w.line, "on the web" in w.message) for w in result.warnings] == [(4, True)]

    (page / "notes.md").write_text('# یادداشت\n\nمتن با تصویر <img src="img/b.png" alt="ب"> در میان.\n',
                                   encoding="utf-8")
    result = importer.import_file(config.load(book), page / "notes.md")
    assert [p.name for p in result.media] == ["b.png"] and result.warnings == []
    assert "media/notes/b.png" in result.source.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["docx", "odt"])
def test_word_pictures_land_in_the_documents_folder(book, tmp_path, fmt):
    pics = tmp_path / "pics"
    put(pics / "red.png", png(200, 0, 0))
    put(pics / "blue.png", png(0, 0, 200))
    md = tmp_path / "w.md"
    md.write_text("# عکس\n\nمتن.\n\n![قرمز](red.png)\n\n![آبی](blue.png)\n", encoding="utf-8")
    word = tmp_path / f"chapter.{fmt}"
    subprocess.run([pandoc_path(), "-f", "markdown", "-t", fmt, f"--resource-path={pics}", str(md), "-o", str(word)],
                   check=True, capture_output=True, timeout=60)
    result = importer.import_file(config.load(book), word)
    media = book / "source" / "fa" / "media" / "chapter"
    assert len(result.media) == 2 and all(p.parent == media for p in result.media)
    assert not any(p.is_dir() for p in media.iterdir())
    text = result.source.read_text(encoding="utf-8")
    found = targets(text)
    assert len(found) == 2 and all(re.fullmatch(r"media/chapter/[^/]+\.png", t) for t in found), text
    colours = {(book / "source" / "fa" / t).read_bytes() for t in found}
    assert colours == {png(200, 0, 0), png(0, 0, 200)}
    assert result.warnings == []


# --- update and build --------------------------------------------------------------------

SOURCE = """\
# فصل یکم

این جمله پیش از تصویر است.

![نقشه شهر](media/doc/map.png)

جمله پس از تصویر.
"""


def _project(root: Path, source: str = SOURCE) -> Path:
    put(root / "source" / "fa" / "doc.md", source.encode("utf-8"))
    (root / "publish.yml").write_text("title: {fa: آزمون, en: Test}\nsource_language: fa\ntarget_languages: [en]\n"
                                      "documents:\n  - name: doc\n    source: source/fa/doc.md\n", encoding="utf-8")
    return root


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not any(part.startswith(".publish") for part in p.parts)}


def test_update_and_build_refuse_a_missing_picture(tmp_path):
    root = _project(tmp_path / "p")
    before = _files(root)
    proc = publish(["update"], root)
    assert proc.returncode == 1
    assert proc.stderr.startswith("publish: source/fa/doc.md:5: picture not found: media/doc/map.png"), proc.stderr
    assert "Traceback" not in proc.stderr and _files(root) == before

    proc = publish(["update", "--keep-going"], root)
    assert proc.returncode == 0, proc.stderr
    assert "publish: source/fa/doc.md:5: warning: picture not found: media/doc/map.png" in proc.stderr
    after_update = _files(root)
    assert "translations/en/doc.po" in after_update

    proc = publish(["build", "-e", "fa"], root)
    assert proc.returncode == 1 and "source/fa/doc.md:5: picture not found: media/doc/map.png" in proc.stderr
    assert _files(root) == after_update and not (root / "build" / "fa").exists()

    proc = publish(["build", "--keep-going", "-e", "fa"], root)
    assert proc.returncode == 0, proc.stderr
    assert "source/fa/doc.md:5: warning: picture not found" in proc.stderr
    page = (root / "build" / "fa" / "doc.html").read_text(encoding="utf-8")
    box = re.search(r'<span class="missing-picture"[^>]*>(.*?)</span>\s*</span>', page, re.S)
    assert box and "نقشه شهر" in box.group(1) and "media/doc/map.png" in box.group(1), page[-3000:]
    assert ".missing-picture" in page                                   # and the page styles it
    with zipfile.ZipFile(root / "build" / "fa" / "doc.epub") as z:
        chapters = b"".join(z.read(n) for n in z.namelist() if n.endswith(".xhtml"))
        assert b'class="missing-picture"' in chapters and "نقشه شهر".encode() in chapters
        assert any(b".missing-picture" in z.read(n) for n in z.namelist() if n.endswith(".css"))
    pdf_text = subprocess.run(["pdftotext", str(root / "build" / "fa" / "doc.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout
    assert "media/doc/map.png" in pdf_text

    # what was built without its picture is not up to date: a build that may not go on fails again
    proc = publish(["build", "-e", "fa", "-f", "html"], root)
    assert proc.returncode == 1 and "picture not found" in proc.stderr

    # the picture found: the edition carries it, and the box is gone
    put(root / "source" / "fa" / "media" / "doc" / "map.png", png())
    assert publish(["update"], root).returncode == 0
    proc = publish(["build", "-e", "fa", "-f", "html"], root)
    assert proc.returncode == 0, proc.stderr
    page = (root / "build" / "fa" / "doc.html").read_text(encoding="utf-8")
    assert '<img src="data:image/png;base64,' in page and 'class="missing-picture"' not in page


@pytest.mark.parametrize("name,data,why", [
    ("map.png", b"Dear editor, this is a letter.\n", "not a picture"),     # a name is not what a file is
    ("map.txt", b"\x89PNG\r\n\x1a\n", "not a picture the editions can show"),
])
def test_update_refuses_what_is_not_a_picture(tmp_path, name, data, why):
    root = _project(tmp_path / "p", SOURCE.replace("map.png", name))
    put(root / "source" / "fa" / "media" / "doc" / name, data)
    proc = publish(["update"], root)
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"publish: source/fa/doc.md:5: {why}"), proc.stderr


def test_missing_names_every_picture_with_its_line(tmp_path):
    from publish import source
    root = _project(tmp_path / "p", "# سر\n\n- مورد ![الف](a.png)\n\n  > ![ب](../../../etc/passwd)\n\n"
                                    "| ستون |\n|---|\n| ![ج](media/c.png) |\n\n![وب](https://x.org/a.png)\n\n"
                                    "![خوب](ok.png)\n")
    put(root / "source" / "fa" / "ok.png", png())
    src = source.load(root / "source" / "fa" / "doc.md", {}, "source/fa/doc.md")
    found = pictures.missing(src.blocks, src.text, root / "source" / "fa", root / "source", "source/fa/doc.md")
    assert [(w.line, w.message) for w in found] == [
        (3, "picture not found: a.png"), (5, "picture not found: ../../../etc/passwd"),
        (9, "picture not found: media/c.png")]


# --- the rules themselves -----------------------------------------------------------------

def test_sniff_knows_pictures_by_their_bytes():
    assert pictures.sniff(png()) == "image/png"
    assert pictures.sniff(b"\xff\xd8\xff\xe0\x00\x10JFIF") == "image/jpeg"
    assert pictures.sniff(b"GIF89a\x01\x00") == "image/gif"
    assert pictures.sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert pictures.sniff(b'<?xml version="1.0"?>\n<!-- x -->\n<svg xmlns="http://www.w3.org/2000/svg"/>') \
        == "image/svg+xml"
    for not_one in (b"", b"root:x:0:0:root:/root:/bin/bash\n", b"<html><body><svg></svg></body></html>",
                    b"RIFF\x00\x00\x00\x00WAVEfmt ", b"%PDF-1.7", b"PK\x03\x04"):
        assert pictures.sniff(not_one) is None, not_one


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=st.one_of(
    st.text(alphabet="./\\%2e{}|:?#~ abcdefilnprstwxy0123456789", max_size=40),
    st.builds(lambda ups, tail: "../" * ups + tail, st.integers(0, 8),
              st.sampled_from(["etc/passwd", "out.png", "home/out.png", "in.png", "sub/in.png", "link.png"]))))
def test_nothing_outside_the_fence_is_ever_copied(tmp_path_factory, target):
    """Whatever an imported file names, a copy is a picture from inside
    the folders searched, or there is none."""
    base = _FENCE.get("base")
    if base is None:
        top = tmp_path_factory.mktemp("fence")
        put(top / "out.png", png(1))                        # above the site's root: never reachable
        site = top / "site"
        (site / ".git").mkdir(parents=True)
        base = site / "posts"
        put(base / "in.png", png(2))
        put(base / "sub" / "in.png", png(3))
        (base / "link.png").symlink_to(top / "out.png")
        _FENCE.update(base=base, site=site)
    found = pictures.locate(target, base)
    if found.path is not None:
        assert found.path.is_relative_to(_FENCE["site"].resolve())
        assert pictures.sniff(found.path.read_bytes()) == found.kind
    else:
        assert found.why


_FENCE: dict = {}


def test_the_preview_keeps_going_and_says_why(tmp_path):
    """publish serve rebuilds with the picture marked, and logs its line."""
    from publish.serve import Preview
    root = _project(tmp_path / "p")
    logged = []
    preview = Preview(root, log=logged.append)
    preview.rebuild(None)
    assert preview.state.error is None
    assert any("source/fa/doc.md:5: warning: picture not found: media/doc/map.png" in m for m in logged), logged
    page = (root / "build" / "fa" / "doc.html").read_text(encoding="utf-8")
    assert 'class="missing-picture"' in page and "نقشه شهر" in page
