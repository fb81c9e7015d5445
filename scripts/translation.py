"""Keep the Chinese edition in step with the English (see TRANSLATION.md).

    python scripts/translation.py update        # re-extract the English, merge into the .po
    python scripts/translation.py check [PO...] # every entry translated, markup kept
    python scripts/translation.py stale         # every English passage has its translation

``update`` runs Sphinx's gettext builder over the book (no notebook is executed) and
``sphinx-intl update``, which marks an entry whose English changed as fuzzy and adds new
English as untranslated; ``check`` then names each such passage. ``check`` also compares
the markup of every translation with its English: citations, cross-reference targets,
inline code, maths and link addresses must be the same, so the Chinese page cites, links
and computes exactly what the English one does.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Every catalog ships inside the package: the lessons' and pages' (Sphinx's, one per
#: document, also used by ``beidaihe-course lessons --lang zh``), the quizzes', and the
#: package's own strings.
PACKAGE = ROOT / "src" / "beidaihe_course"
LOCALES = PACKAGE / "locales"
CATALOGS = LOCALES / "zh_CN" / "LC_MESSAGES"
QUIZ_TEXT_KEYS = ("question", "answer", "feedback")

_CITE = re.compile(r"\{cite(?::\w+)?\}`[^`]*`")
_XREF = re.compile(r"\{(?:doc|ref|numref|download|eq)\}`(?:[^`<]*<([^`>]+)>|([^`<]+))`")
_CODE = re.compile(r"(?<![}`])`([^`]+)`(?!`)")
_MATH = re.compile(r"(?<![\\$])\$[^$\n]+\$")
_LINK = re.compile(r"\]\(([^)\s]+)\)")
#: A heading such as "4. Why: …": Sphinx parses a translation as a paragraph, where
#: "4. " would start a list, so the translation must escape the full stop ("4\\. ").
_NUMBERED = re.compile(r"^\d+\. ")
_NUMBERED_ESCAPED = re.compile(r"^\d+\\\. ")
_PLACEHOLDER = re.compile(r"(?<!\{)\{[a-z_][a-z0-9_]*(?::[^{}`]*)?\}(?![`}])")  # Python's format


def markup(text: str) -> Counter:
    """The parts of a passage that a translation must keep as they are.

    >>> sorted(markup("As {cite:p}`a,b` show, see {doc}`this page <x>` and `load()`."))
    ['cite:{cite:p}`a,b`', 'code:load()', 'xref:x']
    >>> sorted(markup("{mark}: {share:.0%} of {total:.1f}"))
    ['placeholder:{mark}', 'placeholder:{share:.0%}', 'placeholder:{total:.1f}']
    """
    parts: Counter = Counter()
    parts.update(f"cite:{m}" for m in _CITE.findall(text))
    parts.update(f"xref:{a or b}" for a, b in _XREF.findall(text))
    stripped = _XREF.sub("", _CITE.sub("", text))
    stripped = re.sub(r"\{[\w:-]+\}`[^`]*`", "", stripped)
    parts.update(f"code:{m}" for m in _CODE.findall(stripped))
    parts.update(f"math:{m}" for m in _MATH.findall(stripped))
    parts.update(f"link:{m}" for m in _LINK.findall(text))
    parts.update(f"placeholder:{m}" for m in _PLACEHOLDER.findall(stripped))
    return parts


def problems(po_path: Path) -> list[str]:
    """Every untranslated, fuzzy or markup-changing entry of one catalog, by its English."""
    import polib

    found = []
    name = po_path.relative_to(ROOT) if po_path.is_relative_to(ROOT) else po_path
    for entry in polib.pofile(str(po_path)):
        if entry.obsolete:
            continue
        english = entry.msgid[:90] + ("…" if len(entry.msgid) > 90 else "")
        if "fuzzy" in entry.flags:
            found.append(f"{name}: the English changed, update the translation: {english!r}")
        elif not entry.msgstr.strip():
            found.append(f"{name}: not translated: {english!r}")
        elif _NUMBERED.match(entry.msgid) and not _NUMBERED_ESCAPED.match(entry.msgstr):
            found.append(f"{name}: a translation starting with a number and '. ' is read "
                         f"as a list and left in English; write 'N\\.': {english!r}")
        else:
            want, got = markup(entry.msgid), markup(entry.msgstr)
            if want != got:
                missing = sorted((want - got).elements())
                extra = sorted((got - want).elements())
                found.append(f"{name}: markup differs from the English {english!r}: "
                             f"missing {missing}, unexpected {extra}")
    return found


def stale(pot: Path, catalogs: Path = CATALOGS) -> list[str]:
    """Every English passage of the freshly extracted templates in ``pot`` whose catalog
    (in ``catalogs``) has no current translation of exactly that English (new, edited, or
    fuzzy)."""
    import polib

    found = []
    for template in sorted(pot.rglob("*.pot")):
        rel = template.relative_to(pot).with_suffix(".po")
        path = catalogs / rel
        entries = ({e.msgid: e for e in polib.pofile(str(path)) if not e.obsolete}
                   if path.exists() else {})
        for entry in polib.pofile(str(template)):
            english = entry.msgid[:90] + ("…" if len(entry.msgid) > 90 else "")
            have = entries.get(entry.msgid)
            if have is None:
                found.append(f"{rel}: no translation of this English (new or edited "
                             f"since it was translated; run `make gettext`): {english!r}")
            elif "fuzzy" in have.flags or not have.msgstr.strip():
                found.append(f"{rel}: the translation is fuzzy or empty: {english!r}")
    return found


def fresh_templates(out: Path) -> Path:
    """Extract every template (the book's and the package's) into ``out``."""
    pot = extract(out)
    extract_package(pot)
    return pot


def catalogs() -> list[Path]:
    return sorted(CATALOGS.rglob("*.po"))


def extract(out: Path, root: Path = ROOT) -> Path:
    """Run the gettext builder over the book into ``out``; return the folder of .pot files."""
    jb = Path(sys.executable).with_name("jupyter-book")
    subprocess.run([str(jb), "build", str(root), "--builder", "custom",
                    "--custom-builder", "gettext", "--path-output", str(out)],
                   check=True, capture_output=True, text=True)
    pot = out / "_build" / "gettext"
    for extra in pot.glob("_static"):  # a sphinx-exercise asset, no prose
        import shutil

        shutil.rmtree(extra)
    add_figure_alt_texts(pot, root)
    return pot


def add_figure_alt_texts(pot: Path, root: Path = ROOT) -> None:
    """Add each lesson figure's alt text (cell metadata ``mystnb.image.alt``) to the
    lesson's catalog: the extraction runs no code, so it makes no figure to find it in."""
    import json

    from babel.messages.pofile import read_po, write_po

    for lesson in sorted((root / "lessons").glob("*.ipynb")):
        target = pot / "lessons" / f"{lesson.stem}.pot"
        with target.open("rb") as handle:
            catalog = read_po(handle)
        for cell in json.loads(lesson.read_text(encoding="utf-8"))["cells"]:
            alt = cell.get("metadata", {}).get("mystnb", {}).get("image", {}).get("alt")
            if alt and alt not in catalog:
                catalog.add(alt)
        with target.open("wb") as handle:
            write_po(handle, catalog, width=0)


def quiz_messages(quiz: Path) -> list[str]:
    """The prose of one quiz file: questions, answer options and feedback, in order."""
    import json

    found: list[str] = []

    def walk(value) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key in QUIZ_TEXT_KEYS and isinstance(item, str) and item not in found:
                    found.append(item)
                else:
                    walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(json.loads(quiz.read_text(encoding="utf-8")))
    return found


def write_pot(messages: list[str], path: Path) -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    catalog = Catalog(project="beidaihe-course", charset="utf-8")
    for message in messages:
        catalog.add(message)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=0, omit_header=False)


#: The datasets' prose that the book shows to readers (generated tables and pages), by
#: dataset and column; names, dates, figures and source keys are not translated.
DATA_TEXT = {"timeline": ("event",), "famine_estimates": ("period", "method"),
             "lost_births": ("period", "method"),
             "documents": ("issuer", "translation_note")}
#: gettext's keywords in the package's code: a literal in ``gettext(...)`` or ``_(...)``
#: is shown translated; ``N_(...)`` marks a literal that is translated where it is shown.
KEYWORDS = {"_": None, "gettext": (1,), "N_": None}


def package_messages() -> list[str]:
    """Every literal the package's code marks for translation, in file order."""
    from babel.messages.extract import extract_from_file

    found: list[str] = []
    for source in sorted(PACKAGE.glob("*.py")):
        for _line, message, _comments, _context in extract_from_file(
                "python", str(source), keywords=KEYWORDS):
            if isinstance(message, str) and message not in found:
                found.append(message)
    return found


def data_messages() -> list[str]:
    """The datasets' prose listed in :data:`DATA_TEXT`, in file order."""
    import csv

    found: list[str] = []
    for name, columns in DATA_TEXT.items():
        with (PACKAGE / "data" / f"{name}.csv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                for column in columns:
                    text = (row[column] or "").strip()
                    if re.search("[A-Za-z]", text) and text not in found:
                        found.append(text)
    return found


def extract_package(out: Path) -> Path:
    """Write the package's .pot files: one per quiz, the package's strings, the data's."""
    for quiz in sorted((PACKAGE / "quizzes").glob("*.json")):
        write_pot(quiz_messages(quiz), out / "quizzes" / f"{quiz.stem}.pot")
    write_pot(package_messages(), out / "package.pot")
    write_pot(data_messages(), out / "data.pot")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("update", help="re-extract the English and merge it into the catalogs")
    check = sub.add_parser("check", help="report untranslated, fuzzy or broken entries")
    check.add_argument("po", nargs="*", type=Path, help="catalogs (default: all)")
    sub.add_parser("stale", help="name every English passage without a current translation")
    args = parser.parse_args(argv)
    if args.command == "stale":
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            found = stale(fresh_templates(Path(tmp)))
        print("\n".join(found) or "Every English passage has a current translation.")
        return 1 if found else 0
    if args.command == "update":
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            pot = fresh_templates(Path(tmp))
            intl = str(Path(sys.executable).with_name("sphinx-intl"))
            subprocess.run([intl, "update", "-p", str(pot), "-d", str(LOCALES),
                            "-l", "zh_CN", "-w", "0"], check=True)
        return 0
    found = [p for po in (args.po or catalogs()) for p in problems(po.resolve())]
    print("\n".join(found) or "All entries are translated and keep their markup.")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
