"""Autograde a whole class in parallel, each worker with its own sandbox account.

nbgrader grades one submission at a time. :func:`autograde_class` runs several
``NbGraderAPI.autograde`` calls at once, one worker process per core, each pulling the
next student from a shared queue and starting every kernel as its own sandbox account
(:mod:`beidaihe_course.sandbox`). All workers write to one gradebook, so it must be a
database that takes concurrent writers (PostgreSQL; the classroom's default). A serial
run (``workers=1``) gives the same gradebook: grading a submission does not depend on
the others.

>>> plan_workers(workers=None, accounts=("a", "b", "c"), cpus=2)
2
>>> plan_workers(workers=3, accounts=("a",), cpus=4)
Traceback (most recent call last):
...
ValueError: 3 workers need 3 sandbox accounts, one each; the course has 1: ['a']
"""

from __future__ import annotations

import multiprocessing
import os
import queue
from pathlib import Path

from beidaihe_course.sandbox import ACCOUNT_VARIABLE, KERNEL_NAME, sweep_account


def plan_workers(*, workers: int | None, accounts: tuple[str, ...], cpus: int | None = None
                 ) -> int:
    """How many workers to run: as many as cores (or ``workers``), one account each."""
    cpus = cpus or os.cpu_count() or 1
    if workers is None:
        workers = min(cpus, len(accounts)) if accounts else 1
    if not isinstance(workers, int) or isinstance(workers, bool) or workers < 1:
        raise ValueError(f"workers must be a whole number of at least 1; got {workers!r}")
    if accounts and workers > len(accounts):
        raise ValueError(f"{workers} workers need {workers} sandbox accounts, one each; "
                         f"the course has {len(accounts)}: {list(accounts)}")
    return workers


def load_course_config(course_dir: str | Path):
    """The course's nbgrader configuration, with its root set to ``course_dir``."""
    from traitlets.config.loader import PyFileConfigLoader

    course_dir = Path(course_dir).absolute()
    if not (course_dir / "nbgrader_config.py").is_file():
        raise ValueError(f"{course_dir} is not an nbgrader course (no nbgrader_config.py); "
                         "give the course folder written by `beidaihe-course classroom`")
    config = PyFileConfigLoader("nbgrader_config.py", path=str(course_dir)).load_config()
    config.CourseDirectory.root = str(course_dir)
    return config


def sandbox_accounts(config) -> tuple[str, ...]:
    """The sandbox accounts the course names (``c.ClassroomSandbox.accounts``)."""
    if "ClassroomSandbox" in config and "accounts" in config.ClassroomSandbox:
        return tuple(config.ClassroomSandbox.accounts)
    return ()


def submitted_students(course_dir: str | Path, assignment: str) -> list[str]:
    """The students with a collected submission of ``assignment``, sorted."""
    folder = Path(course_dir) / "submitted"
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if (p / assignment).is_dir())


def _worker(course_dir: str, assignment: str, account: str | None, kernel_path: str | None,
            todo, done) -> None:
    if account:
        os.environ[ACCOUNT_VARIABLE] = account
    if kernel_path:
        os.environ["JUPYTER_PATH"] = kernel_path + os.pathsep + os.environ.get(
            "JUPYTER_PATH", "")
    from nbgrader.apps import NbGraderAPI

    api = NbGraderAPI(config=load_course_config(course_dir))
    while (student := todo.get()) is not None:
        try:
            result = api.autograde(assignment, student, force=True, create=True)
            done.put((student, bool(result.get("success")), result.get("log", "")))
        except Exception as err:  # noqa: BLE001 (record it; never lose a submission)
            done.put((student, False, repr(err)))
        finally:
            if account:  # nothing of this submission outlives its grading
                sweep_account(account)


def autograde_class(course_dir: str | Path, assignment: str, *,
                    students: list[str] | None = None, workers: int | None = None,
                    kernel_path: str | Path | None = None) -> dict[str, tuple[bool, str]]:
    """Autograde every collected submission of ``assignment``; return ``{student:
    (success, log)}``.

    With the sandboxed kernel (``c.Execute.kernel_name = "beidaihe-sandbox"``), each
    worker uses one of the course's sandbox accounts; ``kernel_path`` is the folder
    holding ``kernels/beidaihe-sandbox`` (default: ``../jupyter`` beside the course).
    """
    if not isinstance(assignment, str) or not assignment:
        raise TypeError("assignment must be the assignment's name, such as "
                        "'03_production_targets'")
    import nbgrader.apps  # noqa: F401 (fail here, with the extra to install, not in a worker)

    course_dir = Path(course_dir).absolute()
    config = load_course_config(course_dir)
    sandboxed = config.get("Execute", {}).get("kernel_name") == KERNEL_NAME
    accounts = sandbox_accounts(config) if sandboxed else ()
    if sandboxed and not accounts:
        raise ValueError("the course grades with the sandboxed kernel but names no sandbox "
                         "accounts (c.ClassroomSandbox.accounts in nbgrader_config.py)")
    if students is None:
        students = submitted_students(course_dir, assignment)
    count = plan_workers(workers=workers, accounts=accounts)
    if sandboxed and kernel_path is None:
        kernel_path = course_dir.parent / "jupyter"
    context = multiprocessing.get_context("spawn")
    todo, done = context.Queue(), context.Queue()
    for student in students:
        todo.put(student)
    for _ in range(count):
        todo.put(None)
    processes = [context.Process(
        target=_worker, args=(str(course_dir), assignment,
                              accounts[i] if accounts else None,
                              str(kernel_path) if kernel_path else None, todo, done))
        for i in range(count)]
    for process in processes:
        process.start()
    results = {}
    while len(results) < len(students):
        try:
            student, success, log = done.get(timeout=2)
        except queue.Empty:
            if any(process.is_alive() for process in processes):
                continue
            break  # every worker has stopped: record what is missing below
        results[student] = (success, log)
    for student in students:  # a worker that died still leaves a row for each student
        results.setdefault(student, (False, "the grading worker stopped before grading it"))
    for process in processes:
        process.join()
    retry = [s for s, (ok, _) in results.items() if not ok]
    if retry and count > 1:  # a busy machine can time a kernel out: try once more, alone
        results.update(autograde_class(course_dir, assignment, students=retry, workers=1,
                                       kernel_path=kernel_path))
    return dict(sorted(results.items()))
