"""Fonts the editions are set in, found through fontconfig."""
from __future__ import annotations

import functools
import re
import shutil
import subprocess
from pathlib import Path

from .. import languages
from ..errors import PublishError

# by the script a language is written in (fa, prs, ckb: Arabic), not by the
# language itself
FONTS = {
    "Arab": ("Noto Naskh Arabic", "fonts-noto-core"),
}
DEFAULT = ("Noto Serif", "fonts-noto-core")


def family(lang: str) -> tuple[str, str]:
    """(font family, Debian package) a language is set in."""
    return FONTS.get(languages.parse(lang).script, DEFAULT)


@functools.lru_cache(maxsize=None)
def font_file(family: str, style: str = "", package: str = "fonts-noto-core") -> Path:
    """The file fontconfig gives for ``family``; an error naming the Debian
    package when fontconfig only has a substitute."""
    if not shutil.which("fc-match"):
        raise PublishError(f"fontconfig is not installed: apt-get install fontconfig {package}")
    pattern = family + (f":{style}" if style else "")
    out = subprocess.run(["fc-match", "-f", "%{family}\t%{file}", pattern], capture_output=True, text=True)
    found_family, _, path = out.stdout.partition("\t")
    if family.lower() not in found_family.lower() or not path:
        raise PublishError(f"font {family!r} is not installed (fontconfig offers {found_family or 'nothing'}): "
                           f"apt-get install {package}")
    return Path(path)


def require(langs) -> None:
    for lang in langs:
        name, package = family(lang)
        font_file(name, "", package)


def script_css(css: str, langs) -> str:
    """The stylesheets set Persian by ``:lang(fa)`` and ``[lang="fa"]``
    (the Naskh font, its line height and size); another language of the
    edition written in Arabic script (ckb, prs) is set the same way, so its
    text is not drawn in the Latin serif and a fallback font.  Each such
    selector is repeated for it, and ``:not(:lang(fa))`` excludes it too:
    selectors of CSS 3, which epubcheck's parser reads (``:is()`` it does not)."""
    others = [t for t in dict.fromkeys(langs)
              if family(t) == FONTS["Arab"] and languages.parse(t).tag.split("-")[0] != "fa"]
    if not others:
        return css
    tags = ["fa", *others]
    negated = "".join(f":not(:lang({t}))" for t in tags)

    def selectors(m: re.Match) -> str:
        if ":lang(fa)" not in m.group(1) and '[lang="fa"]' not in m.group(1):
            return m.group(0)
        out = []
        for sel in m.group(1).split(","):
            sel = sel.strip().replace(":not(:lang(fa))", "\0")
            if ":lang(fa)" in sel or '[lang="fa"]' in sel:
                out += [sel.replace(":lang(fa)", f":lang({t})").replace('[lang="fa"]', f'[lang="{t}"]') for t in tags]
            else:
                out.append(sel)
        lead = m.group(1)[: len(m.group(1)) - len(m.group(1).lstrip())]
        return lead + ", ".join(out).replace("\0", negated) + " {"

    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)   # a comment may quote a selector
    return re.sub(r"([^{}@;]+)\{", selectors, css)
