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
        written = write_learner_copies(target, solutions=solutions, force=args.force,
                                       lang=args.lang)
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
        written = grading.write_course(args.directory, force=args.force, lang=args.lang)
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


def _classroom(args: argparse.Namespace) -> int:
    from beidaihe_course import classroom

    students = list(args.student)
    if args.students_file:
        try:
            text = Path(args.students_file).read_text(encoding="utf-8")
        except OSError as err:
            return _fail(f"cannot read the students file {args.students_file}: "
                         f"{err.strerror}; give a file with one account name per line")
        students += [line.strip() for line in text.splitlines()
                     if line.strip() and not line.lstrip().startswith("#")]
    try:
        options = {"db_url": args.db_url} if args.db_url else {}
        if args.sandbox:
            options["sandboxes"] = tuple(args.sandbox)
        room = classroom.Classroom(args.directory, instructors=tuple(args.instructor),
                                   students=tuple(students), hub_port=args.port,
                                   formgrader_port=args.formgrader_port, **options)
        written = classroom.write_classroom(room, force=args.force)
    except (FileExistsError, ValueError, TypeError) as err:
        return _fail(str(err))
    except OSError as err:
        return _fail(f"cannot write the classroom to {args.directory}: {err.strerror} "
                     f"({err.filename}); choose a folder you can write to")
    print(f"Wrote a classroom for {len(room.instructors)} instructor(s) and "
          f"{len(room.students)} student(s) to {room.root} ({len(written)} files).")
    print(f"Next, as root: sh {room.root}/setup.sh  (then see {room.root}/README.md)")
    return 0


def _autograde(args: argparse.Namespace) -> int:
    from beidaihe_course import class_grading

    try:
        results = class_grading.autograde_class(args.course, args.assignment,
                                                students=args.student or None,
                                                workers=args.workers)
    except (ValueError, TypeError) as err:
        return _fail(str(err))
    failed = [student for student, (ok, _) in results.items() if not ok]
    print(f"Autograded {len(results)} submission(s) of {args.assignment}; "
          f"{len(failed)} could not be graded" + (f": {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


def _list_datasets(args: argparse.Namespace) -> int:
    for name in datasets.list_datasets():
        print(f"{name}: {', '.join(datasets.columns(name))}")
    return 0


def _fail(message: str) -> int:
    print(f"beidaihe-course: error: {message}", file=sys.stderr)
    return 2


LANGUAGE_CHOICES = ("en", "zh")


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
    lessons.add_argument("--lang", choices=LANGUAGE_CHOICES, default="en",
                         help="language of the lessons: en (default) or zh (Simplified "
                              "Chinese; same code and exercises)")
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
    course.add_argument("--lang", choices=LANGUAGE_CHOICES, default="en",
                        help="language of the assignments: en (default) or zh (Simplified "
                             "Chinese; same code, exercise labels and grade ids)")
    course.set_defaults(func=_nbgrader_course)
    room = sub.add_parser(
        "classroom", help="lay out a JupyterHub classroom with nbgrader and sandboxed grading",
        description="Write into DIRECTORY a jupyterhub_config.py (instructors and students "
                    "groups, nbgrader's formgrader as a service only instructors may open), "
                    "the nbgrader course with a PostgreSQL gradebook, the sandboxed grading "
                    "kernel with its sudoers rule, setup.sh (run once as root) and "
                    "z2jh-values.yaml for Kubernetes. Refuses to replace those files "
                    "unless --force.")
    room.add_argument("directory", help="folder for the classroom (created if missing)")
    room.add_argument("--instructor", action="append", required=True, metavar="ACCOUNT",
                      help="an instructor's account name (repeat for several)")
    room.add_argument("--student", action="append", default=[], metavar="ACCOUNT",
                      help="a student's account name (repeat for several)")
    room.add_argument("--students-file", metavar="FILE",
                      help="a file with one student account name per line")
    room.add_argument("--db-url", metavar="URL",
                      help="the gradebook's PostgreSQL address (default: the database "
                           "beidaihe1958 on this machine, postgresql:///beidaihe1958)")
    room.add_argument("--sandbox", action="append", metavar="ACCOUNT",
                      help="a sandbox account for grading (repeat; default: one per core, "
                           "beidaihe1958-sandbox1, ...)")
    room.add_argument("--port", type=int, default=8000, help="the hub's port (default 8000)")
    room.add_argument("--formgrader-port", type=int, default=9999,
                      help="the local port of the formgrader service (default 9999)")
    room.add_argument("--force", action="store_true",
                      help="replace the classroom files that already exist")
    room.set_defaults(func=_classroom)
    grade = sub.add_parser(
        "autograde", help="autograde every collected submission, in parallel and sandboxed",
        description="Run nbgrader's autograder on every collected submission of ASSIGNMENT, "
                    "one worker per core, each running student code as its own sandbox "
                    "account. Every submission gets a gradebook row; the exit status is 1 "
                    "when any could not be graded.")
    grade.add_argument("assignment", help="the assignment, such as 03_production_targets")
    grade.add_argument("--course", default=".", help="the course folder (default: here)")
    grade.add_argument("--student", action="append", metavar="ID",
                       help="grade only this student's submission (repeat for several)")
    grade.add_argument("--workers", type=int, default=None,
                       help="how many at once (default: one per core)")
    grade.set_defaults(func=_autograde)
    data = sub.add_parser("datasets", help="list the datasets and their columns",
                          description="List the sourced datasets shipped with the course.")
    data.set_defaults(func=_list_datasets)
    return parser


#: Which extra provides the packages a subcommand may need beyond a plain install.
EXTRAS = {"nbgrader-course": "instructor", "classroom": "instructor",
          "autograde": "classroom", "lessons": "dev", "datasets": "dev"}


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
