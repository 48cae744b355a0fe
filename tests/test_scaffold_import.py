"""publish init, publish import, several documents and languages, completion.

The Word and ODT fixtures are made at test time by pandoc from one Markdown
text with headings, a nested list, emphasis, a footnote and a table, then
imported back: what a translator needs (the text, its markup, the footnote,
the table cells) must reach the template.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
import yaml

from projects import publish
from publish import config, importer, scaffold
from publish.errors import PublishError
from publish.source import pandoc_path
from publish.update import update

ORIGINAL = """\
# گزارش سالانه

## بخش نخست

این جمله *تاکید* دارد و این **پررنگ** است.[^1] جمله دوم اینجاست.

- مورد یکم فهرست
    - زیرمورد تودرتو
- مورد دوم فهرست

| ستون یک | ستون دو |
|---|---|
| خانه اول | خانه دوم |

[^1]: متن پانویس اینجاست.
"""


@pytest.fixture(scope="module")
def originals(tmp_path_factory) -> dict[str, Path]:
    """The same document as .md, .docx, .odt and .html (written by pandoc) and .txt."""
    folder = tmp_path_factory.mktemp("originals")
    md = folder / "report.md"
    md.write_text(ORIGINAL, encoding="utf-8")
    out = {"md": md}
    for fmt in ("docx", "odt", "html"):
        target = folder / f"report.{fmt}"
        subprocess.run([pandoc_path(), "-f", "commonmark_x", str(md), "-o", str(target), "--standalone",
                        "--metadata", "title=report"], check=True, capture_output=True)
        out[fmt] = target
    txt = folder / "report.txt"
    txt.write_text("نخستین بند متن ساده است.\n1. این فهرست نیست.\n\n# این هم عنوان نیست.\n", encoding="utf-8")
    out["txt"] = txt
    return out


@pytest.fixture
def new_project(tmp_path) -> Path:
    scaffold.init(tmp_path / "book", title="کتاب آزمایشی", targets=("en",))
    return tmp_path / "book"


def _pot(root: Path, name: str) -> polib.POFile:
    return polib.pofile(str(root / "translations" / "templates" / f"{name}.pot"))


# --- init ------------------------------------------------------------------------------

def test_init_then_update_and_build(tmp_path):
    root = tmp_path / "new"
    proc = publish(["init", str(root), "--title", "کتاب"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    for name in ("publish.yml", "Makefile", ".gitignore", "translations/glossary.yml",
                 f"source/fa/{scaffold.STARTER}.md"):
        assert (root / name).is_file(), name
    text = (root / "publish.yml").read_text(encoding="utf-8")
    assert text.count("#") > 20, "publish.yml should explain itself in comments"
    assert yaml.safe_load(text)["title"] == {"fa": "کتاب"}
    assert "/build/" in (root / ".gitignore").read_text()
    assert re.search(r"^build: update\n\t\$\(PUBLISH\) build$", (root / "Makefile").read_text(), re.M)

    if shutil.which("make"):   # the Makefile's targets call the same commands
        from projects import PUBLISH, publish_env
        made = subprocess.run(["make", f"PUBLISH={PUBLISH}", "update", "status"], cwd=root, capture_output=True,
                              text=True, env=publish_env())
        assert made.returncode == 0, made.stdout + made.stderr
        assert (root / "build" / "status.html").is_file()
    proc = publish(["update"], root)
    assert proc.returncode == 0, proc.stderr
    proc = publish(["build", "--format", "html"], root)
    assert proc.returncode == 0, proc.stderr
    for edition in ("fa", "en", "fa-en"):
        assert (root / "build" / edition / f"{scaffold.STARTER}.html").is_file()


def test_init_refuses_an_existing_project(tmp_path):
    scaffold.init(tmp_path / "p")
    before = (tmp_path / "p" / "publish.yml").read_bytes()
    proc = publish(["init", "p"], tmp_path)
    assert proc.returncode == 1
    assert proc.stderr.startswith("publish: ") and "already" in proc.stderr and len(proc.stderr.splitlines()) == 1
    assert (tmp_path / "p" / "publish.yml").read_bytes() == before


def test_a_second_language_gets_catalogs_and_editions(new_project):
    path = new_project / "publish.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("target_languages: [en]", "target_languages: [en, de]"),
                    encoding="utf-8")
    project = config.load(new_project)
    update(project)
    assert (new_project / "translations" / "de" / f"{scaffold.STARTER}.po").is_file()
    from publish.build import build
    result = build(project, formats=["html"])
    assert {o.edition for o in result.outputs} == {"fa", "en", "fa-en", "de", "fa-de"}
    page = (new_project / "build" / "fa-de" / f"{scaffold.STARTER}.html").read_text(encoding="utf-8")
    assert 'lang="de"' in page


# --- import ----------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["docx", "odt", "md", "html"])
def test_import_keeps_structure(new_project, originals, fmt):
    project = config.load(new_project)
    result = importer.import_file(project, originals[fmt])
    assert result.name == "report" and result.relsource == "source/fa/report.md"
    assert result.replaced == scaffold.STARTER    # the untouched example gives way
    md = result.source.read_text(encoding="utf-8")
    assert re.search(r"^# گزارش سالانه$", md, re.M) and re.search(r"^## بخش نخست$", md, re.M)
    assert re.search(r"^\|\s*ستون یک\s*\|\s*ستون دو\s*\|$", md, re.M), md   # a pipe table, translatable
    assert "<table" not in md

    project = config.load(new_project)
    assert [d.name for d in project.documents] == ["report"]
    update(project)
    pot = _pot(new_project, "report")
    by_id = {e.msgid: e for e in pot}
    assert "این جمله *تاکید* دارد و این **پررنگ** است.[^1]" in by_id
    notes = [e for e in pot if "footnote" in e.comment]
    assert [e.msgid for e in notes] == ["متن پانویس اینجاست."]
    assert "heading" in by_id["گزارش سالانه"].comment
    assert "list item" in by_id["زیرمورد تودرتو"].comment
    assert "table cell" in by_id["خانه دوم"].comment
    assert not (new_project / "source" / "fa" / f"{scaffold.STARTER}.md").exists()


def test_import_text_is_only_text(new_project, originals):
    project = config.load(new_project)
    result = importer.import_file(project, originals["txt"], name="notes")
    update(config.load(new_project))
    pot = _pot(new_project, "notes")
    # "1." and "#" at a line start were text, and stay text: no list, no heading
    assert "# این هم عنوان نیست." in [e.msgid for e in pot]
    assert all("heading" not in e.comment and "list" not in e.comment for e in pot)
    assert result.source.read_text(encoding="utf-8").startswith("نخستین بند متن ساده است. 1. این فهرست نیست.\n")


def test_import_twice_refuses_then_force_replaces(new_project, originals):
    assert publish(["import", str(originals["md"])], new_project).returncode == 0
    before = (new_project / "publish.yml").read_text(encoding="utf-8")
    proc = publish(["import", str(originals["html"])], new_project)
    assert proc.returncode == 1 and "exists already" in proc.stderr and len(proc.stderr.splitlines()) == 1
    proc = publish(["import", "--force", str(originals["html"])], new_project)
    assert proc.returncode == 0, proc.stderr
    assert (new_project / "publish.yml").read_text(encoding="utf-8") == before   # listed once
    proc = publish(["import", "--name", "second", str(originals["docx"])], new_project)
    assert proc.returncode == 0, proc.stderr
    assert "normalisation will change" in proc.stdout
    assert [d.name for d in config.load(new_project).documents] == ["report", "second"]


def test_import_reports_normalisation(new_project, tmp_path):
    src = tmp_path / "arabic.md"
    src.write_text("# كتاب\n\nاين متن عربي است.\n", encoding="utf-8")
    proc = publish(["import", "-v", str(src)], new_project)
    assert proc.returncode == 0, proc.stderr
    assert "Persian ی ک" in proc.stdout and "source/fa/arabic.md:1:" in proc.stdout


def test_import_simplifies_complex_tables(new_project, tmp_path):
    html = tmp_path / "t.html"
    html.write_text("<table><tr><th colspan=2>سر</th></tr><tr><td><p>یک</p><p>دو</p></td>"
                    "<td><ul><li>الف</li><li>ب</li></ul></td></tr></table>", encoding="utf-8")
    result = importer.import_file(config.load(new_project), html)
    md = result.source.read_text(encoding="utf-8")
    assert "<table" not in md and "| یک دو |" in md.replace("  ", " ")
    assert any("merged cells" in n for n in result.notes)


def test_import_rejects_unknown_formats(new_project, tmp_path):
    f = tmp_path / "x.pdf"
    f.write_bytes(b"%PDF-1.4")
    with pytest.raises(PublishError, match="cannot import .pdf"):
        importer.import_file(config.load(new_project), f)
    assert [d.name for d in config.load(new_project).documents] == [scaffold.STARTER]


# --- registering in publish.yml -----------------------------------------------------------

def test_register_keeps_comments_and_layout():
    text = ("title: {fa: x}   # the title\n"
            "documents:       # the list\n"
            "    -   name: a  # first\n"
            "        source: source/fa/a.md\n"
            "        title:\n"
            "          fa: عنوان\n"
            "\n"
            "# trailing comment about segmentation\n"
            "segmentation: sentence\n")
    out = importer.register(text, "b", "source/fa/b.md")
    assert out == text.replace("          fa: عنوان\n",
                               "          fa: عنوان\n    -   name: b\n        source: source/fa/b.md\n")
    assert [d["name"] for d in yaml.safe_load(out)["documents"]] == ["a", "b"]


def test_register_in_a_flow_list_and_in_place_of_the_starter():
    out = importer.register("documents: [{name: a, source: a.md}]  # c\n", "b", "b.md")
    assert out == "documents: [{name: a, source: a.md}, {name: b, source: b.md}]  # c\n"
    text = "documents:\n- name: welcome\n  source: w.md\nx: 1\n"
    assert importer.register(text, "b", "b.md", replace="welcome") == "documents:\n- name: b\n  source: b.md\nx: 1\n"


def test_register_quotes_what_yaml_would_misread():
    out = importer.register("documents:\n  - name: a\n    source: a.md\n", "2024", "source/fa/2024.md")
    assert yaml.safe_load(out)["documents"][1] == {"name": "2024", "source": "source/fa/2024.md"}


def test_document_names_from_files():
    assert importer.document_name(Path("My Report (final).docx")) == "my-report-final"
    assert importer.document_name(Path("گزارش کنگره.odt")) == "گزارش-کنگره"


# --- several documents, titles, completion ------------------------------------------------------

def test_documents_may_have_their_own_titles(new_project, originals):
    importer.import_file(config.load(new_project), originals["md"], name="one")
    importer.import_file(config.load(new_project), originals["md"], name="two")
    path = new_project / "publish.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    source: source/fa/two.md\n",
                                 "    source: source/fa/two.md\n    title: {fa: دومی, en: The second}\n"),
                    encoding="utf-8")
    project = config.load(new_project)
    one, two = project.documents
    assert project.titles(one) == {"fa": "کتاب آزمایشی"}
    assert project.titles(two) == {"fa": "دومی", "en": "The second"}
    # and the editions print them
    from publish import assemble
    en, fa_en = [e for e in assemble.editions(project) if e.name in ("en", "fa-en")]
    assert assemble.metadata(project, two, en)["title"] == "The second"
    assert assemble.metadata(project, two, fa_en)["title-source"] == "دومی"
    assert assemble.metadata(project, one, en)["title"] == "کتاب آزمایشی"  # no English title: the original's


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_completion_scripts(tmp_path, shell):
    proc = publish(["completion", shell], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "_PUBLISH_COMPLETE" in proc.stdout and f"{shell}_complete" in proc.stdout
    if shell == "bash" and shutil.which("bash"):
        # the script is valid bash, and completing "publish im" offers import
        script = tmp_path / "c.sh"
        script.write_text(proc.stdout)
        assert subprocess.run(["bash", "-n", str(script)]).returncode == 0
        done = publish([], tmp_path, _PUBLISH_COMPLETE="bash_complete", COMP_WORDS="publish im", COMP_CWORD="1")
        assert "plain,import" in done.stdout


def test_import_extracts_images(new_project, tmp_path):
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    pixels = zlib.compress(b"".join(b"\x00" + b"\xc0\x30\x30" * 8 for _ in range(4)))
    (tmp_path / "red.png").write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 4, 8, 2, 0, 0, 0))
                                       + chunk(b"IDAT", pixels) + chunk(b"IEND", b""))
    (tmp_path / "pic.md").write_text("# عکس\n\nمتن.\n\n![یک عکس قرمز](red.png)\n", encoding="utf-8")
    subprocess.run([pandoc_path(), "pic.md", "-o", "pic.docx"], cwd=tmp_path, check=True)
    result = importer.import_file(config.load(new_project), tmp_path / "pic.docx")
    assert len(result.media) == 1 and result.media[0].read_bytes().startswith(b"\x89PNG")
    rel = result.media[0].relative_to(new_project / "source" / "fa").as_posix()
    assert rel.startswith("media/pic/")
    md = result.source.read_text(encoding="utf-8")
    assert f"![یک عکس قرمز]({rel})" in md and "<figure" not in md

    # the picture reaches every edition, carried inside it (nothing is read from disk by the renderers)
    assert publish(["update"], new_project).returncode == 0
    proc = publish(["build", "-e", "fa"], new_project)
    assert proc.returncode == 0, proc.stderr
    page = (new_project / "build" / "fa" / "pic.html").read_text(encoding="utf-8")
    assert re.search(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+"', page) and rel not in page
    import zipfile
    with zipfile.ZipFile(new_project / "build" / "fa" / "pic.epub") as z:
        assert any(n.endswith(".png") and z.read(n).startswith(b"\x89PNG") for n in z.namelist())
    listing = subprocess.run(["pdfimages", "-list", str(new_project / "build" / "fa" / "pic.pdf")],
                             capture_output=True, text=True, check=True).stdout
    assert re.search(r"^\s*\d+\s+\d+\s+image\s+8\s+4\b", listing, re.M), listing
