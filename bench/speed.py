"""How fast is publish, beside its peers and the raw tools, at 1×, 10× and 100×?

    .venv/bin/python bench/speed.py [--sizes 1,10,100] [--reps 5,3,1] [--out bench/results.md]

A synthetic corpus is made from the report at each size: N copies, each
sentence marked with its copy's number (``§۱۲`` before the full stop, and the
same in its English translation), so every sentence is distinct and nothing
is a repeated copy a cache could catch.  The English catalog is filled from
the real translation of each unmarked sentence.

Every measurement runs a command in a fresh process under ``/usr/bin/time``
(wall time and peak resident memory, ``%M``; for a build that forks workers
this is the largest single process, not the sum).  In each repetition the
commands of a comparison run one after the other (A B C, A B C, …), so a
burst of load from elsewhere falls on all of them; medians are reported.

Comparisons:

* ``publish update`` on a fresh corpus and after an edit of 1% of the
  paragraphs, against po4a (``po4a-updatepo``, Markdown) and translate-
  toolkit (``md2po``, and ``pot2po`` to merge after the edit);
* each format of the ``fa`` edition against the raw tool on the same input:
  pandoc alone (Markdown → HTML, → EPUB with the same CSS and fonts) and
  WeasyPrint alone on our own print HTML — the pipeline's overhead;
* a build with nothing to do against ``publish --help`` (start-up);
* the whole build (9 outputs), in parallel and with ``-j 1``;
* an incremental build after one English translation changed.

Writes the tables to ``--out`` and a plot of time against size next to it
(``speed.svg``; an SVG written by hand, so no plotting library is needed).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PUBLISH = str(BIN / "publish")
sys.path.insert(0, str(ROOT / "src"))

import polib  # noqa: E402

from publish import __version__  # noqa: E402

FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
SENTENCE_END = re.compile(r"(?<![\d۰-۹])([.!?؟])(?=\s|$)")
MARK = re.compile(r" §[0-9۰-۹]+")
ENV = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
ENV.pop("SOURCE_DATE_EPOCH", None)


# --- the corpus -----------------------------------------------------------------

def mark(text: str, k: int, digits=FA_DIGITS) -> str:
    tag = f" §{str(k).translate(digits) if digits else k}"
    lines = []
    for line in text.splitlines():
        if line.strip():
            line = SENTENCE_END.sub(lambda m: tag + m.group(1), line.rstrip())
            if not SENTENCE_END.search(line[-1:] + " "):
                line += tag  # a heading, or a line without a full stop
        lines.append(line)
    return "\n".join(lines)


def make_corpus(n: int, dest: Path) -> Path:
    """publish.yml, the glossary, and a source of ``n`` marked copies."""
    dest.mkdir(parents=True)
    shutil.copy2(ROOT / "publish.yml", dest / "publish.yml")
    (dest / "translations").mkdir()
    shutil.copy2(ROOT / "translations/glossary.yml", dest / "translations/glossary.yml")
    text = (ROOT / "source/fa/report.md").read_text(encoding="utf-8")
    (dest / "source/fa").mkdir(parents=True)
    (dest / "source/fa/report.md").write_text("\n\n".join(mark(text, k) for k in range(1, n + 1)) + "\n",
                                              encoding="utf-8")
    return dest


def fill_translations(corpus: Path) -> tuple[int, int]:
    """Translate each unit from the real catalog, marked as its source is."""
    real = {e.msgid: e.msgstr for e in polib.pofile(str(ROOT / "translations/en/report.po"))
            if e.msgstr and not e.obsolete and "fuzzy" not in e.flags}
    path = corpus / "translations/en/report.po"
    po = polib.pofile(str(path), wrapwidth=0)
    done = 0
    for e in po:
        if e.obsolete:
            continue
        found = MARK.search(e.msgid)
        original = MARK.sub("", e.msgid)
        if found and original in real:
            k = int(found.group(0)[2:].translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")))
            e.msgstr = mark(real[original], k, digits=None)
            done += 1
    from publish import catalog
    path.write_text(catalog.render(po), encoding="utf-8")
    return done, len([e for e in po if not e.obsolete])


def edit_paragraphs(text: str, share: float = 0.01) -> tuple[str, int]:
    """Change one word in every hundredth paragraph (at least one)."""
    paras = text.split("\n\n")
    prose = [i for i, p in enumerate(paras) if p.strip() and not p.lstrip().startswith("#")]
    step = max(1, round(1 / share))
    chosen = prose[::step] or prose[:1]
    for i in chosen:
        paras[i] = paras[i].replace(" §", " واقعاً §", 1)
    return "\n\n".join(paras), len(chosen)


# --- measuring --------------------------------------------------------------------

def run(cmd, cwd: Path, check: bool = True) -> tuple[float, int, str]:
    """Wall seconds, peak resident KB, stdout."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        argv = ["/usr/bin/time", "-f", "%M", "-o", tf.name]
        argv += ["sh", "-c", cmd] if isinstance(cmd, str) else list(cmd)
        start = time.perf_counter()
        proc = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, env=ENV)
        wall = time.perf_counter() - start
        if check and proc.returncode != 0:
            raise SystemExit(f"failed: {cmd}\n{proc.stdout}\n{proc.stderr}")
        lines = [l for l in open(tf.name).read().split() if l.isdigit()]
        return wall, int(lines[-1]) if lines else 0, proc.stdout


class Results:
    def __init__(self):
        self.rows: dict[tuple[int, str], list[tuple[float, int]]] = {}

    def add(self, size: int, name: str, wall: float, kb: int) -> None:
        self.rows.setdefault((size, name), []).append((wall, kb))

    def time(self, size: int, name: str) -> float | None:
        got = self.rows.get((size, name))
        return statistics.median(w for w, _ in got) if got else None

    def memory(self, size: int, name: str) -> int | None:
        got = self.rows.get((size, name))
        return max(k for _, k in got) if got else None


def compare(results: Results, size: int, reps: int, work: Path, commands: list) -> None:
    """``commands``: (name, setup, command, folder) run in turn, ``reps`` times."""
    for _ in range(reps):
        for name, setup, cmd, cwd in commands:
            if setup:
                setup()
            wall, kb, out = run(cmd, cwd)
            results.add(size, name, wall, kb)
            check = CHECKS.get(name)
            if check:
                check(out)
            print(f"  {size:>3}× {name:<32} {wall:8.3f} s {kb / 1024:7.0f} MB", flush=True)


def _expect_rendered(n: int):
    def check(out: str) -> None:
        got = len([l for l in out.splitlines() if l.strip().startswith(("wrote", "unchanged"))
                   and "status.html" not in l])  # the status page is not an edition
        if got != n:
            raise SystemExit(f"expected {n} outputs rendered, got {got}:\n{out}")
    return check


WHOLE = {True: "publish build (9 outputs)", False: "publish build -f html -f epub (6 outputs)"}
INCREMENTAL = {True: "publish build, one en unit changed", False: "publish build -f html -f epub, one en unit changed"}
CHECKS = {"publish build, nothing changed": _expect_rendered(0),
          INCREMENTAL[True]: _expect_rendered(6), INCREMENTAL[False]: _expect_rendered(4)}


def pandoc() -> str:
    import pypandoc
    return pypandoc.get_pandoc_path()


def measure_size(n: int, reps: int, work: Path, results: Results, notes: dict, pdf_max: int,
                 skip_update: bool = False, peer_merge_max: int = 10) -> None:
    base = make_corpus(n, work / f"corpus-{n}")
    src = base / "source/fa/report.md"
    text = src.read_text(encoding="utf-8")
    edited, changed = edit_paragraphs(text)
    notes[n] = {"bytes": len(text.encode()), "paragraphs_edited": changed}
    run([PUBLISH, "update"], base)
    translated, units = fill_translations(base)
    notes[n].update(units=units, translated=translated)
    print(f"{n}×: {len(text.encode()) / 1e6:.2f} MB source, {units} units ({translated} translated), "
          f"{changed} paragraphs edited", flush=True)
    prepared = {p: p.read_bytes() for p in (base / "translations").rglob("*.po*")}
    # the parsed pieces of the unedited source, as `publish update` left them:
    # each "after an edit" run starts from them, not from the edit's own
    trees = base / "build/.publish/trees"
    kept_trees = {p: p.read_bytes() for p in trees.iterdir()}

    def restore():
        src.write_text(text, encoding="utf-8")
        for p, data in prepared.items():
            p.write_bytes(data)
        shutil.rmtree(trees, ignore_errors=True)
        trees.mkdir(parents=True)
        for p, data in kept_trees.items():
            p.write_bytes(data)

    # -- publish update / po4a / md2po -------------------------------------------
    fresh = work / f"fresh-{n}"
    fresh.mkdir()
    shutil.copy2(src, fresh / "report.md")
    (fresh / "edited.md").write_text(edited, encoding="utf-8")
    pubfresh = work / f"pubfresh-{n}"
    shutil.copytree(base, pubfresh, ignore=shutil.ignore_patterns("en", "templates", "build"))

    def clean_fresh():
        for p in ("translations/en", "translations/templates", "build"):  # build/ keeps parsed sources
            shutil.rmtree(pubfresh / p, ignore_errors=True)
        for p in ("po4a.po", "md2po.pot"):
            (fresh / p).unlink(missing_ok=True)

    po4a = "po4a-updatepo -f text -o markdown -M UTF-8 -m {md} -p {po}"
    if skip_update:
        return measure_builds(n, reps, work, results, notes, pdf_max, base, src)
    md2po = f"{BIN}/md2po --progress=none -P -i {{md}} -o {{pot}}"
    compare(results, n, reps, work, [
        ("publish update, fresh", clean_fresh, [PUBLISH, "update"], pubfresh),
        ("po4a-updatepo, fresh", clean_fresh, po4a.format(md="report.md", po="po4a.po"), fresh),
        ("md2po, fresh", clean_fresh, md2po.format(md="report.md", pot="md2po.pot"), fresh),
    ])
    # the peers' catalogs of the unedited text, every entry translated (a copy
    # of its msgid), are what they merge the edit into
    run(po4a.format(md="report.md", po="po4a.po"), fresh)
    run(md2po.format(md="report.md", pot="md2po.pot").replace(" -P", ""), fresh)
    for name, filled in (("po4a.po", "po4a.filled.po"), ("md2po.pot", "md2po.filled.po")):
        po = polib.pofile(str(fresh / name), wrapwidth=0)
        for e in po:
            e.msgstr = e.msgstr or e.msgid
        po.save(str(fresh / filled))
    peers = {p: (fresh / p).read_bytes() for p in ("po4a.filled.po", "md2po.filled.po")}

    def before_publish_edit():
        restore()
        src.write_text(edited, encoding="utf-8")

    def before_peer_edit():
        for p, data in peers.items():
            (fresh / p).write_bytes(data)

    edits = [
        ("publish update, 1% edited", before_publish_edit, [PUBLISH, "update"], base),
        ("po4a-updatepo, 1% edited", before_peer_edit, po4a.format(md="edited.md", po="po4a.filled.po"), fresh),
    ]
    if n <= peer_merge_max:  # pot2po's fuzzy matching ran for minutes at 100×
        edits.append(("md2po + pot2po, 1% edited", before_peer_edit,
                      md2po.format(md="edited.md", pot="new.pot") + f" && {BIN}/pot2po --progress=none "
                      "-t md2po.filled.po -i new.pot -o merged.po", fresh))
    compare(results, n, reps, work, edits)
    restore()
    measure_builds(n, reps, work, results, notes, pdf_max, base, src)


def measure_builds(n, reps, work, results, notes, pdf_max, base, src) -> None:
    # -- each format against the raw tool ----------------------------------------------
    raw = work / f"raw-{n}"
    raw.mkdir()
    styles = ROOT / "src/publish/render/styles"
    subprocess.run([sys.executable, "-c", PRINT_HTML, str(base), str(raw / "print.html")], check=True, env=ENV)
    fonts = subprocess.run(["fc-match", "-f", "%{file}", "Noto Naskh Arabic"], capture_output=True, text=True).stdout
    fonts_bold = subprocess.run(["fc-match", "-f", "%{file}", "Noto Naskh Arabic:bold"], capture_output=True,
                                text=True).stdout
    (raw / "epub.css").write_text((styles / "base.css").read_text() + (styles / "epub.css").read_text())
    reader = "commonmark_x-smart-emoji"
    title = "--metadata=title:report --metadata=lang:fa --metadata=dir:rtl"
    raw_cmds = {
        "html": f"{pandoc()} -f {reader} -t html5 --standalone --wrap=none {title} -o out.html {src}",
        "epub": (f"{pandoc()} -f {reader} -t epub3 --toc --split-level=1 --css=epub.css --wrap=none {title} "
                 f"--epub-embed-font={fonts} --epub-embed-font={fonts_bold} -o out.epub {src}"),
        "pdf": f"{BIN}/weasyprint -q -u {styles}/ print.html out.pdf",
    }
    with_pdf = n <= pdf_max
    formats = ("html", "epub", "pdf") if with_pdf else ("html", "epub")
    only = [] if with_pdf else ["-f", "html", "-f", "epub"]
    notes[n]["pdf"] = with_pdf
    for fmt in formats:
        # from nothing (build/ removed: the source is parsed too), and as a
        # press runs it after `publish update` (--force: rendered again, the
        # parsed source kept)
        compare(results, n, reps, work, [
            (f"publish build -e fa -f {fmt}", lambda: shutil.rmtree(base / "build", ignore_errors=True),
             [PUBLISH, "build", "-q", "-e", "fa", "-f", fmt], base),
            (f"publish build -e fa -f {fmt}, source kept", None,
             [PUBLISH, "build", "-q", "--force", "-e", "fa", "-f", fmt], base),
            (f"raw {fmt} ({'WeasyPrint' if fmt == 'pdf' else 'pandoc'})", None, raw_cmds[fmt], raw),
        ])

    # -- whole builds, incremental, no-op ------------------------------------------------
    def clean_build():
        shutil.rmtree(base / "build", ignore_errors=True)

    whole = [(WHOLE[with_pdf], clean_build, [PUBLISH, "build", "-q", *only], base)]
    if n < 100:  # serial only where it does not double the run's length
        whole.append(("publish build -j 1 (9 outputs)", clean_build, [PUBLISH, "build", "-q", "-j", "1"], base))
    compare(results, n, reps, work, whole)
    run([PUBLISH, "build", "-q", *only], base)
    po_path = base / "translations/en/report.po"
    counter = iter(range(10**6))

    def change_one_translation():
        po = po_path.read_text(encoding="utf-8")
        k = next(counter)
        po_path.write_text(re.sub(r'msgstr "(?=[^"])', f'msgstr "Edit {k}: ', po, count=1) if k == 0 else
                           re.sub(r'msgstr "Edit \d+: ', f'msgstr "Edit {k}: ', po, count=1), encoding="utf-8")

    compare(results, n, reps, work, [
        (INCREMENTAL[with_pdf], change_one_translation, [PUBLISH, "build", "-v", *only], base)])
    compare(results, n, max(reps, 5), work, [
        ("publish --help", None, [PUBLISH, "--help"], base),
        ("publish build, nothing changed", None, [PUBLISH, "build", "-v", *only], base),
    ])


PRINT_HTML = """
import sys
from pathlib import Path
from publish import assemble as asm, config, source
from publish.render.html import page
p = config.load(Path(sys.argv[1])); d = p.documents[0]
src = source.load(d.source, p.normalize, d.relsource)
a = asm.assemble(p, d, asm.editions(p)[0], src, {})
Path(sys.argv[2]).write_text(page(a, "print", p.paper), encoding="utf-8")
"""


# --- the report -----------------------------------------------------------------------

def machine() -> list[str]:
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    mem = next((int(l.split()[1]) // 1024 for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
    import weasyprint
    pv = subprocess.run([pandoc(), "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    po4a = subprocess.run(["po4a-updatepo", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    from importlib.metadata import version
    return [f"{platform.platform()}, {cpu}, {len(os.sched_getaffinity(0))} cores, {mem} MB RAM",
            f"Python {platform.python_version()}, publish {__version__}, {pv}, WeasyPrint {weasyprint.__version__}, "
            f"{po4a}, translate-toolkit {version('translate-toolkit')}",
            f"load average at the end: {os.getloadavg()[0]:.1f} (the cores are shared with other work)"]


def fmt_s(t: float | None) -> str:
    return "–" if t is None else (f"{t * 1000:.0f} ms" if t < 1 else f"{t:.2f} s")


def fmt_mb(kb: int | None) -> str:
    return "–" if kb is None else f"{kb / 1024:.0f} MB"


def ratio(R: "Results", size: int, a: str, b: str) -> float | None:
    x, y = R.time(size, a), R.time(size, b)
    return x / y if x and y else None


def verdict(ok: bool) -> str:
    return "**met**" if ok else "**missed**"


def report(results: Results, sizes: list[int], reps: list[int], notes: dict, started: str) -> tuple[str, dict]:
    R = results
    big, small = max(sizes), min(sizes)
    out = ["# publish: speed against peers and raw tools", "",
           f"Made by `make bench` (`bench/speed.py`) on {started}.", ""]
    out += [f"* {l}" for l in machine()]
    out += ["", "Corpus: the report (source/fa/report.md) copied N times, every sentence marked with its copy's "
            "number so that all sentences are distinct; the English catalog filled from the real translation.",
            "Each cell is the median wall time of a fresh process (repetitions: "
            + ", ".join(f"{r} at {s}×" for s, r in zip(sizes, reps))
            + "; commands of one comparison alternate), and the peak resident memory of the largest process "
            "(`/usr/bin/time %M`).", ""]
    out += ["| size | source | units | translated | paragraphs edited |", "|---|---|---|---|---|"]
    for s in sizes:
        m = notes[s]
        out.append(f"| {s}× | {m['bytes'] / 1e6:.2f} MB | {m['units']} | {m['translated']} | {m['paragraphs_edited']} |")
    targets: dict[str, tuple[bool, str]] = {}

    def table(title, names, ratio_to=None, ratio_label="ratio"):
        out.extend(["", f"## {title}", ""])
        head = "| command | " + " | ".join(f"{s}×" for s in sizes) + " | " + \
               " | ".join(f"{ratio_label} {s}×" for s in sizes if ratio_to) + (" |" if ratio_to else "") + \
               " peak memory " + f"{big}× |"
        out.append(head.replace("|  peak", "| peak"))
        out.append("|" + "---|" * (1 + len(sizes) + (len(sizes) if ratio_to else 0) + 1))
        for name in names:
            cells = [fmt_s(R.time(s, name)) for s in sizes]
            if ratio_to:
                base = ratio_to(name)
                for s in sizes:
                    a, b = R.time(s, name), R.time(s, base) if base else None
                    cells.append(f"{a / b:.2f}" if a and b else "")
            out.append(f"| {name} | " + " | ".join(cells) + f" | {fmt_mb(R.memory(big, name))} |")

    # update against peers
    upd = ["publish update, fresh", "po4a-updatepo, fresh", "md2po, fresh",
           "publish update, 1% edited", "po4a-updatepo, 1% edited", "md2po + pot2po, 1% edited"]
    table("Catalog update against po4a and translate-toolkit", upd,
          ratio_to=lambda n: "po4a-updatepo, fresh" if "fresh" in n else "po4a-updatepo, 1% edited",
          ratio_label="÷ po4a")
    r = ratio(R, big, "publish update, 1% edited", "po4a-updatepo, 1% edited")
    targets["update after an edit at the largest size ≤ po4a"] = (r is not None and r <= 1.0, f"{r or 0:.2f}× po4a at {big}×")

    # overhead per format
    fmts = [n for f in ("html", "epub", "pdf") for n in (f"publish build -e fa -f {f}",
                                                         f"publish build -e fa -f {f}, source kept",
                                                         f"raw {f} ({'WeasyPrint' if f == 'pdf' else 'pandoc'})")]

    def raw_of(name: str) -> str | None:
        if name.startswith("raw"):
            return None
        f = name.split(" -f ")[1].split(",")[0]
        return next(x for x in fmts if x.startswith(f"raw {f}"))

    table("Each format against the raw tool (the fa edition)", fmts, ratio_to=raw_of, ratio_label="÷ raw")
    out.append("")
    out.append("From nothing: `build/` removed, so the source is parsed too. Source kept: `--force` after "
               "`publish update`, as a press runs it; the source's parsed pieces are read back.")
    for f in ("html", "epub", "pdf"):
        for suffix, how in (("", "from nothing"), (", source kept", "source kept")):
            name = f"publish build -e fa -f {f}{suffix}"
            got = {s: ratio(R, s, name, raw_of(name)) for s in sizes}
            got = {s: v for s, v in got.items() if v is not None}
            if got:
                targets[f"{f.upper()} overhead over the raw tool ≤ 15% ({how})"] = (
                    max(got.values()) <= 1.15, ", ".join(f"{100 * (v - 1):+.0f}% at {s}×" for s, v in got.items()))

    # whole, incremental, no-op
    names = [WHOLE[True], "publish build -j 1 (9 outputs)", INCREMENTAL[True], WHOLE[False], INCREMENTAL[False],
             "publish build, nothing changed", "publish --help"]
    table("Whole, incremental and no-op builds", names,
          ratio_to=lambda n: {"publish build, nothing changed": "publish --help",
                              INCREMENTAL[True]: WHOLE[True], INCREMENTAL[False]: WHOLE[False],
                              "publish build (9 outputs)": "publish build -j 1 (9 outputs)"}.get(n),
          ratio_label="ratio")
    out.append("")
    out.append("Ratios: no-op ÷ `--help`; incremental ÷ whole build; parallel ÷ `-j 1`.")
    got = [v for s in sizes if (v := ratio(R, s, "publish build, nothing changed", "publish --help"))]
    if got:
        targets["no-op build ≤ 2× start-up"] = (max(got) <= 2.0, f"worst {max(got):.2f}×")
    got = [v for s in sizes if (v := ratio(R, s, "publish build (9 outputs)", "publish build -j 1 (9 outputs)"))]
    if got:
        targets["outputs render in parallel (whole build faster than -j 1)"] = (max(got) < 1.0,
                                                                               f"parallel ÷ serial: {', '.join(f'{v:.2f}' for v in got)}")

    # linear growth
    start = statistics.median(t for s in sizes if (t := R.time(s, "publish --help")))
    lin = []
    for name in ("publish update, 1% edited", "publish update, fresh", WHOLE[True], WHOLE[False],
                 "publish build -e fa -f html", "publish build -e fa -f epub", "publish build -e fa -f pdf"):
        a, b = R.time(small, name), R.time(big, name)
        if a and b:
            growth = (b - start) / (a - start) / (big / small)
            lin.append((name, growth))
    out.extend(["", f"## Growth from {small}× to {big}×", "",
                f"Time at {big}× ÷ time at {small}×, start-up ({fmt_s(start)}) taken off both, ÷ {big // small}: "
                "1.00 is linear, the target is ≤ 1.10.", "", "| command | growth |", "|---|---|"])
    out += [f"| {n} | {g:.2f} |" for n, g in lin]
    if lin:
        worst_lin = max(g for _, g in lin)
        targets["cost grows linearly (≤ 1.10 of linear)"] = (worst_lin <= 1.10, f"worst {worst_lin:.2f}")
    peaks = [(k, name) for (s, name), rows in R.rows.items() if s == big and name.startswith("publish")
             for _, k in rows]
    if peaks:
        peak, name = max(peaks)
        targets[f"peak memory at {big}× < 500 MB"] = (peak < 500 * 1024, f"{fmt_mb(peak)} ({name})")
    return "\n".join(out) + "\n", targets


def svg(results: Results, sizes: list[int], path: Path) -> None:
    """Time against size, both on log scales; one line per command."""
    series = ["publish update, 1% edited", "po4a-updatepo, 1% edited", "md2po + pot2po, 1% edited",
              "publish build -e fa -f html", "raw html (pandoc)", "publish build, nothing changed"]
    colours = ["#c0392b", "#2471a3", "#7d3c98", "#1e8449", "#b9770e", "#566573"]
    import math
    pts = {n: [(s, results.time(s, n)) for s in sizes if results.time(s, n)] for n in series}
    ts = [t for v in pts.values() for _, t in v]
    lo, hi = math.floor(math.log10(min(ts))), math.ceil(math.log10(max(ts)))
    W, H, L, B, T, Rm = 720, 420, 70, 50, 20, 250
    xs = [math.log10(s) for s in sizes]
    x0, x1 = min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1

    def X(s):
        return L + (math.log10(s) - x0) / (x1 - x0) * (W - L - Rm)

    def Y(t):
        return H - B - (math.log10(t) - lo) / (hi - lo) * (H - B - T)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
             f'<rect width="{W}" height="{H}" fill="white"/>']
    for e in range(lo, hi + 1):
        y = Y(10 ** e)
        parts.append(f'<line x1="{L}" x2="{W - Rm}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{L - 6}" y="{y + 4:.1f}" text-anchor="end">{fmt_s(10 ** e)}</text>')
    for s in sizes:
        parts.append(f'<line x1="{X(s):.1f}" x2="{X(s):.1f}" y1="{T}" y2="{H - B}" stroke="#ddd"/>')
        parts.append(f'<text x="{X(s):.1f}" y="{H - B + 18}" text-anchor="middle">{s}×</text>')
    parts.append(f'<text x="{(L + W - Rm) / 2}" y="{H - 10}" text-anchor="middle">corpus size (log)</text>')
    parts.append(f'<text x="14" y="{(H - B) / 2}" transform="rotate(-90 14 {(H - B) / 2})" '
                 'text-anchor="middle">median wall time (log)</text>')
    for i, (name, colour) in enumerate(zip(series, colours)):
        p = pts[name]
        if p:
            d = " ".join(f"{X(s):.1f},{Y(t):.1f}" for s, t in p)
            parts.append(f'<polyline points="{d}" fill="none" stroke="{colour}" stroke-width="2"/>')
            parts += [f'<circle cx="{X(s):.1f}" cy="{Y(t):.1f}" r="3" fill="{colour}"/>' for s, t in p]
        ly = T + 10 + 20 * i
        parts.append(f'<line x1="{W - Rm + 15}" x2="{W - Rm + 35}" y1="{ly}" y2="{ly}" stroke="{colour}" stroke-width="2"/>')
        parts.append(f'<text x="{W - Rm + 40}" y="{ly + 4}">{name}</text>')
    parts.append("</svg>")
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


LOG_ROW = re.compile(r"^\s+(\d+)× (.+?)\s+([\d.]+) s\s+(\d+) MB$")
LOG_SIZE = re.compile(r"^(\d+)×: ([\d.]+) MB source, (\d+) units \((\d+) translated\), (\d+) paragraphs edited")


def from_log(args, sizes: list[int], reps: list[int], started: str) -> None:
    results, notes = Results(), {}
    for line in args.from_log.read_text(encoding="utf-8").splitlines():
        if m := LOG_ROW.match(line):
            results.add(int(m[1]), m[2].strip(), float(m[3]), int(m[4]) * 1024)
        elif m := LOG_SIZE.match(line):
            notes[int(m[1])] = {"bytes": float(m[2]) * 1e6, "units": int(m[3]), "translated": int(m[4]),
                                "paragraphs_edited": int(m[5])}
    sizes = [s for s in sizes if s in notes]
    text, targets = report(results, sizes, reps, notes, started + f" (tables made from the printed log {args.from_log.name}, --from-log)")
    lines = ["", "## Targets", "", "| target | result | |", "|---|---|---|"]
    lines += [f"| {name} | {verdict(ok)} | {detail} |" for name, (ok, detail) in targets.items()]
    lines += ["", "![time against corpus size](speed.svg)", "", "What the misses come from: bench/speed-notes.md.", ""]
    args.out.write_text(text + "\n".join(lines), encoding="utf-8")
    svg(results, sizes, args.out.parent / "speed.svg")
    print(f"wrote {args.out}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1,10,100")
    ap.add_argument("--reps", default="3,2,1")
    ap.add_argument("--out", type=Path, default=ROOT / "bench/results.md")
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    ap.add_argument("--from-log", type=Path, default=None,
                    help="write the report from the printed log of a run (one that had to be stopped)")
    ap.add_argument("--skip-update", action="store_true", help="measure only the builds")
    ap.add_argument("--peer-merge-max", type=int, default=10,
                    help="largest size at which md2po + pot2po merges an edit (its fuzzy matching grows fast)")
    ap.add_argument("--pdf-max", type=int, default=10,
                    help="largest size at which PDFs are built (a 100× PDF is thousands of pages: minutes each)")
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    reps = [int(x) for x in args.reps.split(",")]
    reps += [reps[-1]] * (len(sizes) - len(reps))
    if not shutil.which("po4a-updatepo") or not Path("/usr/bin/time").exists():
        raise SystemExit("bench/speed.py needs po4a (po4a-updatepo) and GNU time (/usr/bin/time): make debs-test")
    if subprocess.run([str(BIN / "md2po"), "--help"], capture_output=True).returncode != 0:
        raise SystemExit("md2po does not run: pip install 'translate-toolkit[markdown]' (it needs mistletoe)")
    started = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    if args.from_log:
        return from_log(args, sizes, reps, started)
    work = Path(tempfile.mkdtemp(prefix="publish-bench-"))
    # The code measured is the last commit, frozen: a checkout being edited
    # while the run goes (or a build cache keyed by publish's own files)
    # would otherwise measure a moving target.
    snapshot = work / "code"
    snapshot.mkdir()
    archive = subprocess.run(["git", "archive", "HEAD", "src"], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(snapshot)], input=archive, check=True)
    ENV["PYTHONPATH"] = str(snapshot / "src")
    results, notes, failures = Results(), {}, []
    t0 = time.perf_counter()
    try:
        for s, r in zip(sizes, reps):
            try:
                measure_size(s, r, work, results, notes, args.pdf_max, args.skip_update, args.peer_merge_max)
            except (SystemExit, Exception) as exc:  # report what was measured, and say what was not
                failures.append(f"{s}×: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}")
                print(f"{s}× failed: {exc}", flush=True)
                notes.setdefault(s, {"bytes": 0, "units": 0, "translated": 0, "paragraphs_edited": 0})
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        (work.parent / "publish-bench-raw.json").write_text(json.dumps(
            {f"{s} {n}": v for (s, n), v in results.rows.items()}, ensure_ascii=False, indent=0))
    text, targets = report(results, sizes, reps, notes, started)
    lines = ["", "## Targets", "", "| target | result | |", "|---|---|---|"]
    lines += [f"| {name} | {verdict(ok)} | {detail} |" for name, (ok, detail) in targets.items()]
    lines += [f"* not measured: {f}" for f in failures]
    lines += ["", f"The whole run took {(time.perf_counter() - t0) / 60:.1f} minutes.", "",
              "![time against corpus size](speed.svg)", "", "What the misses come from: bench/speed-notes.md.", ""]
    args.out.write_text(text + "\n".join(lines), encoding="utf-8")
    svg(results, sizes, args.out.parent / "speed.svg")
    print(f"wrote {args.out} and {args.out.parent / 'speed.svg'}")


if __name__ == "__main__":
    main()
