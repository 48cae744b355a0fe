"""Score sentence splitters against the gold set in tests/data/sentences.yml.

    .venv/bin/python bench/segmenters.py [--out bench/results-segmentation.md]

A predicted sentence counts as correct when it equals a gold sentence of the
same case, white space normalised (each gold sentence can be matched once).
Precision = correct / predicted, recall = correct / gold, over a subset:

* report — the paragraphs of source/fa/report.md;
* tricky — the hand-made cases (decimals, initials, URLs, quotations, …);
* english — the tricky cases whose id starts with ``en-`` (English text);
* all.

Splitters: ours (``publish.segment``, given each case's ``abbreviations``),
pysbd (``fa`` and ``en``), and, when they are installed, ICU's sentence
BreakIterator through PyICU (locale ``fa`` and ``en``) and hazm's
SentenceTokenizer.  A splitter that is not installed is left out, not failed.
"""
from __future__ import annotations

import argparse
import datetime as dt
import platform
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Callable

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from publish import segment  # noqa: E402

GOLD = ROOT / "tests" / "data" / "sentences.yml"
Splitter = Callable[[str, list], list]


def ws(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# --- the splitters -----------------------------------------------------------------

def splitters() -> tuple[dict[str, Splitter], dict[str, str]]:
    """Name → function(text, abbreviations) → sentences, and name → version."""
    found: dict[str, Splitter] = {"ours": lambda text, abbrevs: segment.split(text, abbrevs)}
    versions = {"ours": "publish.segment (this tree)"}
    try:
        import pysbd
        from importlib.metadata import version
        for lang in ("fa", "en"):
            seg = pysbd.Segmenter(language=lang, clean=False)
            found[f"pysbd-{lang}"] = lambda text, abbrevs, seg=seg: seg.segment(text)
            versions[f"pysbd-{lang}"] = f"pysbd {version('pysbd')}, language={lang!r}"
    except ImportError:
        pass
    try:
        import icu
        for lang in ("fa", "en"):
            found[f"icu-{lang}"] = lambda text, abbrevs, lang=lang: _icu_split(icu, lang, text)
            versions[f"icu-{lang}"] = f"PyICU {icu.VERSION}, ICU {icu.ICU_VERSION}, locale {lang!r}"
    except ImportError:
        pass
    try:
        from hazm import SentenceTokenizer
        from importlib.metadata import version
        tok = SentenceTokenizer()
        found["hazm"] = lambda text, abbrevs: tok.tokenize(text)
        versions["hazm"] = f"hazm {version('hazm')} SentenceTokenizer"
    except ImportError:
        pass
    return found, versions


def _icu_split(icu, lang: str, text: str) -> list[str]:
    # ICU reports UTF-16 offsets; map them back to Python string indices.
    bi = icu.BreakIterator.createSentenceInstance(icu.Locale(lang))
    bi.setText(text)
    to_py, unit = {0: 0}, 0
    for i, ch in enumerate(text):
        unit += 2 if ord(ch) > 0xFFFF else 1
        to_py[unit] = i + 1
    cuts = [0, *(to_py[b] for b in bi)]
    return [text[a:b] for a, b in zip(cuts, cuts[1:]) if text[a:b].strip()]


# --- scoring ---------------------------------------------------------------------------

def subsets(cases: list[dict]) -> dict[str, list[dict]]:
    report = [c for c in cases if c["id"].startswith("report-")]
    tricky = [c for c in cases if not c["id"].startswith("report-")]
    return {
        "report": report,
        "tricky": tricky,
        "english": [c for c in tricky if c["id"].startswith("en-")],
        "all": cases,
    }


def score(split: Splitter, cases: list[dict]) -> dict[str, float]:
    correct = predicted = gold = exact = 0
    for case in cases:
        want = Counter(ws(s) for s in case["sentences"])
        got = Counter(ws(s) for s in split(case["text"], case.get("abbreviations", [])) if ws(s))
        correct += sum((want & got).values())
        predicted += sum(got.values())
        gold += sum(want.values())
        exact += want == got
    p = correct / predicted if predicted else 0.0
    r = correct / gold if gold else 0.0
    return {"P": p, "R": r, "F1": 2 * p * r / (p + r) if p + r else 0.0,
            "cases": exact, "of": len(cases), "gold": gold, "predicted": predicted}


def failures(split: Splitter, cases: list[dict]) -> list[str]:
    return [c["id"] for c in cases
            if [ws(s) for s in split(c["text"], c.get("abbreviations", [])) if ws(s)] != [ws(s) for s in c["sentences"]]]


# --- output ------------------------------------------------------------------------------

def table(results: dict[str, dict[str, dict]], names: list[str], sets: dict[str, list]) -> str:
    rows = ["| subset | splitter | precision | recall | F1 | cases exactly right |",
            "|---|---|---:|---:|---:|---:|"]
    for s in sets:
        for name in names:
            m = results[name][s]
            rows.append(f"| {s} | {name} | {m['P']:.3f} | {m['R']:.3f} | {m['F1']:.3f} | {m['cases']}/{m['of']} |")
    return "\n".join(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results-segmentation.md")
    args = ap.parse_args()

    cases = yaml.safe_load(GOLD.read_text(encoding="utf-8"))
    sets = subsets(cases)
    found, versions = splitters()
    results = {name: {s: score(fn, cs) for s, cs in sets.items()} for name, fn in found.items()}
    names = list(found)
    text_table = table(results, names, sets)
    print(text_table)

    missed = {name: failures(fn, sets["tricky"]) for name, fn in found.items()}
    for name in names:
        print(f"\n{name} misses {len(missed[name])} tricky cases: {', '.join(missed[name]) or '-'}")

    sizes = ", ".join(f"{s}: {len(cs)} cases / {sum(len(c['sentences']) for c in cs)} sentences" for s, cs in sets.items())
    md = [
        "# Sentence segmentation: ours against other splitters",
        "",
        f"- date: {dt.date.today().isoformat()}",
        f"- machine: {platform.machine()}, Python {platform.python_version()} ({platform.python_implementation()})",
        f"- gold set: `tests/data/sentences.yml` — {sizes}",
        "- command: `.venv/bin/python bench/segmenters.py`",
        "",
        "A predicted sentence is correct when it equals a gold sentence of the same case",
        "(white space normalised).  P = correct / predicted, R = correct / gold;",
        "*cases* = cases split exactly right.  `english` is the subset of tricky cases",
        "written in English (ids `en-`).",
        "",
        text_table,
        "",
        "Splitters:",
        "",
        *[f"- **{name}**: {versions[name]}" for name in names],
        "",
        "Caveats: the tricky cases were written by the same people as our splitter,",
        "with its rules in mind (see each case's `note`); only ours is given the",
        "per-case `abbreviations`; three cases are recorded as known limitations of",
        "ours (`limitation:` in the gold set) and count as misses here.",
        "",
        "Tricky cases each splitter gets wrong:",
        "",
        *[f"- {name} ({len(missed[name])}): {', '.join(missed[name]) or '—'}" for name in names],
        "",
    ]
    args.out.write_text("\n".join(md), encoding="utf-8")
    print(f"\nwrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")


if __name__ == "__main__":
    main()
