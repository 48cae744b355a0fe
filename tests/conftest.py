"""Shared fixtures: copies of the real project, a small synthetic project,
the real CLI as a subprocess and a few gettext helpers.

Nothing here writes to the real project: every test works in ``tmp_path``.
"""
from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import polib
import pytest

from projects import copy_project, publish, publish_env

# --- the synthetic project ----------------------------------------------------

SYNTHETIC_CONFIG = """\
title:
  fa: آزمون
  en: Test
source_language: fa
target_languages: [en]
documents:
  - name: doc
    source: source/fa/doc.md
segmentation: sentence
normalize:
  tatweel: true
catalog:
  line_numbers: true
pdf:
  paper: A5
"""

# Headings, a paragraph of three sentences (emphasis, a link), a list, a
# table, a footnote, a definition list, a code block, and a sentence that
# occurs twice.
SYNTHETIC_SOURCE = """\
# عنوان اول

این جمله **مهم** است. این جمله دوم با [پیوند](https://example.com/a.b) است!
آیا این سوم است؟

## فهرست

- مورد یکم در فهرست.
- مورد دوم با *تاکید* است.

| ستون یک | ستون دو |
| --- | --- |
| خانه اول | خانه دوم |

این جمله پانویس دارد.[^1] جمله بعدی اینجاست.

[^1]: متن پانویس اینجاست.

اصطلاح
: تعریف اصطلاح اینجاست.

```
code that is never translated
```

این جمله **مهم** است.
"""


def _write_project(root: Path, config: str, source: str, name: str = "doc") -> Path:
    (root / "source" / "fa").mkdir(parents=True, exist_ok=True)
    (root / "publish.yml").write_text(config, encoding="utf-8")
    (root / "source" / "fa" / f"{name}.md").write_text(source, encoding="utf-8")
    return root


@pytest.fixture
def make_project(tmp_path):
    """Factory: ``make_project(config=..., source=..., name=...)`` writes a
    small project into a fresh folder under tmp_path and returns its root."""
    counter = iter(range(1000))

    def make(config: str = SYNTHETIC_CONFIG, source: str = SYNTHETIC_SOURCE, name: str = "doc") -> Path:
        root = tmp_path / f"proj{next(counter)}"
        root.mkdir()
        return _write_project(root, config, source, name)

    return make


@pytest.fixture
def synthetic_project(make_project) -> Path:
    return make_project()


@pytest.fixture
def project_dir(tmp_path) -> Path:
    """A temporary copy of the real project (publish.yml, source/, translations/)."""
    return copy_project(tmp_path / "project")


# --- the CLI --------------------------------------------------------------------

@pytest.fixture
def run_publish():
    """``run_publish(args, cwd)`` runs the real console script and returns the
    CompletedProcess (text, stdout and stderr captured)."""

    def run(args: list[str], cwd: Path, check: bool = False) -> subprocess.CompletedProcess:
        proc = publish(args, cwd, timeout=120)
        if check and proc.returncode != 0:
            raise AssertionError(f"publish {' '.join(args)} exited {proc.returncode}:\n"
                                 f"{proc.stdout}\n{proc.stderr}")
        return proc

    return run


# --- gettext tools ------------------------------------------------------------------

def gettext(tool: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([tool, *map(str, args)], capture_output=True, text=True, encoding="utf-8",
                          cwd=cwd, env=publish_env(LC_ALL="C"), timeout=60)


@pytest.fixture
def msgfmt_check():
    """Runs ``msgfmt -c`` on a file and fails the test with its output if it complains."""

    def check(path: Path) -> None:
        proc = gettext("msgfmt", "-c", "-o", os.devnull, path)
        assert proc.returncode == 0, f"msgfmt -c {path}:\n{proc.stderr}"

    return check


_STAT = re.compile(r"(\d+) (translated message|fuzzy translation|untranslated message)")


@pytest.fixture
def msgfmt_stats():
    """``msgfmt --statistics`` as {"translated": n, "fuzzy": n, "untranslated": n}."""

    def stats(path: Path) -> dict[str, int]:
        proc = gettext("msgfmt", "--statistics", "-o", os.devnull, path)
        assert proc.returncode == 0, proc.stderr
        out = {"translated": 0, "fuzzy": 0, "untranslated": 0}
        for n, what in _STAT.findall(proc.stderr):
            out[what.split()[0]] = int(n)
        return out

    return stats


# GNU gettext drops a flag it does not know (md-text); a format flag it keeps
# stands in for it while msgcat writes, so the flags' place and order are
# compared with gettext's too.
STAND_IN_FLAG = "no-lua-format"


def gettext_writes(path: Path, *options: str) -> str:
    """The text a gettext tool (``msgcat --no-wrap``, ``msgcat -w 79``, …) writes for a catalog,
    md-text kept (see STAND_IN_FLAG)."""
    text = path.read_text(encoding="utf-8")
    assert STAND_IN_FLAG not in text
    flags = re.compile(r"^(#, .*)$", re.M)
    temp = path.with_name(path.name + ".stand-in")
    temp.write_text(flags.sub(lambda m: m.group(1).replace("md-text", STAND_IN_FLAG), text), encoding="utf-8")
    try:
        proc = gettext(options[0], *options[1:], temp)
    finally:
        temp.unlink()
    assert proc.returncode == 0, proc.stderr
    return flags.sub(lambda m: m.group(1).replace(STAND_IN_FLAG, "md-text"), proc.stdout)


@pytest.fixture
def msgcat_nowrap():
    """The text ``msgcat --no-wrap`` writes for a catalog (md-text kept: ``gettext_writes``)."""

    def cat(path: Path) -> str:
        return gettext_writes(path, "msgcat", "--no-wrap")

    return cat


# --- catalogs ------------------------------------------------------------------

def all_msgstrs(po: polib.POFile) -> set[str]:
    """Every non-empty msgstr of a catalog: active, fuzzy and obsolete."""
    return {e.msgstr for e in po if e.msgstr} | {e.msgstr for e in po.obsolete_entries() if e.msgstr}


@pytest.fixture
def msgstrs():
    return all_msgstrs


def fill(path: Path, translate=lambda msgid: "EN:" + msgid) -> set[str]:
    """Fill every active entry of a PO file (no longer fuzzy) and write it the
    way publish writes catalogs; the set of msgstrs written."""
    from publish import catalog
    po = catalog.read(path)
    for e in po:
        if not e.obsolete:
            e.msgstr = translate(e.msgid)
            e.flags = [f for f in e.flags if f != "fuzzy"]
            e.previous_msgid = None
    path.write_text(catalog.render(po), encoding="utf-8")
    return {e.msgstr for e in po if e.msgstr}


@pytest.fixture
def fill_translations():
    """``fill_translations(path, translate=lambda msgid: ...)``: ``fill`` as a fixture."""
    return fill


@pytest.fixture(scope="module")
def synthetic_doc(tmp_path_factory):
    """(project, document) of a one-line synthetic project, for tests that
    parse many generated texts as that document (hypothesis)."""
    from publish import config
    root = tmp_path_factory.mktemp("synthetic-doc")
    (root / "source/fa").mkdir(parents=True)
    (root / "source/fa/doc.md").write_text("متن.\n", encoding="utf-8")
    (root / "publish.yml").write_text(SYNTHETIC_CONFIG, encoding="utf-8")
    project = config.load(root)
    return project, project.documents[0]
