"""Fonts the editions are set in, found through fontconfig."""
from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

from ..errors import PublishError

FONTS = {
    "fa": ("Noto Naskh Arabic", "fonts-noto-core"),
    "en": ("Noto Serif", "fonts-noto-core"),
}
DEFAULT = ("Noto Serif", "fonts-noto-core")


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
        family, package = FONTS.get(lang, DEFAULT)
        font_file(family, "", package)
