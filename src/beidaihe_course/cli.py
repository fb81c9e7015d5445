"""The ``beidaihe-course`` command for learners and instructors.

>>> main(["--version"])  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
SystemExit: 0
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from beidaihe_course import __version__, datasets


def _copy_lessons(args: argparse.Namespace) -> int:
    from beidaihe_course.learner_copy import write_learner_copies

    target = Path(args.directory)
    if target.exists() and not target.is_dir():
        return _fail(f"{target} exists and is not a directory; give a folder path")
    solutions = "omit" if args.no_solutions else "fold"
    try:
        written = write_learner_copies(target, solutions=solutions, force=args.force)
    except (FileExistsError, ValueError) as err:
        return _fail(str(err))
    except OSError as err:
        return _fail(f"cannot write lessons to {target}: {err.strerror}; "
                     "choose a folder you can write to")
    folded = "without solutions" if args.no_solutions else "solutions folded"
    print(f"Wrote {len(written)} lessons to {target} ({folded}). "
          f"Open them with: jupyter lab {target}")
    return 0


def _nbgrader_course(args: argparse.Namespace) -> int:
    from beidaihe_course import grading

    try:
        written = grading.write_course(args.directory, force=args.force)
    except FileExistsError as err:
        return _fail(str(err))
    except ValueError as err:
        return _fail(f"{err}; give a folder path")
    except OSError as err:
        return _fail(f"cannot write the course to {args.directory}: {err.strerror}; "
                     "choose a folder you can write to")
    print(f"Wrote an nbgrader course with {len(written)} assignments to {args.directory}.")
    print(f"Next: cd {args.directory} && nbgrader generate_assignment <lesson>  "
          "(see the instructor guide)")
    return 0


def _list_datasets(args: argparse.Namespace) -> int:
    for name in datasets.list_datasets():
        print(f"{name}: {', '.join(datasets.columns(name))}")
    return 0


def _fail(message: str) -> int:
    print(f"beidaihe-course: error: {message}", file=sys.stderr)
    return 2


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser (every subcommand documents itself in ``--help``)."""
    parser = argparse.ArgumentParser(
        prog="beidaihe-course",
        description="Tools for the Beidaihe 1958 course: get the lessons, set up "
                    "an nbgrader course, list the data.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(title="commands", dest="command", required=True)
    lessons = sub.add_parser(
        "lessons", help="write learner copies of the lesson notebooks into a folder",
        description="Write a learner's copy of every lesson into DIRECTORY (created if "
                    "missing): the book's markup turned into plain Markdown, citations "
                    "author-year with a References list, links to the sibling notebooks "
                    "or the published book, solutions folded (or left out with "
                    "--no-solutions), no teaching notes. Code cells are unchanged. "
                    "Existing files are kept unless --force.")
    lessons.add_argument("directory", help="folder to write the lessons into")
    lessons.add_argument("--force", action="store_true",
                         help="overwrite lessons that already exist in DIRECTORY")
    lessons.add_argument("--no-solutions", action="store_true",
                         help="leave the solutions out instead of folding them")
    lessons.set_defaults(func=_copy_lessons)
    course = sub.add_parser(
        "nbgrader-course", help="lay out an nbgrader course with every lesson's exercises",
        description="Write nbgrader_config.py and source/<lesson>/<lesson>.ipynb for every "
                    "lesson with exercises into DIRECTORY: autograded answers with visible "
                    "and hidden tests, and manually graded written answers. Refuses to "
                    "replace an existing course unless --force.")
    course.add_argument("directory", help="folder for the nbgrader course (created if missing)")
    course.add_argument("--force", action="store_true",
                        help="replace the source notebooks and config of an existing course")
    course.set_defaults(func=_nbgrader_course)
    data = sub.add_parser("datasets", help="list the datasets and their columns",
                          description="List the sourced datasets shipped with the course.")
    data.set_defaults(func=_list_datasets)
    return parser


#: Which extra provides the packages a subcommand may need beyond a plain install.
EXTRAS = {"nbgrader-course": "instructor", "lessons": "dev", "datasets": "dev"}


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status (2 for a usage or setup error)."""
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ModuleNotFoundError as err:  # a package this installation does not have
        extra = EXTRAS.get(args.command, "dev")
        return _fail(f"this command needs {err.name!r}, which is not installed; install it "
                     f"with: pip install 'beidaihe-course[{extra}]'")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
