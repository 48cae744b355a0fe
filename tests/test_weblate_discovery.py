"""docs/weblate.md's component settings are what Weblate itself finds
(issue 17): its discovery library, translation-finder, run over a project
as publish writes it, proposes the documented file format, file mask and
template for new translations; the documented language filter keeps the
templates folder out and every language folder in."""
from __future__ import annotations

import json
import re
import shutil

import pytest

from projects import REPO

translation_finder = pytest.importorskip("translation_finder")


def _documented() -> dict:
    text = (REPO / "docs" / "weblate.md").read_text(encoding="utf-8")
    for block in re.findall(r"```json\n(.*?)```", text, re.S):
        body = block[block.index("{"):]
        try:
            settings = json.loads(body)
        except json.JSONDecodeError:
            continue
        if "filemask" in settings:
            return settings
    raise AssertionError("docs/weblate.md has no JSON block of component settings")


def test_weblate_discovers_the_documented_component(tmp_path):
    root = tmp_path / "project"
    root.mkdir()
    for name in ("publish.yml", "source", "translations"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, root / name)
    documented = _documented()
    found = [dict(c) for c in translation_finder.discover(str(root))]
    wanted = {k: documented[k] for k in ("file_format", "filemask", "new_base")}
    assert wanted in [{k: c.get(k) for k in wanted} for c in found], found


@pytest.mark.parametrize("folder, language", [("en", True), ("pt_BR", True), ("ckb", True), ("templates", False),
                                              ("report.pot", False)])
def test_the_documented_language_filter(folder, language):
    assert bool(re.match(_documented()["language_regex"], folder)) is language
