"""A real classroom for the tests and the bench: Unix accounts, a PostgreSQL cluster of
its own, the layout written by ``beidaihe-course classroom`` and JupyterHub with
configurable-http-proxy.

Everything is created under one temporary folder with accounts named ``bdh<tag>...``,
and removed again by :meth:`Classroom.close`. It needs root (to create accounts and run
commands as them), ``sudo``, Debian's PostgreSQL server and the proxy from the npm
registry (``make test`` installs it into ``proxy/node_modules``).
"""

from __future__ import annotations

import contextlib
import glob
import grp
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PROXY = ROOT / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
COURSE = "beidaihe1958"


def postgres_bin() -> Path | None:
    """Debian's PostgreSQL server programs (``initdb``, ``pg_ctl``), if installed."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def missing() -> list[str]:
    """What this machine lacks for a real classroom (empty when it has everything)."""
    gaps = []
    if os.geteuid() != 0:
        gaps.append("root (the tests create Unix accounts and run commands as them)")
    for program in ("useradd", "userdel", "groupadd", "sudo", "visudo"):
        if not shutil.which(program, path="/usr/sbin:/usr/bin:/sbin:/bin"):
            gaps.append(f"the program {program} (Debian packages passwd and sudo)")
    if postgres_bin() is None:
        gaps.append("PostgreSQL's server (Debian package postgresql)")
    if not PROXY.exists():
        gaps.append(f"configurable-http-proxy ({PROXY}; `make test` installs it with npm)")
    python = Path(os.path.realpath(sys.executable))
    for folder in [*python.parents][::-1]:
        if not os.stat(folder).st_mode & 0o001:
            gaps.append(f"other accounts cannot reach this Python: {folder} is not "
                        "searchable by others (.ci/run runs chmod o+x on it)")
            break
    return gaps


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(cmd, *, check=True, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)
    if check and result.returncode != 0:
        raise RuntimeError(f"{cmd} failed ({result.returncode}):\n{result.stdout}\n"
                           f"{result.stderr}")
    return result


class Classroom:
    """One instructor, ``size`` students and a gradebook in a PostgreSQL cluster."""

    def __init__(self, size: int, *, workers: int = 2):
        self.tag = secrets.token_hex(2)
        self.base = Path(tempfile.mkdtemp(prefix="bdh-classroom-"))
        self.base.chmod(0o755)
        (self.base / "home").mkdir(mode=0o755)
        self.instructor = f"bdh{self.tag}i"
        self.students = [f"bdh{self.tag}s{n:02d}" for n in range(1, size + 1)]
        self.sandboxes = [f"bdh{self.tag}x{n}" for n in range(1, workers + 1)]
        self.pg_account = f"bdh{self.tag}pg"
        self.group = f"bdh{self.tag}class"
        self.room = self.base / "room"
        self.course = self.room / "course"
        self.exchange = self.room / "class" / "exchange"
        self.hub = None
        self._made_accounts: list[str] = []
        try:
            self._create()
        except BaseException:
            self.close()
            raise

    # -- accounts ---------------------------------------------------------------------
    def _useradd(self, name: str, home: bool = True) -> None:
        cmd = ["useradd", "--shell", "/bin/sh", "--user-group"]
        if home:
            cmd += ["--create-home", "--home-dir", str(self.base / "home" / name)]
        run([*cmd, name])
        self._made_accounts.append(name)
        if home:
            (self.base / "home" / name).chmod(0o700)

    def env(self, account: str, **extra) -> dict:
        entry = pwd.getpwnam(account)
        return {"HOME": entry.pw_dir, "USER": account, "LOGNAME": account,
                "PATH": f"{BIN}:/usr/bin:/bin", "LANG": "C.UTF-8",
                "JUPYTER_CONFIG_PATH": str(self.room / "etc" / "jupyter"), **extra}

    def as_user(self, account: str, cmd, *, cwd=None, check=True, env=None, timeout=600):
        """Run ``cmd`` as ``account`` (with its groups), as a login would."""
        entry = pwd.getpwnam(account)
        return run(cmd, check=check, user=entry.pw_uid, group=entry.pw_gid,
                   extra_groups=os.getgrouplist(account, entry.pw_gid),
                   env=env or self.env(account), cwd=cwd or entry.pw_dir, timeout=timeout,
                   umask=0o022)

    def write_as(self, account: str, path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        entry = pwd.getpwnam(account)
        os.chown(path, entry.pw_uid, entry.pw_gid)

    # -- set-up ----------------------------------------------------------------------
    def _create(self) -> None:
        for name in [self.instructor, *self.students]:
            self._useradd(name)
        self._made_accounts += self.sandboxes  # setup.sh creates them
        students = self.base / "students.txt"
        students.write_text("\n".join(self.students) + "\n")
        self._start_postgres()
        self.hub_port = free_port()
        result = run([str(BIN / "beidaihe-course"), "classroom", str(self.room),
                      "--instructor", self.instructor, "--students-file", str(students),
                      "--db-url", f"postgresql:///{COURSE}?host={self.socket}",
                      *[arg for s in self.sandboxes for arg in ("--sandbox", s)],
                      "--port", str(self.hub_port), "--formgrader-port", str(free_port())])
        self.cli_output = result.stdout
        # the class group of setup.sh is named after the course; this run's own name
        # keeps parallel runs apart
        setup = (self.room / "setup.sh").read_text().replace(
            f"CLASS_GROUP={COURSE}-class", f"CLASS_GROUP={self.group}")
        (self.room / "setup.sh").write_text(setup)
        run(["sh", str(self.room / "setup.sh")])

    def _start_postgres(self) -> None:
        self._useradd(self.pg_account, home=False)
        pg = self.base / "pg"
        pg.mkdir(mode=0o700)
        self.socket = self.base / "pgsocket"
        self.socket.mkdir(mode=0o755)
        for folder in (pg, self.socket):
            shutil.chown(folder, self.pg_account, self.pg_account)
        pg_bin = postgres_bin()
        self.pg_data = pg / "data"
        as_pg = dict(user=self.pg_account, group=self.pg_account, extra_groups=[],
                     env={"PATH": f"{pg_bin}:/usr/bin:/bin", "LANG": "C.UTF-8"},
                     cwd=str(pg))
        run([str(pg_bin / "initdb"), "-D", str(self.pg_data), "-U", self.pg_account,
             "--auth-local=peer", "--auth-host=reject", "-E", "UTF8"], **as_pg)
        run([str(pg_bin / "pg_ctl"), "-D", str(self.pg_data), "-l", str(pg / "log"), "-w",
             "-o", f"-k {self.socket} -c listen_addresses=''", "start"], **as_pg)
        self._pg = (pg_bin, as_pg)
        run([str(pg_bin / "createuser"), "-h", str(self.socket), self.instructor], **as_pg)
        run([str(pg_bin / "createdb"), "-h", str(self.socket), "-O", self.instructor,
             COURSE], **as_pg)

    # -- the hub ---------------------------------------------------------------------
    def start_hub(self) -> str:
        """Start JupyterHub (as root, as the guide says); return its address."""
        self.admin_token = secrets.token_hex(16)
        (self.room / "jupyterhub_config_local.py").write_text(
            "c = get_config()  # noqa: F821\n"
            f"c.JupyterHub.hub_port = {free_port()}\n"
            f"c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{free_port()}'\n"
            f"c.JupyterHub.bind_url = 'http://127.0.0.1:{self.hub_port}'\n"
            "c.JupyterHub.services.append({'name': 'classroom-tests', "
            f"'api_token': {self.admin_token!r}}})\n"
            "c.JupyterHub.load_roles.append({'name': 'classroom-tests', "
            "'services': ['classroom-tests'], 'scopes': ['tokens', 'list:users']})\n")
        (self.room / "hub").mkdir(exist_ok=True)
        env = {"PATH": f"{PROXY.parent}:{BIN}:/usr/bin:/bin:/usr/sbin:/sbin",
               "LANG": "C.UTF-8", "HOME": str(self.room / "hub")}
        self.hub_log = open(self.room / "hub" / "log", "w")  # noqa: SIM115
        self.hub = subprocess.Popen(
            [str(BIN / "jupyterhub"), "-f", str(self.room / "jupyterhub_config.py")],
            cwd=self.room / "hub", env=env, stdout=self.hub_log, stderr=subprocess.STDOUT,
            start_new_session=True)
        self.url = f"http://127.0.0.1:{self.hub_port}"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.hub.poll() is not None:
                break
            try:
                if self.api("GET", "/hub/api/", token=self.admin_token,
                            check=False)[0] == 200:
                    return self.url
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError("JupyterHub did not start:\n" +
                           (self.room / "hub" / "log").read_text()[-4000:])

    @property
    def formgrader(self) -> str:
        return f"formgrader-{COURSE}"

    def api(self, method: str, path: str, *, token: str, body=None, check=True):
        """``(status, parsed JSON or text)`` of a request to the hub's proxy."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Authorization": f"token {token}"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as err:
            status, text = err.code, err.read().decode(errors="replace")
            if check and status >= 400:
                raise RuntimeError(f"{method} {path}: {status} {text[:300]}") from err
        try:
            return status, json.loads(text)
        except ValueError:
            return status, text

    def token(self, account: str) -> str:
        """A hub API token for ``account``, made through the hub's API."""
        _, reply = self.api("POST", f"/hub/api/users/{account}/tokens",
                            token=self.admin_token, body={"note": "classroom tests"})
        return reply["token"]

    def wait_for_formgrader(self, token: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status, _ = self.api("GET", f"/services/{self.formgrader}/formgrader/api/"
                                 "assignments", token=token, check=False)
            if status == 200:
                return
            time.sleep(1)
        raise RuntimeError("the formgrader service did not answer:\n" +
                           (self.room / "hub" / "log").read_text()[-4000:])

    # -- nbgrader as the instructor ----------------------------------------------------
    def nbgrader(self, *args, account=None, check=True, cwd=None):
        account = account or self.instructor
        return self.as_user(account, [str(BIN / "nbgrader"), *args], check=check,
                            cwd=cwd or (self.course if account == self.instructor else None))

    def gradebook(self, assignment: str) -> dict:
        """Every submission of ``assignment`` in the gradebook, read as the instructor."""
        script = textwrap.dedent(f"""
            import json
            from nbgrader.api import Gradebook
            rows = {{}}
            with Gradebook({self.db_url!r}) as gb:
                for sub in gb.assignment_submissions({assignment!r}):
                    rows[sub.student_id] = {{
                        "score": sub.score, "late": sub.total_seconds_late > 0,
                        "timestamp": sub.timestamp.isoformat() if sub.timestamp else None,
                        "grades": sorted([g.name, g.score] for nb in sub.notebooks
                                         for g in nb.grades)}}
                students = sorted(s.id for s in gb.students)
            print(json.dumps({{"submissions": rows, "students": students}}))
            """)
        out = self.as_user(self.instructor, [sys.executable, "-c", script]).stdout
        return json.loads(out.strip().splitlines()[-1])

    @property
    def db_url(self) -> str:
        return f"postgresql:///{COURSE}?host={self.socket}"

    # -- tear-down -------------------------------------------------------------------
    def close(self) -> None:
        if self.hub is not None and self.hub.poll() is None:
            os.killpg(self.hub.pid, signal.SIGTERM)
            try:
                self.hub.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.hub.pid, signal.SIGKILL)
        # The hub starts its proxy in a session of its own and, stopped, may leave it
        # running: stop it by the pid file the hub writes beside its log.
        proxy_pid = self.room / "hub" / "jupyterhub-proxy.pid"
        if proxy_pid.exists():
            with contextlib.suppress(ValueError, ProcessLookupError, PermissionError):
                os.kill(int(proxy_pid.read_text().strip()), signal.SIGKILL)
        if getattr(self, "hub_port", None):  # and by its command line, if the file is gone
            run(["pkill", "-KILL", "-f", f"configurable-http-proxy .*--port {self.hub_port} "],
                check=False)
        if getattr(self, "_pg", None):
            pg_bin, as_pg = self._pg
            run([str(pg_bin / "pg_ctl"), "-D", str(self.pg_data), "-m", "immediate",
                 "stop"], check=False, **as_pg)
        for account in self._made_accounts:
            try:
                uid = pwd.getpwnam(account).pw_uid
            except KeyError:
                continue
            run(["pkill", "-KILL", "-u", str(uid)], check=False)
            run(["userdel", "--force", account], check=False)
        try:
            grp.getgrnam(self.group)
            run(["groupdel", self.group], check=False)
        except KeyError:
            pass
        Path(f"/etc/sudoers.d/{COURSE}").unlink(missing_ok=True)
        shutil.rmtree(self.base, ignore_errors=True)
