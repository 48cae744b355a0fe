"""source.load keeps parsed trees between runs; what it keeps must be what it would parse."""
from __future__ import annotations

from publish import source
from publish.config import NORMALIZE_RULES

RULES = {r: True for r in NORMALIZE_RULES}
TEXT = "# عنوان\n\nمتن  اول با كاف عربي.[^1]\n\n- یک\n- *دو*\n\n[^1]: یادداشت.\n"


def test_a_kept_tree_is_the_tree_a_parse_gives(tmp_path):
    src = tmp_path / "doc.md"
    src.write_text(TEXT, encoding="utf-8")
    kept = tmp_path / "trees"
    fresh = source.load(src, RULES, "doc.md")
    first = source.load(src, RULES, "doc.md", kept)
    [tree_file] = kept.iterdir()
    second = source.load(src, RULES, "doc.md", kept)          # read back, not parsed
    assert fresh.blocks == first.blocks == second.blocks and "كاف" not in str(second.blocks)
    assert tree_file.stat().st_size > 0

    # other rules, other text: not the kept tree
    other = source.load(src, {**RULES, "arabic_letters": False}, "doc.md", kept)
    assert "كاف" in str(other.blocks)
    src.write_text(TEXT.replace("اول", "دوم"), encoding="utf-8")
    assert "دوم" in str(source.load(src, RULES, "doc.md", kept).blocks)


def test_a_damaged_kept_tree_is_parsed_again(tmp_path):
    src = tmp_path / "doc.md"
    src.write_text(TEXT, encoding="utf-8")
    kept = tmp_path / "trees"
    good = source.load(src, RULES, "doc.md", kept).blocks
    [tree_file] = kept.iterdir()
    for damage in (b"", b"\x00garbage", tree_file.read_bytes()[:100]):
        tree_file.write_bytes(damage)
        assert source.load(src, RULES, "doc.md", kept).blocks == good
