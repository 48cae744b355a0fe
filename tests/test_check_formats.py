"""``publish check --format junit|github`` (issue 17, point 6): findings for
CI, as JUnit XML test results and as GitHub workflow commands that annotate
the PO file's lines.  In process (CliRunner)."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from publish import catalog, check
from conftest import SYNTHETIC_CONFIG
from publish.cli import main

CONFIG = SYNTHETIC_CONFIG   # the same project (its other keys are the defaults)
SOURCE = """\
# عنوان کتاب

در سال ۱۳۹۸ بود. جمله بعدی اینجاست. جمله سوم با *تاکید* است.
"""
PO = "translations/en/doc.po"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def project(make_project) -> SimpleNamespace:
    """One error (numbers: 1398 became 1399), one warning (untranslated),
    one warning silenced by the translator (emphasis), the rest clean."""
    root = make_project(config=CONFIG, source=SOURCE)
    assert run("-C", str(root), "update").exit_code == 0
    po = catalog.read(root / PO)
    lines = {}
    for e in po:
        if e.msgid == "عنوان کتاب":
            e.msgstr = "The title of the book"
        elif e.msgid.startswith("در سال"):
            e.msgstr = "It was in 1399."
        elif e.msgid.startswith("جمله سوم"):
            e.msgstr = "The third sentence has emphasis."
            e.tcomment = "check: ignore emphasis"
    (root / PO).write_text(catalog.render(po), encoding="utf-8")
    for e in catalog.read(root / PO):
        lines[e.msgid] = e.linenum
    return SimpleNamespace(root=root, lines=lines)


def _cases(xml: str) -> dict[str, ET.Element]:
    root = ET.fromstring(xml)
    assert root.tag == "testsuites"
    [suite] = root.findall("testsuite")
    assert suite.get("name") == PO
    return {c.get("name"): c for c in suite.findall("testcase")}


def test_junit_has_a_case_per_check_and_fails_those_with_errors(project):
    result = run("-C", str(project.root), "check", "--format", "junit")
    assert result.exit_code == 1, result.output          # an error: as with --format text
    assert result.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    cases = _cases(result.stdout)
    assert list(cases) == list(check.CHECKS)              # what was checked, clean or not
    assert all(c.get("classname") == PO for c in cases.values())
    failed = {name for name, c in cases.items() if c.find("failure") is not None}
    assert failed == {"numbers"}
    failure = cases["numbers"].find("failure")
    line = project.lines["در سال ۱۳۹۸ بود."]
    # the source's 1398 missing, the translation's 1399 added: two findings, one failure
    assert failure.get("type") == "numbers" and failure.get("message") == f"2 findings, the first at line {line}"
    assert failure.text.splitlines()[0].startswith(f"{PO}:{line}: error: [numbers] ")
    assert len(failure.text.splitlines()) == 2 and "1,399" in failure.text
    # a warning is reported, not failed, without --strict; what was silenced is counted
    assert cases["untranslated"].find("failure") is None
    assert f"{PO}:{project.lines['جمله بعدی اینجاست.']}: warning: [untranslated]" in \
        cases["untranslated"].findtext("system-out")
    assert "1 silenced by translators" in cases["emphasis"].findtext("system-out")
    root = ET.fromstring(result.stdout)
    assert (root.get("tests"), root.get("failures")) == (str(len(check.CHECKS)), "1")
    # --strict: warnings fail too
    strict = _cases(run("-C", str(project.root), "check", "--format", "junit", "--strict").stdout)
    assert {n for n, c in strict.items() if c.find("failure") is not None} == {"numbers", "untranslated"}
    # -c: only the checks asked for
    only = run("-C", str(project.root), "check", "--format", "junit", "-c", "untranslated")
    assert only.exit_code == 0 and list(_cases(only.stdout)) == ["untranslated"]


def test_github_annotates_the_lines_of_the_catalog(project):
    result = run("-C", str(project.root), "check", "--format", "github")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    numbers = project.lines["در سال ۱۳۹۸ بود."]
    untranslated = project.lines["جمله بعدی اینجاست."]
    assert all(line.startswith(f"::error file={PO},line={numbers},title=publish check%3A numbers::")
               for line in lines[:2])
    assert "1,399" in "".join(lines[:2])
    assert lines[2] == (f"::warning file={PO},line={untranslated},"
                        f"title=publish check%3A untranslated::not translated yet")
    assert len(lines) == 3                                   # the silenced one is not annotated
    strict = run("-C", str(project.root), "check", "--format", "github", "--strict").stdout.splitlines()
    assert strict[2].startswith(f"::error file={PO},line={untranslated},")


def test_github_commands_cannot_be_ended_or_forged_by_a_message():
    f = check.Finding("translations/en/a,b:c.po", 7, "numbers", "100% done\n::error::forged\r,: kept", "msgid")
    [line] = check.github([f]).splitlines()
    assert line == ("::error file=translations/en/a%2Cb%3Ac.po,line=7,title=publish check%3A numbers"
                    "::100%25 done%0A::error::forged%0D,: kept")
    whole = check.Finding(PO, 0, "title", "the title is not translated", "msgid", "warning")
    assert check.github([whole]) == f"::warning file={PO},title=publish check%3A title::the title is not translated\n"


def test_json_and_format_json_agree_and_do_not_mix(project):
    a = run("-C", str(project.root), "check", "--json")
    b = run("-C", str(project.root), "check", "--format", "json")
    assert a.stdout == b.stdout and a.exit_code == b.exit_code == 1
    both = run("-C", str(project.root), "check", "--json", "--format", "junit")
    assert both.exit_code == 2 and "--json is --format json" in both.stderr
