"""How long does a book take: a 100-page Persian book with photographs,
footnotes and tables, in every edition and format.

    .venv/bin/python bench/book.py [--pages 100] [--out bench/results-book.md]

The book is made here, in a temporary folder: chapters of the report's
sentences (each marked with its place so none repeats), a photograph every
four pages (1600 × 1067 JPEG, drawn with Pillow), a footnote every page and a
six-column table of figures every ten.  The English catalog is filled by
transliterating each msgid letter for letter (markup, footnote marks and
picture paths untouched), so every edition is complete and as long as the
Persian.  Each step runs as a fresh ``publish`` process; wall time and pages
(pdfinfo) go to ``--out``.  Not part of the tests: minutes on 2 cores.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PUBLISH = str(Path(sys.executable).parent / "publish")
ENV = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
LATIN = str.maketrans({**dict(zip("ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیآءئؤأ",
                                  "abptsjchkhdzrzzsshszttzaghfqkglmnvhyaaiuaa")),
                       "۰": "0", "۱": "1", "۲": "2", "۳": "3", "۴": "4", "۵": "5", "۶": "6", "۷": "7", "۸": "8",
                       "۹": "9", "،": ",", "؛": ";", "؟": "?", "«": "“", "»": "”", "\u200c": ""})
WORDS_PER_PAGE = 230  # an A5 page of Noto Naskh at the print size


def sentences() -> list[str]:
    text = (ROOT / "source" / "fa" / "report.md").read_text(encoding="utf-8")
    paras = [p for p in text.split("\n\n") if p.strip() and not p.startswith(("#", "*", "---"))]
    return [s.strip() + "." for p in paras for s in re.split(r"(?<=\S)[.!؟](?=\s|$)", p) if len(s.split()) > 4]


def photo(path: Path, seed: int) -> None:
    from PIL import Image, ImageDraw
    img = Image.new("RGB", (1600, 1067), (40 + seed * 37 % 150, 90, 120 + seed * 53 % 100))
    draw = ImageDraw.Draw(img)
    for i in range(0, 1600, 80):
        draw.line([(i, 0), (1600 - i, 1067)], fill=(230, 220, 200), width=6)
    img.save(path, "JPEG", quality=80)


def make_book(root: Path, pages: int) -> int:
    (root / "source" / "fa" / "media").mkdir(parents=True)
    pool = sentences()
    out, words, n, note = [], 0, 0, 0
    for chapter in range(1, pages // 10 + 2):
        out.append(f"# فصل {str(chapter).translate(FA_DIGITS)}\n")
        for page in range(10):
            body = []
            while sum(len(s.split()) for s in body) < WORDS_PER_PAGE - 40:
                s = pool[n % len(pool)]
                n += 1
                body.append(s[:-1] + f" §{str(n).translate(FA_DIGITS)}.")
            note += 1
            body[1] = body[1][:-1] + f"[^{note}]."
            out.append(" ".join(body[: len(body) // 2]) + "\n")
            out.append(" ".join(body[len(body) // 2:]) + "\n")
            out.append(f"[^{note}]: یادداشت شماره {str(note).translate(FA_DIGITS)} درباره این بخش از گزارش.\n")
            words += sum(len(s.split()) for s in body)
            if page % 4 == 1:
                pic = f"media/p{chapter}-{page}.jpg"
                photo(root / "source" / "fa" / pic, chapter * 10 + page)
                out.append(f"![عکس {str(chapter * 10 + page).translate(FA_DIGITS)} از کارگاه]({pic})\n")
            if page == 5:
                rows = ["| سال | شهر | اعضا | نشریه | درآمد | هزینه |", "|---|---|---:|---:|---:|---:|"]
                rows += [f"| {str(1395 + r).translate(FA_DIGITS)} | شهر {r} | {str(120 + r * 7).translate(FA_DIGITS)}"
                         f" | {str(r + 3).translate(FA_DIGITS)} | {str(4200 + r * 310).translate(FA_DIGITS)}"
                         f" | {str(3900 + r * 280).translate(FA_DIGITS)} |" for r in range(12)]
                out.append("\n".join(rows) + "\n")
            if words >= pages * WORDS_PER_PAGE:
                break
        if words >= pages * WORDS_PER_PAGE:
            break
    (root / "source" / "fa" / "book.md").write_text("\n".join(out), encoding="utf-8")
    (root / "publish.yml").write_text(
        "title: {fa: کتاب آزمون, en: A Test Book}\nsource_language: fa\ntarget_languages: [en]\n"
        "documents:\n  - name: book\n    source: source/fa/book.md\n", encoding="utf-8")
    return words


def fill_english(root: Path) -> None:
    import polib
    path = root / "translations" / "en" / "book.po"
    po = polib.pofile(str(path), wrapwidth=0)
    for e in po:
        if e.msgid and not e.obsolete:
            e.msgstr = e.msgid.translate(LATIN) if "](" not in e.msgid else \
                re.sub(r"^[^!]*", lambda m: m.group().translate(LATIN), e.msgid)
            e.flags = [f for f in e.flags if f != "fuzzy"]
    po.save(str(path))


def run(root: Path, *args: str) -> float:
    start = time.perf_counter()
    proc = subprocess.run([PUBLISH, *args], cwd=root, capture_output=True, text=True, env=ENV)
    took = time.perf_counter() - start
    if proc.returncode:
        sys.exit(f"publish {' '.join(args)} failed:\n{proc.stderr}")
    return took


def pages_of(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=100)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results-book.md")
    args = ap.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="publish-book-") as tmp:
        root = Path(tmp)
        words = make_book(root, args.pages)
        rows.append(("update (template and catalog)", run(root, "update"), ""))
        fill_english(root)
        for edition in ("fa", "en", "fa-en"):
            for fmt in ("html", "epub", "pdf"):
                took = run(root, "build", "-e", edition, "-f", fmt, "--force")
                size = (root / "build" / edition / f"book.{fmt}").stat().st_size
                extra = f"{pages_of(root / 'build' / edition / 'book.pdf')} pages" if fmt == "pdf" else ""
                rows.append((f"build -e {edition} -f {fmt}", took, f"{size / 1e6:.1f} MB" + (", " + extra if extra else "")))
        rows.append(("build (what the steps above left: covers)", run(root, "build"), ""))
        rows.append(("build (nothing changed)", run(root, "build"), ""))
        rows.append(("build --force (everything, in parallel)", run(root, "build", "--force"), ""))
        pics = len(list((root / "source" / "fa" / "media").glob("*.jpg")))
        notes = (root / "source" / "fa" / "book.md").read_text(encoding="utf-8").count("]: یادداشت")
    lines = [
        "# A 100-page book: how long each edition and format takes",
        "",
        f"- date: {dt.date.today().isoformat()}",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        f"- book: {words:,} words, {pics} photographs (1600 × 1067 JPEG), {notes} footnotes, "
        f"a six-column table every ten pages; English filled by transliteration (as long as the Persian)",
        "- command: `.venv/bin/python bench/book.py`; each step a fresh process, wall time",
        "",
        "| step | seconds | output |",
        "|---|---:|---|",
        *[f"| {step} | {took:.1f} | {extra} |" for step, took, extra in rows],
        "",
    ]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
