"""Grade export to Canvas and Moodle, checked on a real nbgrader gradebook.

The gradebook (SQLite in a temporary folder) is built through nbgrader's ``Gradebook`` API:
two assignments with grade cells, three students, one of whom submitted nothing, one
submission scored 0 and one manual grade. The exports run through the real
``nbgrader export --exporter=...`` command and, for restrictions
and bad configuration, in-process.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from beidaihe_course.grade_export import CanvasExportPlugin, MoodleExportPlugin

# Each nbgrader run and the gradebook (nbgrader runs alembic) take seconds: second tier.
# The SAWarnings come from inside nbgrader's Gradebook.add_submission.
pytestmark = [pytest.mark.slow,
              pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")]
BIN = str(Path(sys.executable).parent)
SRC = str(Path(__file__).resolve().parents[1] / "src")

# The students: id -> (first, last, email, lms_user_id). Bob's LMS id is an LTI hash, not
# a Canvas user id; Carol submitted nothing.
STUDENTS = {
    "alice": ("Alice", "Zhang", "alice@example.org", "101"),
    "bob": ("Bob", "Li", "bob@example.org", "7f3a9c"),
    "carol": ("Carol", "王", "carol@example.org", None),
}
# Scores set below: alice ps1 = 2 (auto) + 2.5 (manual) = 4.5, alice ps2 = 0 (auto);
# bob ps1 = 1 (auto) + 3 (manual, overriding the autograder's 0) = 4, no ps2.


@pytest.fixture(scope="module")
def db_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('gradebook') / 'gradebook.db'}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PATH", BIN + os.pathsep + os.environ["PATH"])  # nbgrader runs alembic
        with Gradebook(url) as gb:
            gb.add_assignment("ps1", duedate="2026-09-01 12:00:00")
            gb.add_notebook("p1", "ps1")
            gb.add_grade_cell("q1", "p1", "ps1", max_score=2, cell_type="code")
            gb.add_grade_cell("q2", "p1", "ps1", max_score=3, cell_type="markdown")
            gb.add_assignment("ps2", duedate="2026-09-08 12:00:00")
            gb.add_notebook("p2", "ps2")
            gb.add_grade_cell("a", "p2", "ps2", max_score=5, cell_type="code")
            for sid, (first, last, email, lms) in STUDENTS.items():
                gb.add_student(sid, first_name=first, last_name=last, email=email,
                               lms_user_id=lms)
            grades = {("ps1", "alice"): {("q1", "p1"): (2, None), ("q2", "p1"): (None, 2.5)},
                      ("ps2", "alice"): {("a", "p2"): (0, None)},
                      ("ps1", "bob"): {("q1", "p1"): (1, None), ("q2", "p1"): (0, 3)}}
            for (assignment, student), cells in grades.items():
                gb.add_submission(assignment, student)
                for (cell, notebook), (auto, manual) in cells.items():
                    grade = gb.find_grade(cell, notebook, assignment, student)
                    grade.auto_score, grade.manual_score = auto, manual
            gb.db.commit()
            assert gb.find_submission("ps1", "alice").score == 4.5  # the fixture, not the code
    return url


def nbgrader_export(cwd: Path, db_url: str, exporter: str, *args: str, check: bool = True):
    """``nbgrader export`` with the venv's nbgrader, this worktree's package first."""
    env = {**os.environ, "PATH": BIN + os.pathsep + os.environ["PATH"],
           "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    cmd = [f"{BIN}/nbgrader", "export", f"--exporter=beidaihe_course.grade_export.{exporter}",
           f"--db={db_url}", *args]
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # no byte-order mark
    with open(path, encoding="utf-8", newline="") as fh:  # fails if not UTF-8
        return list(csv.reader(fh))


def test_canvas_csv_through_nbgrader_export(db_url, tmp_path):
    (tmp_path / "nbgrader_config.py").write_text(
        'c = get_config()\nc.CanvasExportPlugin.assignment_ids = {"ps1": 4521}\n')
    nbgrader_export(tmp_path, db_url, "CanvasExportPlugin", "--to=grades-canvas.csv")
    header, *rows = read_csv(tmp_path / "grades-canvas.csv")

    # Canvas's gradebook export writes these student columns, in this order (Canvas
    # source, lib/gradebook_exporter.rb, https://github.com/instructure/canvas-lms), and
    # titles an existing assignment "Title (id)" (Assignment#title_with_id); the Instructor
    # Guide lists the same columns:
    # https://community.canvaslms.com/t5/Instructor-Guide/How-do-I-import-grades-in-the-Gradebook/ta-p/807
    assert header == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                      "ps1 (4521)", "ps2"]
    # What Canvas's importer checks before it accepts a header (lib/gradebook_importer.rb):
    # column 1 contains "Student", column 2 "ID", and the last student column "Section".
    assert "Student" in header[0] and "ID" in header[1] and "Section" in header[4]

    by_login = {row[3]: row for row in rows}
    assert len(rows) == len(by_login) == len(STUDENTS)
    assert by_login["alice"] == ["Zhang, Alice", "101", "alice", "alice", "", "4.5", "0"]
    assert by_login["bob"] == ["Li, Bob", "", "bob", "bob", "", "4", ""]
    assert by_login["carol"] == ["王, Carol", "", "carol", "carol", "", "", ""]


def test_moodle_csv_through_nbgrader_export(db_url, tmp_path):
    nbgrader_export(tmp_path, db_url, "MoodleExportPlugin")  # no --to: the default name
    header, *rows = read_csv(tmp_path / "grades-moodle.csv")

    # Moodle's "Import grades from CSV file" needs a header row, a column identifying the
    # user (mapped in the form: "Map from" this column, "Map to" email address) and one
    # column per grade item (https://docs.moodle.org/311/en/Grade_import). The header text
    # itself is free; ours is the form's label.
    assert header == ["Email address", "ps1", "ps2"]
    by_email = {row[0]: row[1:] for row in rows}
    assert len(rows) == len(by_email) == len(STUDENTS)
    assert by_email == {"alice@example.org": ["4.5", "0"],
                        "bob@example.org": ["4", ""],
                        "carol@example.org": ["", ""]}


def test_bad_canvas_id_stops_nbgrader_export(db_url, tmp_path):
    (tmp_path / "nbgrader_config.py").write_text(
        'c = get_config()\nc.CanvasExportPlugin.assignment_ids = {"ps1": "45x"}\n')
    result = nbgrader_export(tmp_path, db_url, "CanvasExportPlugin", "--to=out.csv",
                             check=False)
    assert result.returncode != 0
    assert "positive whole number" in result.stderr and "'45x'" in result.stderr
    assert not (tmp_path / "out.csv").exists()


def export(plugin, db_url: str) -> list[list[str]]:
    with Gradebook(db_url) as gb:
        plugin.export(gb)
    return read_csv(Path(plugin.to))


def test_restricting_students_and_assignments(db_url, tmp_path):
    plugin = MoodleExportPlugin(to=str(tmp_path / "m.csv"), user_field="username",
                                student=["carol", "alice"], assignment=["ps2"])
    assert export(plugin, db_url) == [["Username", "ps2"], ["alice", "0"], ["carol", ""]]


@pytest.mark.parametrize("ids, message", [
    ({"ps1": "45x"}, "positive whole number"),
    ({"ps1": 0}, "positive whole number"),
    ({"ps1": True}, "positive whole number"),
    ({"ps9": 4521}, "'ps9', not among the exported assignments: 'ps1', 'ps2'"),
])
def test_bad_canvas_assignment_ids(db_url, tmp_path, ids, message):
    plugin = CanvasExportPlugin(to=str(tmp_path / "c.csv"), assignment_ids=ids)
    with pytest.raises(ValueError, match=message):
        export(plugin, db_url)
    assert not (tmp_path / "c.csv").exists()


def test_unknown_assignment_or_student_names_the_valid_ones(db_url, tmp_path):
    with pytest.raises(ValueError, match="no assignment 'ps3'.*valid: 'ps1', 'ps2'"):
        export(CanvasExportPlugin(to=str(tmp_path / "c.csv"), assignment=["ps3"]), db_url)
    with pytest.raises(ValueError, match="no student 'dave'.*'alice', 'bob', 'carol'"):
        export(MoodleExportPlugin(to=str(tmp_path / "m.csv"), student=["dave"]), db_url)


def test_bad_moodle_user_field(db_url, tmp_path):
    plugin = MoodleExportPlugin(to=str(tmp_path / "m.csv"), user_field="mail")
    with pytest.raises(ValueError, match="'email', 'username', 'idnumber', not 'mail'"):
        export(plugin, db_url)


def test_moodle_refuses_a_blank_user_cell(db_url, tmp_path):
    # Moodle's importer gives a row with a blank user cell to the student of the row above
    # (grade/import/csv/classes/load_data.php, https://github.com/moodle/moodle).
    with Gradebook(db_url) as gb:
        gb.add_student("dave", first_name="Dave")
        try:
            plugin = MoodleExportPlugin(to=str(tmp_path / "m.csv"))
            with pytest.raises(ValueError, match="student 'dave' has no email"):
                plugin.export(gb)
        finally:
            gb.remove_student("dave")
    assert not (tmp_path / "m.csv").exists()
