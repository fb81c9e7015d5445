"""Grades from the nbgrader gradebook to Canvas or Moodle: two nbgrader exporter plug-ins.

Run from the course folder (the one holding ``nbgrader_config.py``)::

    nbgrader export --exporter=beidaihe_course.grade_export.CanvasExportPlugin \
        --to grades-canvas.csv
    nbgrader export --exporter=beidaihe_course.grade_export.MoodleExportPlugin \
        --to grades-moodle.csv

Both write one row per student in the gradebook (students who submitted nothing too) and one
column per assignment; ``--assignment`` and ``--student`` restrict them, as for nbgrader's
own CSV exporter, and name what is valid when they name something the gradebook lacks. A
cell holds the submission's total score as nbgrader's own CSV export computes it
(autograded or manual points plus extra credit, less any late penalty, never below 0).
**Missing work is a blank cell, not 0**; a submission that scored 0 is ``0``. The files
are UTF-8 without a byte-order mark, comma-separated, written with :mod:`csv`.

What the learning platforms do with these files, and how we know
------------------------------------------------------------------
Canvas's own Instructor Guide page, "How do I import grades in the Gradebook?"
(https://community.canvaslms.com/t5/Instructor-Guide/How-do-I-import-grades-in-the-Gradebook/ta-p/807),
could not be read from here; two projects quote it as listing the columns Student Name,
Student ID, SIS User ID, SIS Login ID and Section, then the assignments
(https://github.com/ucfopen/Materia/issues/1071,
https://github.com/PrairieLearn/PrairieLearn/issues/4547). The exact header text and
what Canvas does with each cell were checked in Canvas's own source instead:

- ``lib/gradebook_exporter.rb`` (https://github.com/instructure/canvas-lms): Canvas's
  gradebook export writes the header ``Student, ID, SIS User ID, SIS Login ID, Section``
  followed by one ``Title (assignment id)`` column per assignment; in the version read it
  writes UTF-8 and adds a byte-order mark only behind a user feature flag, and the importer
  finds its header columns by substring, so a file without a mark is what Canvas expects.
- ``lib/gradebook_importer.rb`` (same repository): the header is accepted when column 1
  contains ``Student``, column 2 contains ``ID``, ``SIS User ID`` and ``SIS Login ID`` may
  follow, and the last student column contains ``Section`` (its content is not used). A
  student row is matched by the Canvas user id in ``ID``, then by ``SIS User ID``, then by
  ``SIS Login ID``, then by the exact name or sortable name ("Last, First"). An assignment
  column titled ``Name (123)`` updates Canvas assignment 123; a column without an id
  updates the assignment with exactly that title, and if there is none Canvas makes a new
  assignment. A first cell containing ``Points Possible`` marks a row that *sets* each
  assignment's points possible, so it is not ignored: this exporter writes no such row
  (conservative: it would change points that the instructor set in Canvas).
- Blank cells: the importer treats a blank cell as "no score"; it is no change when Canvas
  also has no score, but it is listed as a change when Canvas has one (what Canvas then
  does with it was not verified). Check the preview Canvas shows before you accept.

Moodle's documentation page "Grade import" (https://docs.moodle.org/en/Grade_import; the
versioned pages read here are https://docs.moodle.org/311/en/Grade_import and
https://docs.moodle.org/27/en/Grade_import) says that in the import form you pick the CSV
column to identify users by ("Map from") and the user field it holds ("Map to": email
address, ID number, username or user id), map each grade column to a grade item or to a
new one; the 2.6/2.7 pages add that email addresses are matched case-sensitively. The form's
encoding (UTF-8 here) is passed to the CSV reader (``load_csv_content`` in
``grade/import/csv/classes/load_data.php``). How blank cells are treated is not in the
documentation; in Moodle's source (https://github.com/moodle/moodle):

- ``grade/import/csv/classes/load_data.php``: a grade cell that is blank or ``-`` becomes
  "no grade" (``null``); ``grade/import/lib.php`` passes it to
  ``grade_item::update_final_grade``, whose documentation says only ``false`` means "do not
  change". So **a blank cell clears a grade already in Moodle** for that item: blank means
  "no change" only where Moodle has no grade yet.
- The same ``load_data.php`` skips a blank user cell *without resetting the matched user*,
  so that row's grades would go to the student of the row before, and it aborts the whole
  import when a user is not found. This exporter therefore refuses (``ValueError``) to
  write a row whose user cell would be blank.
- The CSV reader (``lib/csvlib.class.php``) strips a UTF-8 byte-order mark if there is one.

Configuration (``nbgrader_config.py``, or ``--CanvasExportPlugin.assignment_ids=...``)::

    c.CanvasExportPlugin.assignment_ids = {"01_meeting_at_beidaihe": 4521}
    c.MoodleExportPlugin.user_field = "username"   # or "email" (default), "idnumber"
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable, Mapping

try:  # nbgrader (and its traitlets) come with the instructor extra
    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.plugins.export import ExportPlugin
    from traitlets import Dict, Unicode
except ModuleNotFoundError as err:  # pragma: no cover (the test extra installs nbgrader)
    raise ModuleNotFoundError(
        f"grade export needs {err.name!r}; install it with: "
        "pip install 'beidaihe-course[instructor]'", name=err.name) from err

__all__ = [
    "CANVAS_STUDENT_COLUMNS",
    "CanvasExportPlugin",
    "MOODLE_USER_FIELDS",
    "MoodleExportPlugin",
    "canvas_assignment_column",
    "format_score",
    "score_table",
]

#: Canvas's student columns, spelled and ordered as Canvas's own gradebook export writes them
#: (``lib/gradebook_exporter.rb`` in instructure/canvas-lms; see the module docstring).
CANVAS_STUDENT_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")

#: Moodle "Map to" user fields -> (CSV header, nbgrader Student attribute). The header is
#: free text (the instructor maps it in Moodle's import form); these follow the form's labels.
MOODLE_USER_FIELDS = {
    "email": ("Email address", "email"),
    "username": ("Username", "id"),
    "idnumber": ("ID number", "id"),
}

_TITLE_WITH_ID = re.compile(r"\A(.*)\s\((\d+)\)\Z")  # Canvas's Assignment.title_and_id


def format_score(score: float | None) -> str:
    """One grade cell: ``None`` (no submission) is blank, a number is written plainly.

    Rounded to 4 decimals, without trailing zeros or float noise.

    >>> [format_score(s) for s in (None, 0.0, 3.0, 2.5, 0.1 + 0.2, 7.123456)]
    ['', '0', '3', '2.5', '0.3', '7.1235']
    >>> format_score(float("nan"))
    Traceback (most recent call last):
    ...
    ValueError: a score must be a finite number or None, not nan
    """
    if score is None:
        return ""
    if isinstance(score, bool) or not isinstance(score, (int, float)) or not math.isfinite(score):
        raise ValueError(f"a score must be a finite number or None, not {score!r}")
    text = f"{round(float(score), 4):.4f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def canvas_assignment_column(name: str, canvas_id: int | str | None = None) -> str:
    """The Canvas header for an assignment: ``Name (id)`` when its Canvas id is known.

    Without an id Canvas matches the column by its exact title, or creates an assignment.

    >>> canvas_assignment_column("02_peoples_communes", 4521)
    '02_peoples_communes (4521)'
    >>> canvas_assignment_column("02_peoples_communes")
    '02_peoples_communes'
    >>> canvas_assignment_column("quiz", "4x")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: the Canvas id of assignment 'quiz' must be a positive whole number ..., not '4x'
    """
    if canvas_id is None:
        if _TITLE_WITH_ID.match(name):
            raise ValueError(
                f"assignment {name!r} ends in a number in parentheses, which Canvas would read "
                "as an assignment id; give its Canvas id in CanvasExportPlugin.assignment_ids")
        return name
    digits = str(canvas_id).strip()
    if isinstance(canvas_id, bool) or not digits.isdigit() or not digits.isascii() \
            or int(digits) == 0:
        raise ValueError(
            f"the Canvas id of assignment {name!r} must be a positive whole number (the digits "
            f"at the end of the assignment's Canvas address), not {canvas_id!r}")
    return f"{name} ({int(digits)})"


def _chosen(kind: str, wanted: Iterable, available: list[str]) -> list[str]:
    """The names in ``available`` to export: all, or those ``wanted``, which must exist."""
    wanted = [str(item) for item in wanted]
    unknown = sorted(set(wanted) - set(available))
    if unknown:
        raise ValueError(f"no {kind} {', '.join(map(repr, unknown))} in the gradebook; "
                         f"valid: {', '.join(map(repr, available)) or '(none)'}")
    return [name for name in available if not wanted or name in wanted]


def score_table(gradebook: Gradebook, assignments: Iterable = (), students: Iterable = ()
                ) -> tuple[list[str], list, dict]:
    """Assignment names, Student records and ``{(student id, assignment): score or None}``.

    ``assignments``/``students`` restrict the export (empty: everything); ``None`` marks no
    submission. The score is nbgrader's own export score: ``max(0, score - late penalty)``.
    """
    names = _chosen("assignment", assignments,
                    [a.name for a in sorted(gradebook.assignments,
                                            key=lambda a: (a.duedate is None, a.duedate, a.name))])
    people = {s.id: s for s in gradebook.students}
    ids = _chosen("student", students, sorted(people))
    table: dict[tuple[str, str], float | None] = {}
    for name in names:
        for student_id in ids:
            try:
                submission = gradebook.find_submission(name, student_id)
            except MissingEntry:
                table[student_id, name] = None
            else:
                penalty = submission.late_submission_penalty or 0.0
                table[student_id, name] = max(0.0, submission.score - penalty)
    return names, [people[i] for i in ids], table


class _GradeExportPlugin(ExportPlugin):
    """Shared writing: a header, then one row per student."""

    default_file = "grades.csv"

    def export(self, gradebook: Gradebook) -> None:
        names, students, table = score_table(gradebook, self.assignment, self.student)
        dest = self.to or self.default_file
        header, rows = self.header(names), [self.row(s, names, table) for s in students]
        self.log.info("Writing %d students x %d assignments to %s", len(rows), len(names), dest)
        with open(dest, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(rows)

    def header(self, names: list[str]) -> list[str]:
        raise NotImplementedError

    def row(self, student, names: list[str], table: Mapping) -> list[str]:
        raise NotImplementedError


class CanvasExportPlugin(_GradeExportPlugin):
    """A CSV for Canvas's Gradebook import (Grades > Import); see the module docstring.

    Columns: ``Student`` ("Last, First", or the nbgrader id when the gradebook has no
    name), ``ID`` (the Canvas user id: the student's ``lms_user_id`` when it is all digits,
    else blank, because Canvas reads a leading number as a user id), ``SIS User ID`` and
    ``SIS Login ID`` (both the nbgrader student id), ``Section`` (blank; Canvas does not
    read it), then one column per assignment, titled ``Name (canvas id)`` when
    :attr:`assignment_ids` has its id.
    """

    default_file = "grades-canvas.csv"

    assignment_ids = Dict(
        key_trait=Unicode(),
        help="Canvas assignment id for each nbgrader assignment name, e.g. "
             "{'01_meeting_at_beidaihe': 4521}: the number at the end of the assignment's "
             "Canvas address. Assignments without one are matched by exact title in Canvas, "
             "or created.").tag(config=True)

    def header(self, names: list[str]) -> list[str]:
        unknown = sorted(set(self.assignment_ids) - set(names))
        if unknown:
            raise ValueError(
                f"CanvasExportPlugin.assignment_ids names {', '.join(map(repr, unknown))}, "
                f"not among the exported assignments: {', '.join(map(repr, names))}")
        return [*CANVAS_STUDENT_COLUMNS,
                *(canvas_assignment_column(n, self.assignment_ids.get(n)) for n in names)]

    def row(self, student, names: list[str], table: Mapping) -> list[str]:
        last, first = (student.last_name or "").strip(), (student.first_name or "").strip()
        name = ", ".join(part for part in (last, first) if part) or student.id
        lms_id = (student.lms_user_id or "").strip()
        canvas_id = lms_id if lms_id.isdigit() and lms_id.isascii() else ""
        return [name, canvas_id, student.id, student.id, "",
                *(format_score(table[student.id, n]) for n in names)]


class MoodleExportPlugin(_GradeExportPlugin):
    """A CSV for Moodle's "Import grades from CSV file"; see the module docstring.

    Columns: the user column named by :attr:`user_field` (map it in the import form:
    "Map from" this column, "Map to" the same field), then one column per assignment,
    titled with the nbgrader assignment name (map each to its grade item).
    """

    default_file = "grades-moodle.csv"

    user_field = Unicode(
        "email",
        help="Moodle user field that identifies students: 'email' (the nbgrader email), "
             "'username' or 'idnumber' (both the nbgrader student id).").tag(config=True)

    def header(self, names: list[str]) -> list[str]:
        if self.user_field not in MOODLE_USER_FIELDS:
            raise ValueError(f"MoodleExportPlugin.user_field must be one of "
                             f"{', '.join(map(repr, MOODLE_USER_FIELDS))}, not {self.user_field!r}")
        return [MOODLE_USER_FIELDS[self.user_field][0], *names]

    def row(self, student, names: list[str], table: Mapping) -> list[str]:
        attribute = MOODLE_USER_FIELDS[self.user_field][1]
        user = (getattr(student, attribute) or "").strip()
        if not user:
            raise ValueError(
                f"student {student.id!r} has no {attribute} in the gradebook; Moodle would give "
                "a row with a blank user to the student above it. Fill it in, leave the student "
                "out with --student, or set MoodleExportPlugin.user_field to one of "
                f"{', '.join(map(repr, MOODLE_USER_FIELDS))}")
        return [user, *(format_score(table[student.id, n]) for n in names)]
