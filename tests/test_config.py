"""publish.yml: loading, and errors that name the file and the line."""
from __future__ import annotations

from pathlib import Path

import pytest

from publish import config
from publish.errors import PublishError

from conftest import SYNTHETIC_CONFIG


def _line_of(text: str, fragment: str) -> int:
    """1-based number of the only line of ``text`` containing ``fragment``."""
    hits = [i for i, line in enumerate(text.splitlines(), 1) if fragment in line]
    assert len(hits) == 1, (fragment, hits)
    return hits[0]


def _load_error(root: Path) -> PublishError:
    with pytest.raises(PublishError) as info:
        config.load(root)
    return info.value


# --- a valid file -----------------------------------------------------------------

def test_load_synthetic_project(synthetic_project):
    project = config.load(synthetic_project)
    assert project.root == synthetic_project.resolve()
    assert project.title == {"fa": "آزمون", "en": "Test"}
    assert project.source_language == "fa"
    assert project.target_languages == ["en"]
    [doc] = project.documents
    assert doc.name == "doc"
    assert doc.relsource == "source/fa/doc.md"
    assert doc.source == (synthetic_project / "source/fa/doc.md").resolve()
    assert project.segmentation == "sentence"
    assert project.normalize == {r: True for r in config.NORMALIZE_RULES}
    assert project.line_numbers is True
    assert project.paper == "A5"
    assert project.pdf_ua is False
    assert project.config_path == synthetic_project.resolve() / "publish.yml"
    assert project.pot_path(doc) == project.root / "translations/templates/doc.pot"
    assert project.po_path(doc, "en") == project.root / "translations/en/doc.po"


def test_load_finds_root_from_a_subfolder(synthetic_project):
    project = config.load(synthetic_project / "source" / "fa")
    assert project.root == synthetic_project.resolve()


def test_load_real_project(project_dir):
    project = config.load(project_dir)
    assert project.source_language == "fa"
    assert "en" in project.target_languages
    assert [d.relsource for d in project.documents] == ["source/fa/report.md"]
    assert project.paper in config.PAPER_SIZES


def test_defaults_and_switches(make_project):
    text = SYNTHETIC_CONFIG.replace("  tatweel: true\n", "  tatweel: false\n  zwnj: false\n")
    text = text.replace("line_numbers: true", "line_numbers: false")
    text = text.replace("segmentation: sentence", "segmentation: paragraph\nabbreviations: [ج, Dr]")
    project = config.load(make_project(config=text))
    assert project.normalize == {"arabic_letters": True, "presentation_forms": True, "tatweel": False,
                                 "zwnj": False, "spaces": True}
    assert project.line_numbers is False
    assert project.segmentation == "paragraph"
    assert project.abbreviations == ["ج", "Dr"]


def test_minimal_file_uses_defaults(make_project):
    text = ("title: T\nsource_language: fa\ntarget_languages: [en]\n"
            "documents:\n  - name: doc\n    source: source/fa/doc.md\n")
    project = config.load(make_project(config=text))
    assert project.title == {"*": "T"}
    assert project.segmentation == "sentence"
    assert project.line_numbers is True
    assert all(project.normalize.values())
    assert project.paper == "A5"


def test_unquoted_date_is_read_as_text(make_project):
    project = config.load(make_project(config=SYNTHETIC_CONFIG + "date: 2026-11-25\n"))
    assert project.date == "2026-11-25"
    assert project.build_date() == "2026-11-25"


# --- errors that name publish.yml and the line ------------------------------------

def _replace(old: str, new: str) -> str:
    assert old in SYNTHETIC_CONFIG
    return SYNTHETIC_CONFIG.replace(old, new)


# (publish.yml text, fragment on the line the error must name, words the message must contain)
BAD = {
    "unknown top-level key": (SYNTHETIC_CONFIG + "colour: red\n", "colour: red", ["unknown key", "colour"]),
    "unknown nested key pdf.colour": (_replace("  paper: A5\n", "  paper: A5\n  colour: red\n"),
                                      "colour: red", ["unknown key", "pdf.colour"]),
    "unknown nested key normalize.*": (_replace("  tatweel: true\n", "  tatweel: true\n  kashida: true\n"),
                                       "kashida", ["unknown key", "normalize.kashida"]),
    "unknown key in a document": (_replace("    source: source/fa/doc.md\n",
                                           "    source: source/fa/doc.md\n    format: md\n"),
                                  "format: md", ["unknown key", "format"]),
    "target_languages not a list": (_replace("target_languages: [en]", "target_languages: en"),
                                    "target_languages: en", ["target_languages", "list"]),
    "segmentation a number": (_replace("segmentation: sentence", "segmentation: 3"),
                              "segmentation: 3", ["segmentation"]),
    "segmentation not a choice": (_replace("segmentation: sentence", "segmentation: word"),
                                  "segmentation: word", ["segmentation", "word"]),
    "normalize.tatweel not a bool": (_replace("tatweel: true", "tatweel: yes-please"),
                                     "tatweel: yes-please", ["normalize.tatweel", "true or false"]),
    "catalog.line_numbers not a bool": (_replace("line_numbers: true", "line_numbers: 1"),
                                        "line_numbers: 1", ["catalog.line_numbers", "true or false"]),
    "pdf.paper not a choice": (_replace("paper: A5", "paper: A3"), "paper: A3", ["pdf.paper", "A3"]),
    "figures.numbered not a bool": (SYNTHETIC_CONFIG + "figures:\n  numbered: often\n", "numbered: often",
                                    ["figures.numbered", "true or false"]),
    "unknown nested key figures.style": (SYNTHETIC_CONFIG + "figures:\n  style: boxed\n", "style: boxed",
                                         ["unknown key", "figures.style"]),
    "pdf.footnotes not a choice": (_replace("paper: A5", "paper: A5\n  footnotes: pages"), "footnotes: pages",
                                   ["pdf.footnotes", "pages", "page, chapter, document"]),
    "pdf.link_addresses not a choice": (_replace("paper: A5", "paper: A5\n  link_addresses: margin"),
                                        "link_addresses: margin", ["pdf.link_addresses", "footnote, inline, none"]),
    "pdf.persian_emphasis not a choice": (_replace("paper: A5", "paper: A5\n  persian_emphasis: italic"),
                                          "persian_emphasis: italic", ["pdf.persian_emphasis", "bold, weight"]),
    "normalize not a mapping": (_replace("normalize:\n  tatweel: true\n", "normalize: [tatweel]\n"),
                                "normalize: [tatweel]", ["normalize", "mapping"]),
    "title a list": (_replace("title:\n  fa: آزمون\n  en: Test\n", "title: [a, b]\n"),
                     "title: [a, b]", ["title"]),
    "unknown target language": (_replace("target_languages: [en]", "target_languages: [xx]"),
                                "target_languages: [xx]", ["xx", "language"]),
    "unknown source language": (_replace("source_language: fa", "source_language: qqq"),
                                "source_language: qqq", ["qqq", "language"]),
    "unknown language in title": (_replace("  en: Test\n", "  zz: Test\n"), "zz: Test", ["zz", "language"]),
    "source language as target": (_replace("target_languages: [en]", "target_languages: [en, fa]"),
                                   "target_languages: [en, fa]", ["source language"]),
    "target language twice": (_replace("target_languages: [en]", "target_languages: [en, en]"),
                               "target_languages: [en, en]", ["twice"]),
    "duplicate key": (SYNTHETIC_CONFIG + "segmentation: paragraph\n", "segmentation: paragraph",
                      ["duplicate", "segmentation"]),
    "bad document name": (_replace("  - name: doc\n", "  - name: my doc\n"), "name: my doc", ["name"]),
    "broken YAML syntax": (_replace("source_language: fa", "source_language: fa: x"),
                           "source_language: fa: x", ["invalid YAML"]),
    "broken YAML: unclosed flow sequence": (
        _replace("target_languages: [en]\n", "target_languages: [en\n"), "target_languages: [en", ["invalid YAML"]),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_config_names_file_and_line(make_project, case):
    text, fragment, words = BAD[case]
    root = make_project(config=text)
    err = _load_error(root)
    assert err.path == "publish.yml"
    if case == "broken YAML: unclosed flow sequence":
        # PyYAML notices the missing "]" where the next key starts.
        assert err.line in (_line_of(text, fragment), _line_of(text, fragment) + 1)
    else:
        assert err.line == _line_of(text, fragment), str(err)
    for word in words:
        assert word in err.message, str(err)
    assert str(err).startswith(f"publish.yml:{err.line}: ")
    assert "\n" not in str(err)


@pytest.mark.parametrize("key", ["title", "source_language", "target_languages", "documents"])
def test_missing_required_key(make_project, key):
    lines = SYNTHETIC_CONFIG.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith(key + ":"))
    end = start + 1
    while end < len(lines) and lines[end].startswith(" "):
        end += 1
    text = "".join(lines[:start] + lines[end:])
    err = _load_error(make_project(config=text))
    assert err.path == "publish.yml"
    assert f"missing required key {key}" in err.message
    assert err.line == 1  # the mapping that lacks the key starts on line 1


def test_missing_required_key_in_document(make_project):
    text = _replace("    source: source/fa/doc.md\n", "")
    err = _load_error(make_project(config=text))
    assert err.path == "publish.yml"
    assert "missing required key documents[0].source" in err.message
    assert err.line == _line_of(text, "- name: doc")


def test_missing_source_file(make_project):
    text = _replace("source/fa/doc.md", "source/fa/missing.md")
    err = _load_error(make_project(config=text))
    assert err.path == "publish.yml"
    assert "source/fa/missing.md" in err.message and "does not exist" in err.message
    # The error points at the document entry; its first line or the source: line are both fine.
    assert err.line in (_line_of(text, "- name: doc"), _line_of(text, "source: source/fa/missing.md"))


def test_empty_file(make_project):
    err = _load_error(make_project(config="# nothing here\n"))
    assert err.path == "publish.yml"
    assert "empty" in err.message


def test_not_a_mapping(make_project):
    err = _load_error(make_project(config="- a\n- b\n"))
    assert err.path == "publish.yml"
    assert err.line == 1


def test_no_config_anywhere(tmp_path):
    folder = tmp_path / "nowhere"
    folder.mkdir()
    with pytest.raises(PublishError, match="publish.yml"):
        config.load(folder)


# YAML scalars that PyYAML resolves to a type and then fails to construct:
# these must be errors with a line, not exceptions from deep inside PyYAML.
@pytest.mark.parametrize("extra", ["date: 2026-02-30\n", "edition: !foo 1\n"])
def test_unconstructible_scalar_is_a_publish_error(make_project, extra):
    text = SYNTHETIC_CONFIG + extra
    err = _load_error(make_project(config=text))
    assert err.path == "publish.yml"
    assert err.line == _line_of(text, extra.strip())


# --- through the command line --------------------------------------------------------

CLI_CASES = ["unknown top-level key", "unknown nested key pdf.colour", "target_languages not a list",
             "segmentation a number", "normalize.tatweel not a bool", "unknown target language",
             "broken YAML syntax"]


@pytest.mark.parametrize("case", CLI_CASES)
def test_cli_config_error_is_one_line(make_project, run_publish, case):
    text, fragment, _ = BAD[case]
    root = make_project(config=text)
    proc = run_publish(["status"], cwd=root)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"publish: publish.yml:{_line_of(text, fragment)}: "), lines[0]
    assert proc.stdout == ""


def test_cli_missing_source_is_one_line(make_project, run_publish):
    root = make_project(config=_replace("source/fa/doc.md", "source/fa/missing.md"))
    proc = run_publish(["update"], cwd=root)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("publish: publish.yml:"), proc.stderr
    assert not (root / "translations").exists()


def test_cli_impossible_date_is_one_line(make_project, run_publish):
    root = make_project(config=SYNTHETIC_CONFIG + "date: 2026-02-30\n")
    proc = run_publish(["status"], cwd=root)
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 1
    assert len(proc.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("args", [["--no-such-option"], ["update", "--no-such-option"], ["no-such-command"]])
def test_cli_bad_usage_exits_2(synthetic_project, run_publish, args):
    proc = run_publish(args, cwd=synthetic_project)
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr
    assert "Usage" in proc.stderr
