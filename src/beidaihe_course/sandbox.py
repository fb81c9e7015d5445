"""Sandboxed autograding: student code runs as an unprivileged account, not as the grader.

nbgrader's autograder runs each submission in a Jupyter kernel that the grader starts, so
by default student code has the grader's permissions: it could read ``source/`` (the
model solutions), rewrite the gradebook or change other students' files. The classroom
layout (:mod:`beidaihe_course.classroom`) installs a kernel spec, ``beidaihe-sandbox``,
whose command is this module, and tells nbgrader to grade with it
(``c.Execute.kernel_name``). The kernel starts in two steps:

1. ``python -m beidaihe_course.sandbox launch {connection_file}`` runs as the grader. It
   reads the kernel's connection file and the submission folder (nbgrader starts the
   kernel in ``autograded/<student>/<assignment>/``), and hands both through a pipe to
2. ``sudo -n -u <account> python -m beidaihe_course.sandbox run``, which runs as a
   sandbox account (``BEIDAIHE_SANDBOX_ACCOUNT``; a sudoers rule written by the classroom
   command allows exactly this command and nothing else). It makes a private folder
   (mode 0700) under ``/tmp``, writes the submission and the connection file there,
   sets resource limits (:data:`LIMITS`) and starts ipykernel in that folder.

When the kernel ends, or the grader goes away, step 2 kills every process of the sandbox
account (a notebook that forks cannot leave processes behind) and removes its folder and
anything the account left in ``/tmp``, ``/var/tmp`` or ``/dev/shm``.

What the sandbox account can reach is set by file modes, which the classroom layout
arranges: the course folder (``source/``, the submissions, the gradebook's password in
``nbgrader_config.py``) is the instructor's alone (0700); the exchange sits in a folder
that only the class's group may enter; each home is private. The gradebook itself is in
PostgreSQL behind a password. Each parallel grading worker has its own account, so two
submissions graded at once cannot see each other either.

>>> spec = kernel_spec("/opt/course/bin/python")
>>> spec["argv"][1:]
['-m', 'beidaihe_course.sandbox', 'launch', '{connection_file}']
>>> spec["interrupt_mode"]
'signal'
>>> sorted(LIMITS)
['file_size_bytes', 'processes']
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

#: The kernel spec's name; nbgrader grades with it (``c.Execute.kernel_name``).
KERNEL_NAME = "beidaihe-sandbox"
#: The environment variable naming the sandbox account a grading process uses.
ACCOUNT_VARIABLE = "BEIDAIHE_SANDBOX_ACCOUNT"
#: Resource limits of the student's kernel: the largest file it may write (a notebook
#: that tries to fill the disk gets "File too large") and how many processes and threads
#: the sandbox account may run at once (a fork bomb gets "Resource temporarily
#: unavailable"). A kernel with numpy, pandas and matplotlib uses about 20 threads.
LIMITS = {"file_size_bytes": 64 * 2**20, "processes": 128}
#: Where the sandbox account may write, and so what is swept after each submission.
SCRATCH = ("/tmp", "/var/tmp", "/dev/shm")


def kernel_spec(python: str | None = None) -> dict:
    """The ``kernel.json`` of the sandbox kernel, for the given Python (default: this one)."""
    python = python or sys.executable
    if not isinstance(python, str) or not python:
        raise TypeError("python must be the path of a Python executable")
    return {
        "argv": [python, "-m", "beidaihe_course.sandbox", "launch", "{connection_file}"],
        "display_name": "Python 3 (sandboxed grading)",
        "language": "python",
        "interrupt_mode": "signal",
        "metadata": {"debugger": False},
    }


def sudo_command(account: str, python: str | None = None, step: str = "run") -> list[str]:
    """The command the grader runs to start step 2 (or a ``sweep``) as ``account``.

    >>> " ".join(sudo_command("bdh-sandbox0", "/opt/course/bin/python"))
    'sudo -n -u bdh-sandbox0 /opt/course/bin/python -m beidaihe_course.sandbox run'
    """
    if not isinstance(account, str) or not account or account.startswith("-"):
        raise ValueError(f"the sandbox account must be an account name; got {account!r}")
    if step not in ("run", "sweep"):
        raise ValueError(f"step must be 'run' or 'sweep'; got {step!r}")
    return ["sudo", "-n", "-u", account, python or sys.executable, "-m",
            "beidaihe_course.sandbox", step]


def sweep_account(account: str) -> int:
    """As the grader: kill whatever ``account`` still runs and remove its scratch files.

    The kernel could kill its own supervisor (they share the account) and so skip the
    supervisor's clean-up; the grading worker therefore sweeps after every submission.
    """
    return subprocess.run(sudo_command(account, step="sweep"), stdin=subprocess.DEVNULL,
                          check=False).returncode


def _pack(folder: Path) -> str:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for item in sorted(folder.iterdir()):
            if item.is_file() and not item.is_symlink():
                tar.add(item, arcname=item.name, recursive=False)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def launch(connection_file: str) -> int:
    """Step 1, as the grader: start the kernel as the sandbox account and wait for it."""
    account = os.environ.get(ACCOUNT_VARIABLE, "")
    if not account:
        print(f"sandbox: set {ACCOUNT_VARIABLE} to the sandbox account that runs student "
              "code (see the classroom's README)", file=sys.stderr)
        return 2
    payload = json.dumps({
        "connection": json.loads(Path(connection_file).read_text(encoding="utf-8")),
        "files": _pack(Path.cwd()),
    })
    child = subprocess.Popen(sudo_command(account), stdin=subprocess.PIPE, cwd="/")

    def forward(signum, _frame):  # jupyter_client signals our process group; pass it on
        with contextlib.suppress(ProcessLookupError):
            child.send_signal(signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the process group signal reaches sudo
    child.stdin.write(payload.encode("utf-8"))
    child.stdin.close()
    status = child.wait()
    sweep_account(account)  # whatever the kernel did to its supervisor
    return status


def _set_parent_death_signal() -> None:
    """Ask Linux to send SIGTERM when our parent (sudo) dies, so we can clean up."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: cleanup then relies on the grader
        pass


def _limit_resources() -> None:
    import resource

    size = LIMITS["file_size_bytes"]
    resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    count = LIMITS["processes"]
    resource.setrlimit(resource.RLIMIT_NPROC, (count, count))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def processes_of(uid: int) -> list[int]:
    """The process ids whose real user is ``uid`` (read from ``/proc``)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:  # gone meanwhile
            continue
        for line in status.splitlines():
            if line.startswith("Uid:"):
                if int(line.split()[1]) == uid:
                    found.append(int(entry.name))
                break
    return found


def sweep(uid: int, keep: int | None = None) -> None:
    """Kill every process of ``uid`` except ``keep``, and remove its files from scratch."""
    if uid == 0:
        raise ValueError("refusing to sweep the root account")
    for _ in range(3):  # a process may fork while we kill; go round again
        victims = [pid for pid in processes_of(uid) if pid != keep]
        for pid in victims:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        if not victims:
            break
    for scratch in SCRATCH:
        try:
            entries = list(os.scandir(scratch))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.stat(follow_symlinks=False).st_uid != uid:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                else:
                    os.unlink(entry.path)
            except OSError:
                pass


def run() -> int:
    """Step 2, as the sandbox account: unpack the submission and run ipykernel on it."""
    uid = os.getuid()
    if uid == 0 or os.geteuid() == 0:
        print("sandbox: refusing to run student code as root", file=sys.stderr)
        return 2
    _set_parent_death_signal()
    payload = json.loads(sys.stdin.buffer.read())
    os.umask(0o077)
    work = Path(tempfile.mkdtemp(prefix="beidaihe-sandbox-"))
    with tarfile.open(fileobj=io.BytesIO(base64.b64decode(payload["files"])),
                      mode="r:gz") as tar:
        tar.extractall(work, filter="data")
    connection = work / ".kernel-connection.json"
    connection.write_text(json.dumps(payload["connection"]), encoding="utf-8")
    home = pwd.getpwuid(uid).pw_dir
    env = {"HOME": str(work), "PATH": os.path.dirname(sys.executable) + ":/usr/bin:/bin",
           "TMPDIR": str(work), "MPLCONFIGDIR": str(work / ".matplotlib"),
           "IPYTHONDIR": str(work / ".ipython"), "JUPYTER_RUNTIME_DIR": str(work / ".rt"),
           "MPLBACKEND": "module://matplotlib_inline.backend_inline", "LANG": "C.UTF-8",
           "USER": pwd.getpwuid(uid).pw_name, "SANDBOX_HOME": home}
    kernel = subprocess.Popen(
        [sys.executable, "-m", "ipykernel_launcher", "-f", str(connection)],
        cwd=work, env=env, preexec_fn=_limit_resources, stdout=subprocess.DEVNULL)

    def finish(_signum=None, _frame=None):
        sweep(uid, keep=os.getpid())
        shutil.rmtree(work, ignore_errors=True)
        os._exit(0 if _signum is None else 128 + _signum)

    signal.signal(signal.SIGTERM, finish)
    signal.signal(signal.SIGHUP, finish)
    signal.signal(signal.SIGINT, lambda signum, _: kernel.send_signal(signum))
    while True:
        try:
            kernel.wait()
            break
        except InterruptedError:  # pragma: no cover (PEP 475 retries for us)
            continue
    finish()
    return 0  # pragma: no cover


def main(argv: list[str] | None = None) -> int:
    """``python -m beidaihe_course.sandbox launch CONNECTION_FILE`` or ``... run``."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["launch"] and len(argv) == 2:
        return launch(argv[1])
    if argv == ["run"]:
        return run()
    if argv == ["sweep"]:
        if os.getuid() == 0:
            print("sandbox: refusing to sweep the root account", file=sys.stderr)
            return 2
        sweep(os.getuid(), keep=os.getpid())
        return 0
    print("usage: python -m beidaihe_course.sandbox launch CONNECTION_FILE | run | sweep",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
