"""The beidaihe-course command: version, lessons copy (no silent overwrite), datasets."""

from __future__ import annotations

import subprocess
import sys

from beidaihe_course import __version__, cli
from beidaihe_course.lesson_format import lessons_dir


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "beidaihe_course.cli", *args],
                          capture_output=True, text=True)


def test_version():
    out = run("--version")
    assert out.returncode == 0 and __version__ in out.stdout


def test_help_lists_every_subcommand():
    out = run("--help")
    assert out.returncode == 0
    for command in ("lessons", "nbgrader-course", "datasets"):
        assert command in out.stdout


def test_lessons_copies_and_refuses_to_overwrite(tmp_path, capsys):
    expected = sorted(p.name for p in lessons_dir().glob("*.ipynb"))
    assert expected, "no lessons found to copy"
    assert cli.main(["lessons", str(tmp_path / "mine")]) == 0
    assert sorted(p.name for p in (tmp_path / "mine").iterdir()) == expected
    edited = tmp_path / "mine" / expected[0]
    edited.write_text("my work")
    assert cli.main(["lessons", str(tmp_path / "mine")]) == 2
    assert "--force" in capsys.readouterr().err
    assert edited.read_text() == "my work"
    assert cli.main(["lessons", str(tmp_path / "mine"), "--force"]) == 0
    assert edited.read_text() != "my work"


def test_lessons_into_a_file_is_an_error(tmp_path, capsys):
    target = tmp_path / "file.txt"
    target.write_text("x")
    assert cli.main(["lessons", str(target)]) == 2
    assert "not a directory" in capsys.readouterr().err


def test_lessons_into_unwritable_folder(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")  # a folder cannot be created inside a file, even by root
    assert cli.main(["lessons", str(blocker / "sub")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_missing_argument_exits_nonzero():
    out = run("lessons")
    assert out.returncode != 0 and "directory" in out.stderr


def test_datasets_lists_all():
    out = run("datasets")
    assert out.returncode == 0 and "famine_estimates:" in out.stdout


def test_nbgrader_course_lays_out_and_refuses_to_overwrite(tmp_path, capsys):
    dest = tmp_path / "course"
    assert cli.main(["nbgrader-course", str(dest)]) == 0
    lessons = sorted(p.stem for p in lessons_dir().glob("*.ipynb"))
    assert sorted(p.name for p in (dest / "source").iterdir()) == lessons
    config = (dest / "nbgrader_config.py").read_text()
    assert "ClearSolutions.code_stub" in config and "Execute.timeout" in config
    before = (dest / "source" / lessons[0] / f"{lessons[0]}.ipynb").stat().st_mtime_ns
    assert cli.main(["nbgrader-course", str(dest)]) == 2
    assert "--force" in capsys.readouterr().err
    assert (dest / "source" / lessons[0] / f"{lessons[0]}.ipynb").stat().st_mtime_ns == before
    assert cli.main(["nbgrader-course", str(dest), "--force"]) == 0


def test_nbgrader_course_into_a_file_is_an_error(tmp_path, capsys):
    target = tmp_path / "a-file"
    target.write_text("x")
    assert cli.main(["nbgrader-course", str(target)]) == 2
    assert "not a directory" in capsys.readouterr().err


def test_nbgrader_course_help_documents_force():
    out = run("nbgrader-course", "--help")
    assert out.returncode == 0 and "--force" in out.stdout and "hidden" in out.stdout
