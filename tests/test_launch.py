"""Launch buttons open tested paths: the Colab cell, the learners branch, the built links.

The book's Binder and Colab buttons open the *learner copies* of the lessons, which the
deploy workflow publishes on a branch (``learners`` job of ``.github/workflows/book.yml``).
Colab has no environment file, so every lesson's first code cell installs the matching
release there (``lesson_format.colab_cell``). The Binder environment itself is replayed in
``tests/test_binder.py``.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
import types
from pathlib import Path

import nbformat
import pytest
import yaml
from launching import learner_steps, learners_branch, write_learner_copies

import beidaihe_course
from beidaihe_course import lesson_format as fmt
from beidaihe_course._version import DISTRIBUTION

ROOT = Path(__file__).resolve().parents[1]
LESSONS = fmt.lesson_paths()


def _first_code_cell(nb):
    return next(c for c in nb.cells if c.cell_type == "code")


def _project_name() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8").split("[project]", 1)[1]
    return re.search(r'^name = "([^"]+)"$', text, re.M).group(1)


# --- The Colab cell ---------------------------------------------------------------------


def test_the_distribution_name_is_the_one_in_pyproject():
    """One name: the Colab cell installs DISTRIBUTION, which must be what PyPI publishes."""
    assert _project_name() == DISTRIBUTION, ("change DISTRIBUTION in _version.py with "
                                             "[project] name in pyproject.toml")


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_lesson_opens_with_the_colab_cell_of_this_version(path):
    cell = _first_code_cell(nbformat.read(path, as_version=4))
    assert "remove-cell" in cell.metadata.get("tags", []), "the book must hide the cell"
    pinned = re.findall(r'"([\w.-]+)==([^"]+)"', cell.source)
    assert pinned == [(_project_name(), beidaihe_course.__version__)], (
        f"{path.name} installs {pinned}; run scripts/refresh_lessons.py after a version bump")
    assert cell.source == fmt.colab_cell().source, "run scripts/refresh_lessons.py"
    assert len(cell.source.splitlines()) <= 6 and not cell.outputs


class _FakePopen:
    """Stands in for subprocess.Popen: records the command, runs nothing, succeeds."""

    calls: list = []

    def __init__(self, args, *a, **kw):
        self.args, self.returncode, self.pid = args, 0, 0
        _FakePopen.calls.append(list(args))

    def communicate(self, *a, **kw):
        return None, None

    def poll(self):
        return 0

    wait = poll

    def kill(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _run_cell(monkeypatch, *, colab: bool, installed: bool) -> list:
    """Execute the Colab cell's source as a kernel would; return the commands it ran."""
    _FakePopen.calls = []
    monkeypatch.setattr(subprocess, "Popen", _FakePopen)
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    if colab:
        monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    if not installed:  # the standard marker for "not importable"
        monkeypatch.setitem(sys.modules, "beidaihe_course", None)
    source = _first_code_cell(nbformat.read(LESSONS[0], as_version=4)).source
    exec(compile(source, "colab-cell", "exec"), {"__name__": "__main__"})
    return _FakePopen.calls


def test_on_colab_without_the_package_the_cell_installs_this_release(monkeypatch):
    calls = _run_cell(monkeypatch, colab=True, installed=False)
    assert len(calls) == 1, calls
    command = calls[0]
    assert command[:4] == [sys.executable, "-m", "pip", "install"], command
    requirements = [arg for arg in command[4:] if not arg.startswith("-")]
    assert requirements == [f"{_project_name()}=={beidaihe_course.__version__}"]


@pytest.mark.parametrize("colab, installed", [(False, False), (False, True), (True, True)],
                         ids=["not-colab", "not-colab-installed", "colab-installed"])
def test_elsewhere_or_with_the_package_the_cell_does_nothing(monkeypatch, capfd, colab,
                                                             installed):
    assert _run_cell(monkeypatch, colab=colab, installed=installed) == []
    assert capfd.readouterr() == ("", "")


def test_the_colab_cell_refuses_a_version_that_is_not_a_release(monkeypatch):
    import beidaihe_course._version as version

    monkeypatch.setattr(version, "__version__", "0+unknown")
    with pytest.raises(ValueError, match="not a release"):
        fmt.colab_cell()


def test_adding_the_colab_cell_twice_keeps_one():
    nb = nbformat.read(LESSONS[0], as_version=4)
    before = len(nb.cells)
    fmt.add_colab_cell(nb)
    assert len(nb.cells) == before
    nb.cells = [c for c in nb.cells if c.get("id") != fmt.COLAB_CELL_ID]
    fmt.add_colab_cell(fmt.add_colab_cell(nb))
    assert len(nb.cells) == before
    assert _first_code_cell(nb).get("id") == fmt.COLAB_CELL_ID


def test_learner_copies_and_nbgrader_notebooks_keep_the_colab_cell(tmp_path):
    from beidaihe_course.cli import main
    from beidaihe_course.grading import nbgrader_source

    assert main(["lessons", str(tmp_path)]) == 0
    expected = fmt.colab_cell().source
    for path in LESSONS:
        copy = nbformat.read(tmp_path / path.name, as_version=4)
        assert _first_code_cell(copy).source == expected, path.name
        assert _first_code_cell(nbgrader_source(path)).source == expected, path.name


# --- The learners branch and the launch settings ---------------------------------------


def _config() -> dict:
    return yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))


def test_launch_buttons_use_the_branch_the_workflow_publishes():
    config = _config()
    assert config["repository"]["branch"] == learners_branch() != "main"
    assert config["repository"].get("path_to_book", "") == ""  # URLs: lessons/<name>.ipynb
    launch = config["launch_buttons"]
    assert set(launch) <= {"notebook_interface", "binderhub_url", "colab_url"}, (
        "only Binder and Colab are tested (tests/test_binder.py, the Colab cell)")
    # The one branch setting is also read by the edit and source buttons: keep them off so
    # it changes the launch buttons only (the repository button links to the URL alone).
    html_opts = config["html"]
    assert not html_opts.get("use_edit_page_button") and not html_opts.get("use_source_button")


@pytest.fixture(scope="module")
def learner_copies(tmp_path_factory) -> Path:
    """The learner copies, written by the learners job's own command."""
    out = write_learner_copies(tmp_path_factory.mktemp("learners"))
    for folder in (out, out / "zh"):  # the Chinese pages' buttons open lessons/zh/
        assert {p.name for p in LESSONS} <= {p.name for p in folder.glob("*.ipynb")}, (
            "every lesson needs a learner copy under the same name: the launch URLs keep it")
    return out


def _git(cwd, *args) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                          check=True).stdout


@pytest.mark.slow
def test_the_publish_script_makes_main_with_the_learner_copies(tmp_path, learner_copies):
    """Replay the learners job's publishing script in a scratch clone of this tree pushing
    to a scratch origin: the branch is this tree with lessons/ replaced by the copies."""
    origin, work = tmp_path / "origin.git", tmp_path / "work"
    _git(tmp_path, "init", "-q", "--bare", str(origin))
    _git(tmp_path, "init", "-q", "-b", "main", str(work))
    files = _git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, files.split("\0")):
        source = ROOT / name
        if source.is_file():
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            (work / name).write_bytes(source.read_bytes())
    _git(work, "add", "-A")
    _git(work, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "main")
    _git(work, "remote", "add", "origin", str(origin))
    main_tree = {line.split("\t")[1]: line.split()[2]
                 for line in _git(work, "ls-tree", "-r", "HEAD").splitlines()}
    shutil.copytree(learner_copies, work / "lessons-out")
    copies = {p.relative_to(learner_copies).as_posix(): p
              for p in learner_copies.rglob("*") if p.is_file()}
    _, publish = learner_steps()
    done = subprocess.run(["bash", "-e", "-c", publish], cwd=work, capture_output=True,
                          text=True, env={"GITHUB_SHA": "0" * 40, "PATH": "/usr/bin:/bin",
                                          "HOME": str(tmp_path)}, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    branch = learners_branch()
    published = {line.split("\t")[1]: line.split()[2]
                 for line in _git(origin, "ls-tree", "-r", branch).splitlines()}
    lessons = {k for k in published if k.startswith("lessons/")}
    assert lessons == {f"lessons/{name}" for name in copies}
    assert any(name.startswith("lessons/zh/") for name in lessons)
    for name in lessons:
        assert _git(origin, "show", f"{branch}:{name}").encode() == \
            copies[name.removeprefix("lessons/")].read_bytes(), name
    rest = {k: v for k, v in published.items() if k not in lessons}
    assert rest == {k: v for k, v in main_tree.items() if not k.startswith("lessons/")}


# --- The built book ---------------------------------------------------------------------


def _lesson_pages(built_book: Path) -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in (built_book / "lessons").glob("*.html")
            if p.stem in {lesson.stem for lesson in LESSONS}}


def test_the_book_does_not_show_the_colab_cell(built_book):
    pages = _lesson_pages(built_book)
    assert set(pages) == {p.stem for p in LESSONS}
    for stem, page in pages.items():
        text = html.unescape(re.sub(r"<[^>]+>", "", page))
        for marker in ("google.colab", fmt.colab_requirement(), "find_spec"):
            assert marker not in text, f"{stem} shows the Colab cell ({marker})"


def test_launch_links_open_the_learner_copies_on_the_learners_branch(built_book,
                                                                    learner_copies):
    config, branch = _config(), learners_branch()
    org_repo = config["repository"]["url"].removeprefix("https://github.com/")
    binder = config["launch_buttons"].get("binderhub_url")  # a fork may remove either
    colab = config["launch_buttons"].get("colab_url")
    assert binder or colab
    for stem, page in _lesson_pages(built_book).items():
        links = set(re.findall(r'href="([^"]+)"', html.unescape(page)))
        launch = {u for u in links if u.startswith(tuple(filter(None, (binder, colab))))}
        expected = set()
        if binder:
            expected.add(f"{binder}/v2/gh/{org_repo}/{branch}?urlpath=lab/tree/lessons/"
                         f"{stem}.ipynb")
        if colab:
            expected.add(f"{colab}/github/{org_repo}/blob/{branch}/lessons/{stem}.ipynb")
        assert launch == expected, stem
        assert (learner_copies / f"{stem}.ipynb").is_file()
        assert config["repository"]["url"] in links, "the repository button"
        assert not any(f"/{branch}/" in u or f"/edit/{branch}" in u
                       for u in links - launch), "only the launch buttons use the branch"
