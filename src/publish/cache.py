"""What an output was made from, so ``publish build`` renders only what changed.

Each output is keyed by the digests of everything it depends on: the source
text, the normalisation and segmentation settings, the catalogs of its
edition's languages, the project metadata it prints, the settings of its
format, and the code that makes it — publish's own files (a version number
says nothing in a developer checkout), the pandoc binary, and for PDFs
WeasyPrint and the font files it set the text in.  The manifest in
``build/.publish/manifest.json`` remembers, per output, these digests and
the digest of the bytes written.  Decisions compare what went in (as Sphinx
and Make do), never timestamps of inputs against outputs.

The glossary is not a dependency: it is not printed.  Fonts are found by
fontconfig when rendering; the manifest records which files it gave, so a
no-op build only has to look at those files, not ask fontconfig again (a
newly installed font that fontconfig would now prefer is noticed only by
``publish build --force``).

Everything here is cheap on purpose (hashes of files, ``stat`` of libraries)
and imports nothing heavy: a build with nothing to do must cost about as much
as starting the command.
"""
from __future__ import annotations

import functools
import hashlib
import importlib.machinery
import json
import os
import shutil
import sys
from pathlib import Path

from .files import write_atomic

MANIFEST = Path(".publish") / "manifest.json"
SCHEMA = 1  # bump when the manifest's shape changes: an old manifest is then ignored


def digest(data: bytes | str) -> str:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()


def of_value(value) -> str:
    """The digest of plain data (settings, metadata), independent of dict order."""
    return digest(json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")))


def file_digest(path: Path) -> str:
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except FileNotFoundError:
        return "missing"


def stat_sig(path: Path | str) -> str:
    """Size, modification time and inode: enough to notice a replaced file
    without reading it (used for libraries and fonts, and as a shortcut
    before hashing an output)."""
    try:
        st = os.stat(path)
    except OSError:
        return "missing"
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}"


@functools.lru_cache(maxsize=None)
def package_digest() -> str:
    """publish's own code, styles and templates, by content."""
    root = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            h.update(path.relative_to(root).as_posix().encode() + b"\0")
            h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


@functools.lru_cache(maxsize=None)
def pandoc_identity() -> str:
    """The pandoc binaries pypandoc may pick, by ``stat`` — without importing
    pypandoc, which probes them by running each (tens of milliseconds)."""
    if os.environ.get("PYPANDOC_PANDOC"):
        candidates = [os.environ["PYPANDOC_PANDOC"]]
    else:
        candidates = [shutil.which("pandoc") or "", os.path.expanduser("~/bin/pandoc"),
                      os.path.expanduser("~/.bin/pandoc"), os.path.join(sys.exec_prefix, "bin", "pandoc")]
        spec = _find("pypandoc")
        if spec and spec.origin:
            candidates.insert(1, os.path.join(os.path.dirname(os.path.realpath(spec.origin)), "files", "pandoc"))
    return of_value([(c, stat_sig(c)) for c in candidates if c])


def library_identity(*modules: str) -> str:
    """Installed Python libraries by the ``stat`` of their top-level module
    (an upgrade replaces it); cheaper than reading their metadata."""
    out = []
    for name in modules:
        spec = _find(name)
        out.append((name, stat_sig(spec.origin) if spec and spec.origin else "missing"))
    return of_value(out)


def _find(name: str):
    # PathFinder, not importlib.util: finding is all we need, and importlib.util
    # costs a no-op build a tenth of its time to import
    return importlib.machinery.PathFinder.find_spec(name)


class Manifest:
    """Per output (its path relative to the project): the digests it was made
    from, and the digest and ``stat`` of the bytes written.  Anything
    unreadable — a truncated file, another schema — counts as no manifest:
    the worst outcome of a damaged manifest is rendering again."""

    def __init__(self, path: Path, outputs: dict | None = None, progress: dict | None = None):
        self.path = path
        self.outputs: dict[str, dict] = outputs or {}
        self.progress: dict[str, dict] = progress or {}

    @classmethod
    def load(cls, build_dir: Path) -> "Manifest":
        path = build_dir / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("schema") != SCHEMA or not isinstance(data.get("outputs"), dict) \
                    or not isinstance(data.get("progress"), dict):
                raise ValueError
            outputs = {k: v for k, v in data["outputs"].items() if _valid_entry(v)}
            progress = {k: v for k, v in data["progress"].items()
                        if isinstance(v, dict) and isinstance(v.get("key"), str) and isinstance(v.get("counts"), dict)}
        except (OSError, ValueError, AttributeError, TypeError):
            return cls(path)
        return cls(path, outputs, progress)

    def save(self) -> bool:
        data = {"schema": SCHEMA, "outputs": dict(sorted(self.outputs.items())),
                "progress": dict(sorted(self.progress.items()))}
        return write_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n")

    def output_intact(self, rel: str, path: Path) -> bool:
        """Whether the file at ``path`` still holds the bytes recorded for it:
        by ``stat`` when nothing touched it, else by reading it."""
        entry = self.outputs.get(rel)
        if entry is None:
            return False
        if stat_sig(path) == entry["stat"]:
            return True
        return file_digest(path) == entry["sha256"]

    def record(self, rel: str, path: Path, data: bytes, parts: dict[str, str]) -> None:
        self.outputs[rel] = {"parts": parts, "sha256": digest(data), "stat": stat_sig(path)}


def _valid_entry(v) -> bool:
    return (isinstance(v, dict) and isinstance(v.get("parts"), dict) and isinstance(v.get("sha256"), str)
            and isinstance(v.get("stat"), str) and all(isinstance(x, str) for x in v["parts"].values()))
