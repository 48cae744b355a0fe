"""End to end: the real `publish` console script on a copy of the real project
(and on the small synthetic one), checked with the GNU gettext tools."""
from __future__ import annotations

import json
import re
from pathlib import Path

import polib
import pytest

from publish import catalog, status

from conftest import all_msgstrs

POT = Path("translations/templates/report.pot")
PO = Path("translations/en/report.po")
SOURCE = Path("source/fa/report.md")


def _state(path: Path):
    st = path.stat()
    return st.st_mtime_ns, st.st_ino, path.read_bytes()


@pytest.fixture
def fresh_project(project_dir):
    """The real project copy without its catalogs, so update creates them."""
    (project_dir / POT).unlink()
    (project_dir / PO).unlink()
    return project_dir


def test_update_real_report(fresh_project, run_publish, msgfmt_check, msgcat_nowrap):
    root = fresh_project
    proc = run_publish(["update"], cwd=root, check=True)
    assert f"wrote {POT}" in proc.stdout and f"wrote {PO}" in proc.stdout
    assert proc.stderr == ""
    pot = polib.pofile(str(root / POT), wrapwidth=0)
    assert 100 <= len(pot) <= 130, len(pot)
    m = re.search(r"report: (\d+) units in the template \((\d+) from the text, (\d+) from publish.yml\)", proc.stdout)
    assert m and int(m.group(1)) == len(pot) == int(m.group(2)) + int(m.group(3))
    po = polib.pofile(str(root / PO), wrapwidth=0)
    assert [e.msgid for e in po] == [e.msgid for e in pot]
    assert all(e.occurrences and e.occurrences[0][0] == str(SOURCE) for e in pot)
    for path in (root / POT, root / PO):
        msgfmt_check(path)
        assert msgcat_nowrap(path) == path.read_text(encoding="utf-8"), path

    # idempotent: the second run touches nothing
    before = [_state(root / POT), _state(root / PO)]
    proc = run_publish(["update"], cwd=root, check=True)
    assert "wrote" not in proc.stdout
    assert [_state(root / POT), _state(root / PO)] == before
    proc = run_publish(["update", "--verbose"], cwd=root, check=True)
    assert f"unchanged {POT}" in proc.stdout and f"unchanged {PO}" in proc.stdout
    assert [_state(root / POT), _state(root / PO)] == before


def test_update_on_the_project_copy_as_it_is(project_dir, run_publish, msgfmt_check):
    proc = run_publish(["update"], cwd=project_dir, check=True)
    assert "units in the template" in proc.stdout
    msgfmt_check(project_dir / POT)
    msgfmt_check(project_dir / PO)
    # from a subfolder and with -C, too
    run_publish(["update"], cwd=project_dir / "source" / "fa", check=True)
    run_publish(["-C", str(project_dir), "update", "report"], cwd=project_dir.parent, check=True)


def test_update_verbose_reports_normalisation(project_dir, run_publish):
    proc = run_publish(["update", "--verbose"], cwd=project_dir, check=True)
    lines = proc.stdout.splitlines()
    assert any(line.strip().startswith(f"{SOURCE}:35: Arabic") for line in lines), proc.stdout
    assert any(line.strip().startswith(f"{SOURCE}:5: runs of spaces") for line in lines), proc.stdout
    assert any(line.strip().startswith("normalised:") for line in lines)
    quiet = run_publish(["update"], cwd=project_dir, check=True)
    assert "normalised:" in quiet.stdout
    assert f"{SOURCE}:35:" not in quiet.stdout


def test_status_json_agrees_with_msgfmt(project_dir, run_publish, msgfmt_stats):
    run_publish(["update"], cwd=project_dir, check=True)
    path = project_dir / PO
    po = catalog.read(path)
    entries = [e for e in po if not e.obsolete]
    for e in entries[:40]:
        e.msgstr = "EN:" + e.msgid
        e.flags = []
    for e in entries[40:60]:
        e.msgstr = "EN?" + e.msgid
        e.flags = ["fuzzy"]
    for e in entries[60:]:
        e.msgstr = ""
        e.flags = []
    path.write_text(catalog.render(po), encoding="utf-8")
    proc = run_publish(["status", "--json"], cwd=project_dir, check=True)
    [row] = json.loads(proc.stdout)
    assert row["document"] == "report" and row["language"] == "en" and row["catalog"] == str(PO)
    expected = msgfmt_stats(path)
    assert {k: row[k] for k in expected} == expected
    assert (row["translated"], row["fuzzy"], row["untranslated"]) == (40, 20, len(entries) - 60)
    assert row["units"] == len(entries)
    assert row["percent"] == round(100 * 40 / len(entries), 2)
    plain = run_publish(["status"], cwd=project_dir, check=True)
    assert f"report en: {status.percent(catalog.Stats(units=len(entries), translated=40))}% translated" \
        in plain.stdout


def _pick_edits(root: Path):
    """A sentence to change and a paragraph to remove, chosen from the current
    source so the test follows edits to the real report."""
    text = (root / SOURCE).read_text(encoding="utf-8")
    pot = polib.pofile(str(root / POT), wrapwidth=0)
    paragraphs = [p for p in text.split("\n\n") if p.strip() and not p.lstrip().startswith(("#", "*", "-", "|"))]
    assert len(paragraphs) > 6
    removed = paragraphs[4]
    removed_ids = [e.msgid for e in pot if e.msgid in removed]
    assert removed_ids
    changed = next(e.msgid for e in pot
                   if e.msgid in text and e.msgid not in removed and len(e.msgid.split()) > 6
                   and e.msgid.count(e.msgid.split()[2]) == 1 and text.count(e.msgid) == 1)
    return text, removed, removed_ids, changed


def test_source_edit_loses_no_translation(project_dir, run_publish, fill_translations, msgfmt_check,
                                          msgcat_nowrap, msgfmt_stats):
    root = project_dir
    run_publish(["update"], cwd=root, check=True)
    before = fill_translations(root / PO)
    assert len(before) >= 100
    text, removed, removed_ids, changed = _pick_edits(root)
    words = changed.split()
    new_sentence = " ".join(words[:2] + ["روشن"] + words[2:])
    text = text.replace(changed, new_sentence).replace(removed, "", 1)
    (root / SOURCE).write_text(text, encoding="utf-8")

    proc = run_publish(["update"], cwd=root, check=True)
    assert f"wrote {PO}" in proc.stdout
    po = polib.pofile(str(root / PO), wrapwidth=0)
    assert before <= all_msgstrs(po), before - all_msgstrs(po)
    live = {e.msgid: e for e in po if not e.obsolete}
    gone = {e.msgid: e for e in po if e.obsolete}
    assert "fuzzy" in live[new_sentence].flags
    assert live[new_sentence].previous_msgid == changed
    assert live[new_sentence].msgstr == "EN:" + changed
    for msgid in removed_ids:
        if msgid not in live:  # a sentence that also occurs elsewhere stays active
            assert gone[msgid].msgstr == "EN:" + msgid
    for msgid, e in live.items():
        if msgid != new_sentence:
            assert e.msgstr == "EN:" + msgid and "fuzzy" not in e.flags
    msgfmt_check(root / PO)
    msgfmt_check(root / POT)
    assert msgcat_nowrap(root / PO) == (root / PO).read_text(encoding="utf-8")
    [row] = json.loads(run_publish(["status", "--json"], cwd=root, check=True).stdout)
    stats = msgfmt_stats(root / PO)
    assert {k: row[k] for k in stats} == stats
    assert row["fuzzy"] == 1 and row["untranslated"] == 0 and row["obsolete"] == len(gone) > 0


# --- the synthetic project through the CLI -------------------------------------------------

def test_update_synthetic_project(synthetic_project, run_publish, msgfmt_check):
    proc = run_publish(["update"], cwd=synthetic_project, check=True)
    # 16 entries of units (a sentence that occurs twice is one) and the title's
    assert "doc: 17 units in the template (16 from the text, 1 from publish.yml)" in proc.stdout
    msgfmt_check(synthetic_project / "translations/templates/doc.pot")
    msgfmt_check(synthetic_project / "translations/en/doc.po")
    proc = run_publish(["update", "nosuchdoc"], cwd=synthetic_project)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines() == ["publish: no document named 'nosuchdoc' in publish.yml"]


def test_broken_po_is_one_line_error_and_nothing_is_written(synthetic_project, run_publish):
    run_publish(["update"], cwd=synthetic_project, check=True)
    po = synthetic_project / "translations/en/doc.po"
    pot = synthetic_project / "translations/templates/doc.pot"
    broken = po.read_text(encoding="utf-8").replace('msgstr ""\n\n#. section', 'msgstr "He said "hi""\n\n#. section', 1)
    po.write_text(broken, encoding="utf-8")
    (synthetic_project / "source/fa/doc.md").write_text("یک متن تازه.\n", encoding="utf-8")
    pot_before = pot.read_bytes()
    proc = run_publish(["update"], cwd=synthetic_project)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    [line] = proc.stderr.strip().splitlines()
    assert re.match(r"publish: translations/en/doc\.po:\d+: ", line), line
    assert po.read_text(encoding="utf-8") == broken
    assert pot.read_bytes() == pot_before


def test_unterminated_msgstr_is_an_error_not_a_lost_translation(synthetic_project, run_publish):
    run_publish(["update"], cwd=synthetic_project, check=True)
    po = synthetic_project / "translations/en/doc.po"
    text = po.read_text(encoding="utf-8")
    broken = text.replace('msgid "عنوان اول"\nmsgstr ""', 'msgid "عنوان اول"\nmsgstr "First heading', 1)
    assert broken != text
    po.write_text(broken, encoding="utf-8")
    (synthetic_project / "source/fa/doc.md").write_text(
        (synthetic_project / "source/fa/doc.md").read_text(encoding="utf-8") + "\nجمله تازه.\n", encoding="utf-8")
    proc = run_publish(["update"], cwd=synthetic_project)
    after = po.read_text(encoding="utf-8")
    assert "First heading" in after, "the translator's text was dropped"
    assert proc.returncode == 1 and re.match(r"publish: translations/en/doc\.po:\d+: ", proc.stderr)


def test_duplicate_entry_error_names_the_line(synthetic_project, run_publish):
    run_publish(["update"], cwd=synthetic_project, check=True)
    po = synthetic_project / "translations/en/doc.po"
    po.write_text(po.read_text(encoding="utf-8") + '\nmsgid "عنوان اول"\nmsgstr "dup"\n', encoding="utf-8")
    proc = run_publish(["update"], cwd=synthetic_project)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert re.match(r"publish: translations/en/doc\.po:\d+: ", proc.stderr), proc.stderr


def test_verbose_does_not_report_code(make_project, run_publish):
    src = "# عنوان\n\nیک جمله ساده.\n\n```\nx = 'كد'\n```\n\nجمله با `كد` در آن.\n"
    root = make_project(source=src)
    proc = run_publish(["update", "--verbose"], cwd=root, check=True)
    pot = polib.pofile(str(root / "translations/templates/doc.pot"), wrapwidth=0)
    assert "جمله با `كد` در آن." in [e.msgid for e in pot]   # code really is left alone …
    assert "source/fa/doc.md:6:" not in proc.stdout         # … so it must not be reported
    assert "source/fa/doc.md:9:" not in proc.stdout
    assert "normalised:" not in proc.stdout
