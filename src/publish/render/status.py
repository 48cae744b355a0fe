"""build/status.html: how far each translation has come, at a glance.

Per document and language: a progress bar, and a map of the document —
one square per unit, paragraph by paragraph in reading order, coloured by
the unit's state (translated, fuzzy, untranslated, or translated but failing
a check).  On top, an SVG chart of all of them side by side.  One page,
self-contained (no script, no external file), so it can be mailed or
printed.

The data (``collect``) is plain and separate from the HTML (``page``), so
``publish status --json`` or a test can use it without parsing HTML.
"""
from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .. import catalog, titles
from ..status import percent as percent_text
from ..config import Project
from ..files import write_atomic

_e = html.escape

STATES = ("translated", "failing", "fuzzy", "untranslated")
STATE_LABELS = {
    "translated": "translated",
    "failing": "failing a check",
    "fuzzy": "fuzzy (to review)",
    "untranslated": "untranslated",
}
COLOURS = {  # distinguishable in grey scale too: dark → light
    "translated": "#2e7d5b",
    "failing": "#c0392b",
    "fuzzy": "#e8a33d",
    "untranslated": "#ddd7cc",
}


@dataclass
class UnitStatus:
    number: int              # the unit's place among the translatable units, from 1
    paragraph: int
    kind: str
    state: str               # one of STATES
    msgid: str
    line: int | None         # the entry's line in the PO file
    checks: list[str] = field(default_factory=list)   # the checks it fails


@dataclass
class LanguageStatus:
    document: str
    title: str
    language: str
    catalog: str             # the PO file, relative to the project
    stats: catalog.Stats
    revised: str = ""        # PO-Revision-Date
    units: list[UnitStatus] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        c = Counter(u.state for u in self.units)
        return {s: c.get(s, 0) for s in STATES}

    @property
    def percent(self) -> float:
        # the stats', as status and the colophon give it: a unit failing a
        # check is translated (the edition prints it), shown apart on the map
        return self.stats.percent

    def paragraphs(self) -> list[list[UnitStatus]]:
        out: list[list[UnitStatus]] = []
        for u in self.units:
            if out and out[-1][0].paragraph == u.paragraph:
                out[-1].append(u)
            else:
                out.append([u])
        return out

    def as_dict(self) -> dict:
        return {"document": self.document, "language": self.language, "catalog": self.catalog,
                "percent": round(self.percent, 2), "units": self.stats.units, **self.counts}


def collect(project: Project, documents: list[str] | None = None) -> list[LanguageStatus]:
    """The state of every unit of every document, per target language, as
    ``publish status`` counts them (``status.units``: the source's units in
    reading order, the catalog's states), and which fail a check."""
    from ..check import check_project
    from ..config import text_for
    from ..status import count, read_catalog, units
    from ..update import extract
    docs = [project.document(n) for n in documents] if documents else project.documents
    findings: dict[tuple[str, str], list[str]] = {}
    for doc in docs:
        for lang in project.target_languages:
            if project.po_path(doc, lang).exists():   # a catalog not made yet fails no check
                for f in check_project(project, [doc], [lang]):
                    if f.severity == "error":
                        findings.setdefault((f.path, f.msgid), []).append(f.check)
    out = []
    for doc in docs:
        _, found = extract(project, doc)
        title = text_for(project.titles(doc), project.source_language)
        for lang in project.target_languages:
            rel = project.po_path(doc, lang).relative_to(project.root).as_posix()
            po = read_catalog(project, doc, lang)
            revised = po.metadata.get("PO-Revision-Date", "") if po is not None else ""
            states = units(project, doc, lang, found, po)
            status = LanguageStatus(doc.name, title, lang, rel, count(s.counted for s in states), revised)
            # one square per unit as status and the colophon count them: a sentence the
            # text has twice is one entry, translated once; after the text, the title and
            # the rest (paragraph 0: from publish.yml)
            for n, s in enumerate(states, 1):
                checks = sorted(set(findings.get((rel, s.counted.msgid), [])))
                state = s.counted.state
                if state == "translated" and checks:
                    state = "failing"   # still translated (the edition prints it), shown apart
                kind = s.unit.kind if s.unit else titles.CONTEXTS[s.counted.context].name
                status.units.append(UnitStatus(n, s.unit.paragraph if s.unit else 0, kind, state,
                                               s.counted.msgid, s.entry.linenum if s.entry else None, checks))
            out.append(status)
    return out


# --- the page -----------------------------------------------------------------------

def _pct(s: LanguageStatus) -> str:
    return percent_text(s.stats)


def chart(statuses: list[LanguageStatus]) -> str:
    """A horizontal stacked bar per document and language, as inline SVG."""
    row, bar_w = 34, 100.0   # a label line of 14 px, then a bar of 14 px
    height = row * len(statuses) + 8
    parts = [f'<svg class="chart" viewBox="0 0 100 {height}" preserveAspectRatio="none" role="img" '
             f'aria-labelledby="chart-title" xmlns="http://www.w3.org/2000/svg" height="{height}">',
             '<title id="chart-title">Translation progress per document and language</title>']
    for i, s in enumerate(statuses):
        y = i * row + 14
        total = max(len(s.units), 1)
        x = 0.0
        for state in STATES:
            n = s.counts[state]
            if not n:
                continue
            w = bar_w * n / total
            parts.append(f'<rect x="{x:.3f}" y="{y}" width="{w:.3f}" height="14" fill="{COLOURS[state]}">'
                         f'<title>{_e(s.document)} {_e(s.language)}: {n} {STATE_LABELS[state]}</title></rect>')
            x += w
    parts.append("</svg>")
    # the labels are HTML over the SVG, so that text does not stretch with the bars
    labels = "".join(
        f'<div class="chart-label" style="top:{i * row}px"><span>{_e(s.document)} · {_e(s.language)}</span>'
        f'<span class="num">{_pct(s)}%</span></div>' for i, s in enumerate(statuses))
    return f'<figure class="chart-box" style="height:{height}px">{"".join(parts)}{labels}</figure>'


def _legend() -> str:
    return '<ul class="legend">' + "".join(
        f'<li><span class="sq {s}"></span>{_e(STATE_LABELS[s])}</li>' for s in STATES) + "</ul>"


def _unit_title(s: LanguageStatus, u: UnitStatus) -> str:
    where = f"{s.catalog}:{u.line}" if u.line else s.catalog
    text = u.msgid if len(u.msgid) <= 90 else u.msgid[:88] + "…"
    what = STATE_LABELS[u.state] + (f" ({', '.join(u.checks)})" if u.checks else "")
    place = f"paragraph {u.paragraph}" if u.paragraph else "from publish.yml"   # 0: the title and the rest
    return f"unit {u.number}, {u.kind}, {place} — {what}\n{where}\n{text}"


def _figures(s: LanguageStatus) -> str:
    """The counts as ``publish status`` gives them; those failing a check
    are among the translated."""
    st, failing = s.stats, s.counts["failing"]
    if not st.units:
        return "no units"
    parts = [f"{st.translated} translated" + (f" ({failing} failing a check)" if failing else "")
             if st.translated else "",
             f"{st.fuzzy} {STATE_LABELS['fuzzy']}" if st.fuzzy else "",
             f"{st.untranslated} untranslated" if st.untranslated else ""]
    return f"{st.units} unit{'s' if st.units != 1 else ''}: " + " · ".join(p for p in parts if p)


def section(s: LanguageStatus, source_lang: str) -> str:
    c = s.counts
    total = max(len(s.units), 1)
    bar = "".join(f'<span class="{st}" style="width:{100 * c[st] / total:.3f}%"></span>' for st in STATES if c[st])
    figures = _figures(s)
    paras = []
    for p in s.paragraphs():
        cls = " heading" if p[0].kind == "heading" else ""
        cells = "".join(f'<i class="{u.state}" title="{_e(_unit_title(s, u))}"></i>' for u in p)
        paras.append(f'<span class="para{cls}">{cells}</span>')
    words = (f"{s.stats.words_translated} of {s.stats.words} word{'s' if s.stats.words != 1 else ''}"
             if s.stats.words else "")
    revised = f' · catalog revised {_e(s.revised)}' if s.revised and not s.revised.startswith("YEAR") else ""
    return (f'<section class="doc" id="{_e(s.document)}-{_e(s.language)}">\n'
            f'<h2><bdi lang="{_e(source_lang)}">{_e(s.title)}</bdi> '
            f'<span class="meta">{_e(s.document)} → {_e(s.language)}</span></h2>\n'
            f'<p class="figures"><strong>{_pct(s)}%</strong> translated · {figures}'
            f'{(" · " + words) if words else ""}</p>\n'
            f'<div class="bar" role="img" aria-label="{_pct(s)}% translated">{bar}</div>\n'
            f'<p class="where"><code>{_e(s.catalog)}</code>{revised}</p>\n'
            f'<div class="map" role="img" aria-label="the document, one square per unit">{"".join(paras)}</div>\n'
            f'</section>')


CSS = """
:root { --ink: #1b1b1b; --muted: #5f5a52; --rule: #d9d3c7; --bg: #fbfaf7; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 60rem; padding: 1.5rem 1.5rem 4rem; color: var(--ink); background: var(--bg);
  font: 16px/1.5 "Noto Sans", "DejaVu Sans", system-ui, sans-serif; }
[lang="fa"], [lang="ar"] { font-family: "Noto Naskh Arabic", "Noto Sans Arabic", serif; font-size: 1.12em; }
h1 { font-size: 1.6rem; margin: 0.5rem 0 0.2rem; }
.intro { color: var(--muted); margin: 0 0 1.2rem; }
h2 { font-size: 1.2rem; margin: 0 0 0.3rem; display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.2rem 0.8rem; }
h2 .meta { font-size: 0.85rem; font-weight: normal; color: var(--muted); }
.doc { background: #fff; border: 1px solid var(--rule); border-radius: 6px; padding: 1rem 1.2rem 1.2rem; margin: 1.2rem 0; }
.figures { margin: 0 0 0.5rem; font-size: 0.95rem; }
.where { margin: 0.4rem 0 0.8rem; font-size: 0.8rem; color: var(--muted); overflow-wrap: anywhere; }
.bar { display: flex; height: 0.8rem; border-radius: 0.4rem; overflow: hidden; background: #ddd7cc; }
.bar span { display: block; height: 100%; }
.legend { list-style: none; padding: 0; margin: 0 0 1rem; display: flex; flex-wrap: wrap; gap: 0.3rem 1.2rem; font-size: 0.9rem; }
.legend li { display: flex; align-items: center; gap: 0.4rem; }
.sq { display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 2px; }
.map { display: flex; flex-wrap: wrap; gap: 6px 10px; align-items: flex-start; }
.map .para { display: inline-flex; flex-wrap: wrap; gap: 2px; max-width: 100%; }
.map .para.heading { flex-basis: 100%; margin-top: 6px; }
.map .para.heading:first-child { margin-top: 0; }
.map i { display: block; width: 11px; height: 11px; border-radius: 2px; }
.map .heading i { width: 22px; }
.translated { background: #2e7d5b; }
.failing { background: #c0392b; }
.map i.failing, .sq.failing { background-image: radial-gradient(circle, #fff 0 1.6px, transparent 2px); }
.fuzzy { background: #e8a33d; background-image: repeating-linear-gradient(135deg, transparent 0 2px, rgba(255,255,255,.55) 2px 3.5px); }
.untranslated { background: #ddd7cc; }
.map i.untranslated { box-shadow: inset 0 0 0 1px #c8c0b2; }
.chart-box { position: relative; margin: 0 0 0.5rem; }
.chart { position: absolute; inset: 0; width: 100%; }
.chart-label { position: absolute; left: 0; right: 0; height: 14px; display: flex; justify-content: space-between;
  font-size: 0.8rem; line-height: 14px; color: var(--muted); }
.chart-label .num { font-variant-numeric: tabular-nums; }
footer { margin-top: 2rem; font-size: 0.8rem; color: var(--muted); }
@media (max-width: 40rem) {
  body { padding: 1rem 0.8rem 3rem; }
  .doc { padding: 0.8rem; }
  .map { gap: 5px 8px; }
}
@media print { body { background: #fff; } .doc { break-inside: avoid; border-color: #999; } }
"""


def page(project: Project, statuses: list[LanguageStatus]) -> str:
    from ..config import text_for
    title = text_for(project.title, project.source_language)
    body = "\n".join(section(s, project.source_language) for s in statuses)
    overall = catalog.Stats(units=sum(s.stats.units for s in statuses),
                            translated=sum(s.stats.translated for s in statuses))
    overall = f"{percent_text(overall)}% of all units translated"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Translation status</title>
<style>{CSS}</style>
</head>
<body>
<header>
<h1>Translation status</h1>
<p class="intro"><bdi lang="{_e(project.source_language)}">{_e(title)}</bdi> — {overall}.
Each square is a unit (a sentence, heading, list item or footnote), in reading order; hover over one to see
where it is.</p>
{_legend()}
{chart(statuses)}
</header>
<main>
{body}
</main>
<footer>Made by publish (<code>publish build</code> or <code>publish status --html</code>);
<code>publish check</code> lists the failing checks one by one.</footer>
</body>
</html>
"""


def write(project: Project, statuses: list[LanguageStatus] | None = None) -> Path:
    """Write build/status.html (untouched when nothing changed); its path."""
    if statuses is None:
        statuses = collect(project)
    target = project.build_dir / "status.html"
    write_atomic(target, page(project, statuses))
    return target
