"""Incremental and parallel builds, proved with real builds of a small project.

A build is compared with the one before it by what it rendered (``Output.
rendered``) and by the files themselves (bytes and modification times), never
by how long it took.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SYNTHETIC_CONFIG, SYNTHETIC_SOURCE
from projects import publish

from publish import assemble, build, cache, config, update
from publish.errors import PublishError

EDITIONS = ("fa", "en", "fa-en")
FORMATS = ("html", "epub", "pdf")
DOCS = ("doc", "other")
COVERS = {f"build/{e}/{d}.cover.png" for d in DOCS for e in EDITIONS}   # the pages' social-card pictures
ALL = {f"build/{e}/{d}.{f}" for d in DOCS for e in EDITIONS for f in FORMATS} | COVERS
OLD = 1_000_000_000  # a modification time no build can give

CONFIG = SYNTHETIC_CONFIG.replace("    source: source/fa/doc.md\n",
                                  "    source: source/fa/doc.md\n  - name: other\n    source: source/fa/other.md\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """Two documents, translated, built once in parallel; tests build on copies."""
    root = tmp_path_factory.mktemp("incremental") / "project"
    (root / "source" / "fa").mkdir(parents=True)
    (root / "publish.yml").write_text(CONFIG, encoding="utf-8")
    (root / "source/fa/doc.md").write_text(SYNTHETIC_SOURCE, encoding="utf-8")
    (root / "source/fa/other.md").write_text("# دیگر\n\nاین سند دیگری است.\n", encoding="utf-8")
    project = config.load(root)
    update.update(project)
    for doc in DOCS:
        po = root / f"translations/en/{doc}.po"
        text = po.read_text(encoding="utf-8")
        # every unit translated: msgstr "" after a one-line msgid becomes "EN" + the msgid
        lines, out = text.splitlines(), []
        for i, line in enumerate(lines):
            if line == 'msgstr ""' and lines[i - 1].startswith('msgid "') and lines[i - 1] != 'msgid ""':
                line = "msgstr " + '"Translated: ' + lines[i - 1][len('msgid "'):]
            out.append(line)
        po.write_text("\n".join(out) + "\n", encoding="utf-8")
    result = build.build(project, jobs=2)
    assert {o.path for o in result.outputs} == ALL and all(o.rendered for o in result.outputs)
    for (doc, lang), p in result.progress.items():
        assert p.translated == p.units > 0, (doc, lang)
    return root


@pytest.fixture
def root(built, tmp_path) -> Path:
    """A copy of the built project, every output dated long ago."""
    copy = tmp_path / "project"
    shutil.copytree(built, copy)
    for p in (copy / "build").rglob("*"):
        if p.is_file():
            os.utime(p, (OLD, OLD))
    return copy


def snapshot(root: Path) -> dict[str, tuple[float, bytes]]:
    return {p.relative_to(root).as_posix(): (p.stat().st_mtime, p.read_bytes())
            for p in (root / "build").rglob("*") if p.is_file() and ".publish" not in p.parts}


def rendered(result) -> set[str]:
    return {o.path for o in result.outputs if o.rendered}


def rebuild(root: Path, **kw):
    return build.build(config.load(root), **kw)


def test_nothing_changed_renders_nothing_and_touches_nothing(root):
    before = snapshot(root)
    result = rebuild(root)
    assert rendered(result) == set()
    assert {o.path for o in result.outputs} == ALL
    assert snapshot(root) == before
    assert (root / "build/.publish/manifest.json").stat().st_mtime == OLD
    # the translation progress still comes back, remembered from the first build
    assert {k: (p.translated, p.units) for k, p in result.progress.items()} == \
        {k: (p.units, p.units) for k, p in result.progress.items()}
    assert set(result.progress) == {(d, "en") for d in DOCS}


def test_a_no_op_build_does_not_load_the_renderers_or_the_assembler(built, tmp_path):
    copy = tmp_path / "project"
    shutil.copytree(built, copy)
    probe = ("import sys\nfrom pathlib import Path\nfrom publish import build, config\n"
             "r = build.build(config.load(Path(sys.argv[1])))\nassert not any(o.rendered for o in r.outputs)\n"
             "print(sorted(m for m in ('weasyprint', 'pypandoc', 'publish.assemble', 'publish.source', "
             "'rich.progress', 'multiprocessing') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", probe, str(copy)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def test_help_imports_no_renderer():
    probe = ("import sys\nfrom publish import cli\n"
             "try:\n    cli.main(['--help'])\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in ('weasyprint', 'pypandoc', 'publish.build', 'publish.assemble') "
             "if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stdout


def test_one_changed_translation_rebuilds_only_its_editions_of_its_document(root):
    po = root / "translations/en/doc.po"
    text = po.read_text(encoding="utf-8")
    assert text.count('msgstr "Translated: ') > 3
    po.write_text(text.replace('msgstr "Translated: ', 'msgstr "Changed: ', 1), encoding="utf-8")
    before = snapshot(root)
    result = rebuild(root)
    assert rendered(result) == {f"build/{e}/doc.{f}" for e in ("en", "fa-en") for f in (*FORMATS, "cover.png")}
    after = snapshot(root)
    for path in ALL - rendered(result):
        assert after[path] == before[path], f"{path} was touched"
    assert "Changed: " in (root / "build/en/doc.html").read_text(encoding="utf-8")
    reasons = {o.reason for o in result.outputs if o.rendered}
    assert reasons == {"translations/en/doc.po changed"}


def test_changing_the_paper_rebuilds_only_pdfs(root):
    yml = root / "publish.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("paper: A5", "paper: A4"), encoding="utf-8")
    before = snapshot(root)
    result = rebuild(root)
    assert rendered(result) == {p for p in ALL if p.endswith(".pdf")}
    after = snapshot(root)
    for path in ALL - rendered(result):
        assert after[path] == before[path], f"{path} was touched"
    for path in rendered(result):
        assert after[path][1] != before[path][1], f"{path} did not change with the paper"


@pytest.mark.parametrize("damage", ["delete", "corrupt"])
def test_a_deleted_or_damaged_output_is_rendered_again(root, damage):
    target = root / "build/fa/doc.html"
    good = target.read_bytes()
    if damage == "delete":
        target.unlink()
    else:
        target.write_bytes(b"<html>broken")
    result = rebuild(root, formats=["html"])
    assert rendered(result) == {"build/fa/doc.html"}
    assert target.read_bytes() == good


@pytest.mark.parametrize("garbage", [b"", b"{not json", b'{"schema": 1, "outputs": [], "progress": {}}',
                                     b'{"schema": 1, "outputs": {"build/fa/doc.html": {"parts": 3}}, "progress": {}}',
                                     b'{"schema": 999, "outputs": {}, "progress": {}}', b"\xff\xfe"])
def test_a_damaged_manifest_only_costs_a_rebuild(root, garbage):
    manifest = root / "build/.publish/manifest.json"
    manifest.write_bytes(garbage)
    result = rebuild(root, formats=["html"])
    html = {p for p in ALL if p.endswith((".html", ".cover.png"))}   # a page's picture is made with it
    assert rendered(result) == html
    assert not any(o.written for o in result.outputs), "the same inputs gave different bytes"
    assert rendered(rebuild(root, formats=["html"])) == set()  # and the manifest is whole again


def test_parallel_and_serial_give_identical_bytes(root):
    before = snapshot(root)  # rendered in parallel by the fixture
    result = rebuild(root, editions=["fa-en", "en"], documents=["doc"], force=True, jobs=1)
    assert len(rendered(result)) == 8
    assert not any(o.written for o in result.outputs)
    assert snapshot(root) == before


def test_results_come_in_plan_order(root):
    result = rebuild(root, force=True, formats=["html", "pdf"], documents=["other"], jobs=2)
    assert [o.path for o in result.outputs] == [f"build/{e}/other.{f}" for e in EDITIONS
                                                for f in ("html", "pdf", "cover.png")]


def test_an_error_in_a_worker_arrives_as_one_publish_error(root, monkeypatch):
    def failing(a, fmt, project):
        raise PublishError("cannot render this", path=f"translations/en/{a.document.name}.po", line=7)

    monkeypatch.setattr(build, "render", failing)  # the forked workers inherit the patch …
    # … if they are forked: a thread some earlier test left running would make the pool use a fork server
    import threading
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    with pytest.raises(PublishError) as caught:
        rebuild(root, force=True, formats=["pdf"], jobs=2)
    assert (caught.value.path, caught.value.line) == ("translations/en/doc.po", 7)
    assert str(caught.value) == "translations/en/doc.po:7: cannot render this"


def test_edition_languages_agree_with_the_assembler(built):
    project = config.load(built)
    assert build.edition_languages(project) == {e.name: e.languages for e in assemble.editions(project)}


def test_the_package_digest_covers_styles_and_templates():
    root = Path(build.__file__).parent
    assert (root / "render/styles/print.css").is_file()
    assert cache.package_digest() == cache.package_digest.__wrapped__()


def test_command_line_says_what_it_did_and_skipped(root):
    quiet = publish(["build", "-q"], root)
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == "", quiet
    plain = publish(["build"], root)
    assert "nothing to do: 24 outputs up to date" in plain.stdout
    assert "up to date build/" not in plain.stdout
    verbose = publish(["build", "-v"], root)
    assert "  up to date build/fa/doc.pdf" in verbose.stdout.splitlines()
    (root / "build/en/other.html").unlink()
    verbose = publish(["build", "-v", "-f", "html"], root)
    assert "  wrote build/en/other.html (output missing)" in verbose.stdout.splitlines(), verbose.stdout
    assert "11 outputs up to date" in verbose.stdout   # the other five pages and the six pictures beside them


def test_a_new_picture_under_source_is_noticed(root):
    (root / "source/fa/map.png").write_bytes(b"\x89PNG not really")
    manifest = cache.Manifest.load(root / "build")
    planned = build.plan(config.load(root), None, ["html"], None, manifest)
    assert {p.reason for p in planned} == {"a picture under source/ changed"}
