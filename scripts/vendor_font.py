"""Fetch the pinned Simplified Chinese web font from the npm registry into the book.

Readers without a Chinese system font (a Linux laptop, a school lab, a headless browser)
would otherwise see every Chinese character as an empty box. The site therefore serves
Noto Sans SC itself, from ``@fontsource/noto-sans-sc``: about a hundred unicode-range
subsets per weight, so a page downloads only the pieces holding the characters it shows.

This script runs ``npm pack`` for the pinned version, checks the tarball against its
pinned sha512 integrity (as ``vendor_widget_js.py`` does for the widget JavaScript),
copies the woff2 files of the regular and bold weights into ``book/_static/fonts/`` and
writes ``noto-sans-sc.css`` beside them: fontsource's own ``@font-face`` rules, with the
paths pointing at those files and the woff fallbacks (for browsers older than 2016) left
out. The font is under the SIL Open Font License; its licence file is copied too.

Usage: python scripts/vendor_font.py [--force]
"""

from __future__ import annotations

import re
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from vendor_widget_js import pack  # noqa: E402  (one pinned, checked npm pack for both)

DEST = Path(__file__).resolve().parents[1] / "book" / "_static" / "fonts"
SPEC = "@fontsource/noto-sans-sc@5.3.0"
INTEGRITY = ("sha512-HeqIlGm0+ohOKxZLuHj1qW6r6avHH0OWdKERAcSDI0RQ+MXrteuLKA+M+5eOA8rYy0MF"
             "vOR5AT0fQo2rUkye0Q==")
WEIGHTS = ("400", "700")
FAMILY = "Noto Sans SC"
CSS_NAME = "noto-sans-sc.css"
FILES = "noto-sans-sc"  # sub-folder for the woff2 files

_WOFF_FALLBACK = re.compile(r",\s*url\(\./files/[^)]+\.woff\) format\('woff'\)")


def rewrite_css(css: str) -> str:
    """Point fontsource's rules at the vendored files and keep only the woff2 sources.

    >>> rule = ("src: url(./files/a-400-normal.woff2) format('woff2'), "
    ...         "url(./files/a-400-normal.woff) format('woff');")
    >>> rewrite_css(rule)
    "src: url(noto-sans-sc/a-400-normal.woff2) format('woff2');"
    """
    return _WOFF_FALLBACK.sub("", css).replace("url(./files/", f"url({FILES}/")


def vendor(force: bool = False) -> None:
    stamp = DEST / ".pins"
    wanted = f"{SPEC} {' '.join(WEIGHTS)}"
    if not force and stamp.exists() and stamp.read_text() == wanted:
        return
    files = DEST / FILES
    files.mkdir(parents=True, exist_ok=True)
    for old in files.iterdir():
        old.unlink()
    css = [f"/* {SPEC} (SIL Open Font License 1.1, see {FILES}/LICENSE), written by "
           "scripts/vendor_font.py: do not edit. */\n"]
    with tempfile.TemporaryDirectory() as tmp:
        tarball = pack(SPEC, INTEGRITY, tmp)
        with tarfile.open(tarball) as tar:
            for weight in WEIGHTS:
                text = tar.extractfile(f"package/{weight}.css").read().decode()
                css.append(rewrite_css(text))
            # exactly the files the rules name, and the licence
            names = set(re.findall(rf"url\({FILES}/([^)]+\.woff2)\)", "".join(css)))
            members = {name: f"package/files/{name}" for name in names}
            members["LICENSE"] = "package/LICENSE"
            for name, member in sorted(members.items()):
                (files / name).write_bytes(tar.extractfile(member).read())
    (DEST / CSS_NAME).write_text("\n".join(css), encoding="utf-8")
    stamp.write_text(wanted)
    count = sum(1 for f in files.iterdir() if f.suffix == ".woff2")
    print(f"vendor_font: {count} woff2 subsets of {FAMILY} in {files}")


if __name__ == "__main__":
    vendor(force="--force" in sys.argv[1:])
