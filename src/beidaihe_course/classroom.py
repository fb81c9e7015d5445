"""A classroom on one machine: JupyterHub, nbgrader's exchange, a PostgreSQL gradebook and
sandboxed autograding, laid out by ``beidaihe-course classroom DIR``.

:func:`write_classroom` writes, into ``DIR``:

- ``jupyterhub_config.py``: JupyterHub with the machine's accounts (PAM), a group of
  instructors and a group of students, and nbgrader's formgrader as a hub service that
  only instructors may open;
- ``course/``: the nbgrader course (``nbgrader-course``), whose ``nbgrader_config.py``
  adds the gradebook's PostgreSQL address, the exchange and the sandboxed kernel;
- ``etc/jupyter/nbgrader_config.py``: what every user's server needs (course id,
  exchange);
- ``jupyter/kernels/beidaihe-sandbox/kernel.json``: the kernel that runs student code as
  a sandbox account (:mod:`beidaihe_course.sandbox`), with a ``sudoers`` rule for it;
- ``setup.sh``: run once as root; it makes the class group and the sandbox accounts and
  sets the owners and modes the sandbox relies on;
- ``z2jh-values.yaml``: the same settings for JupyterHub on Kubernetes (Zero to
  JupyterHub), for a class that outgrows one machine.

>>> room = Classroom("/srv/bdh", instructors=("wang",), students=("li", "zhao"))
>>> room.course_dir, room.exchange_dir
(PosixPath('/srv/bdh/course'), PosixPath('/srv/bdh/class/exchange'))
>>> room.sandboxes[:2]
('beidaihe1958-sandbox1', 'beidaihe1958-sandbox2')
>>> Classroom("/srv/bdh", instructors=("Wang Li",), students=())
Traceback (most recent call last):
...
ValueError: account names are lower-case letters, digits, '-' and '_', ... got 'Wang Li'
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from beidaihe_course.grading import COURSE_ID
from beidaihe_course.sandbox import KERNEL_NAME, LIMITS, kernel_spec

ACCOUNT = re.compile(r"[a-z][a-z0-9_-]{0,31}")
#: Files and folders the command writes; ``--force`` replaces exactly these.
WRITTEN = ("jupyterhub_config.py", "course", "etc", "jupyter", "sudoers", "setup.sh",
           "z2jh-values.yaml", "README.md")


def _account(name: object) -> str:
    if not isinstance(name, str):
        raise TypeError(f"account names must be strings; got {type(name).__name__}")
    if not ACCOUNT.fullmatch(name):
        raise ValueError("account names are lower-case letters, digits, '-' and '_', "
                         f"starting with a letter (at most 32); got {name!r}")
    return name


def _default_sandboxes(course_id: str = COURSE_ID) -> tuple[str, ...]:
    return tuple(f"{course_id}-sandbox{i}" for i in range(1, (os.cpu_count() or 1) + 1))


@dataclass(frozen=True)
class Classroom:
    """Where a classroom lives and who is in it (see the module docstring)."""

    root: Path | str
    instructors: tuple[str, ...]
    students: tuple[str, ...]
    db_url: str = f"postgresql:///{COURSE_ID}"
    sandboxes: tuple[str, ...] = field(default_factory=_default_sandboxes)
    class_group: str = f"{COURSE_ID}-class"
    python: str = sys.executable
    hub_port: int = 8000
    formgrader_port: int = 9999

    def __post_init__(self):
        if not isinstance(self.root, (str, Path)):
            raise TypeError(f"root must be a path; got {type(self.root).__name__}")
        object.__setattr__(self, "root", Path(self.root).absolute())
        for group in ("instructors", "students", "sandboxes"):
            names = getattr(self, group)
            if isinstance(names, str) or not isinstance(names, (list, tuple)):
                raise TypeError(f"{group} must be a list of account names")
            object.__setattr__(self, group, tuple(_account(n) for n in names))
        if not self.instructors:
            raise ValueError("a classroom needs at least one instructor (--instructor NAME)")
        if not self.sandboxes:
            raise ValueError("a classroom needs at least one sandbox account")
        clash = set(self.sandboxes) & set(self.instructors + self.students)
        if clash:
            raise ValueError(f"sandbox accounts must be used for nothing else; "
                             f"{sorted(clash)} are also instructors or students")
        both = set(self.instructors) & set(self.students)
        if both:
            raise ValueError(f"{sorted(both)} cannot be both instructor and student")
        _account(self.class_group)
        if not isinstance(self.db_url, str) or not self.db_url.startswith("postgresql"):
            raise ValueError("the gradebook must be a PostgreSQL address "
                             "(postgresql://... or postgresql:///dbname); SQLite cannot "
                             f"take parallel grading workers; got {self.db_url!r}")
        for port in ("hub_port", "formgrader_port"):
            value = getattr(self, port)
            if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < 65536:
                raise ValueError(f"{port} must be a port number 1-65535; got {value!r}")

    @property
    def course_dir(self) -> Path:
        return self.root / "course"

    @property
    def exchange_dir(self) -> Path:
        return self.root / "class" / "exchange"

    @property
    def formgrader(self) -> str:
        """The hub service's name (its address is ``/services/<name>/``)."""
        return f"formgrader-{COURSE_ID}"

    @property
    def kernel_dir(self) -> Path:
        """A ``JUPYTER_PATH`` entry whose ``kernels/`` holds the sandbox kernel."""
        return self.root / "jupyter"


def hub_config(room: Classroom) -> str:
    """The text of ``jupyterhub_config.py``."""
    bin_dir = str(Path(room.python).parent)
    return f'''"""JupyterHub for the Beidaihe 1958 course on one machine.

Written by `beidaihe-course classroom`; see README.md beside it and the course's instructor
guide. Start it as root: jupyterhub -f {room.root}/jupyterhub_config.py
"""

c = get_config()  # noqa: F821 (provided by JupyterHub)

COURSE_ID = {COURSE_ID!r}
CLASSROOM = {str(room.root)!r}
INSTRUCTORS = {list(room.instructors)!r}
STUDENTS = {list(room.students)!r}
FORMGRADER = {room.formgrader!r}
PYTHON_BIN = {bin_dir!r}

c.JupyterHub.bind_url = "http://:{room.hub_port}"
# The hub's own state (users, tokens); the gradebook is nbgrader's, in PostgreSQL.
c.JupyterHub.db_url = f"sqlite:///{{CLASSROOM}}/hub/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = f"{{CLASSROOM}}/hub/jupyterhub_cookie_secret"
# configurable-http-proxy, installed from the npm registry (see README.md)
c.ConfigurableHTTPProxy.command = ["configurable-http-proxy"]

# The machine's Unix accounts sign in with their passwords (PAM, JupyterHub's default);
# only the class may.
c.Authenticator.allowed_users = set(INSTRUCTORS + STUDENTS)
c.JupyterHub.load_groups = {{
    "instructors": {{"users": INSTRUCTORS}},
    "students": {{"users": STUDENTS}},
    # the groups nbgrader's JupyterHub plug-in reads
    f"formgrade-{{COURSE_ID}}": {{"users": INSTRUCTORS}},
    f"nbgrader-{{COURSE_ID}}": {{"users": STUDENTS}},
}}
# Students have JupyterHub's default role ("user": their own server and nothing else).
# Instructors may also open the formgrader and see the class in the hub's API.
c.JupyterHub.load_roles = [
    {{"name": "instructor", "groups": ["instructors"],
     "scopes": [f"access:services!service={{FORMGRADER}}", "list:users", "read:users",
                "list:groups", "read:groups"]}},
    {{"name": "formgrader", "services": [FORMGRADER],
     "scopes": ["list:users", "read:users", "list:groups", "read:groups",
                "read:users:groups"]}},
]
# nbgrader's formgrader, run by the first instructor's account in the course folder.
c.JupyterHub.services = [{{
    "name": FORMGRADER,
    "url": "http://127.0.0.1:{room.formgrader_port}",
    "command": [f"{{PYTHON_BIN}}/jupyterhub-singleuser", "--ServerApp.root_dir=."],
    "user": INSTRUCTORS[0],
    "cwd": f"{{CLASSROOM}}/course",
    "environment": {{
        "JUPYTERHUB_DEFAULT_URL": "/formgrader",
        "PATH": f"{{PYTHON_BIN}}:/usr/bin:/bin",  # nbgrader runs alembic through PATH
        "JUPYTER_CONFIG_PATH": f"{{CLASSROOM}}/etc/jupyter",
        "JUPYTER_PATH": f"{{CLASSROOM}}/jupyter",
    }},
    "oauth_no_confirm": True,
}}]
# Every user's server finds the course id and the exchange.
c.Spawner.environment = {{"JUPYTER_CONFIG_PATH": f"{{CLASSROOM}}/etc/jupyter"}}
c.Spawner.default_url = "/lab"

# Site settings (TLS, another authenticator, ports) go in jupyterhub_config_local.py.
import os  # noqa: E402

_local = os.path.join(CLASSROOM, "jupyterhub_config_local.py")
if os.path.exists(_local):
    load_subconfig(_local)  # noqa: F821 (provided by traitlets)
'''


def everyone_config(room: Classroom) -> str:
    """The text of ``etc/jupyter/nbgrader_config.py`` (read by every user's server)."""
    return f'''"""nbgrader settings every user of the classroom shares (written by
`beidaihe-course classroom`)."""

c = get_config()  # noqa: F821 (provided by nbgrader)

c.CourseDirectory.course_id = {COURSE_ID!r}
c.Exchange.root = {str(room.exchange_dir)!r}
'''


def course_config(room: Classroom) -> str:
    """What the classroom adds to the course's ``nbgrader_config.py``."""
    return f'''
# --- Classroom settings (written by `beidaihe-course classroom`) ---
c.CourseDirectory.root = {str(room.course_dir)!r}
c.Exchange.root = {str(room.exchange_dir)!r}
# The gradebook: PostgreSQL, so that several grading workers can write at once.
c.CourseDirectory.db_url = {room.db_url!r}
# Grade with the sandboxed kernel: student code runs as a sandbox account, not as you.
# Its kernel spec is in {str(room.kernel_dir)!r}; `beidaihe-course autograde` finds it,
# plain `nbgrader autograde` needs JUPYTER_PATH={str(room.kernel_dir)} set.
c.Execute.kernel_name = {KERNEL_NAME!r}
c.ClassroomSandbox.accounts = {list(room.sandboxes)!r}
'''


def sudoers(room: Classroom) -> str:
    """The sudoers rule: instructors may start the sandbox kernel as a sandbox account."""
    command = (f"{room.python} -m beidaihe_course.sandbox run, "
               f"{room.python} -m beidaihe_course.sandbox sweep")
    return (f"# Written by `beidaihe-course classroom`; installed by setup.sh as\n"
            f"# /etc/sudoers.d/{COURSE_ID}. Instructors may start the sandboxed grading\n"
            f"# kernel as a sandbox account, and clean up after it, and nothing else.\n"
            f"Runas_Alias BDH_SANDBOX = {', '.join(room.sandboxes)}\n"
            f"{', '.join(room.instructors)} ALL = (BDH_SANDBOX) NOPASSWD: {command}\n")


def setup_script(room: Classroom) -> str:
    """The text of ``setup.sh``: accounts, groups, owners and modes (run as root)."""
    first = room.instructors[0]
    members = " ".join(room.instructors + room.students)
    sandboxes = " ".join(room.sandboxes)
    return f'''#!/bin/sh
# Written by `beidaihe-course classroom`. Run once as root, after the instructors' and
# students' accounts exist (they are the machine's, or your university's, accounts).
set -eu
ROOT={str(room.root)!r}
CLASS_GROUP={room.class_group}

# The class: only its members may enter the folder that holds the exchange.
getent group "$CLASS_GROUP" >/dev/null || groupadd "$CLASS_GROUP"
for account in {members}; do usermod -a -G "$CLASS_GROUP" "$account"; done

# Sandbox accounts run student code while grading: no login, no home, in no group of the
# class, one per grading worker.
for account in {sandboxes}; do
  id "$account" >/dev/null 2>&1 || useradd --system --no-create-home \\
      --home-dir /nonexistent --shell /usr/sbin/nologin "$account"
done

# Owners and modes: the course (solutions, submissions, the gradebook's settings) is the
# first instructor's alone; the exchange is nbgrader's (world-writable inside a folder
# that only the class may enter); the rest is readable configuration.
chmod 755 "$ROOT"
mkdir -p "$ROOT/hub" "$ROOT/class/exchange"
chmod 700 "$ROOT/hub"
chown -R {first}:{first} "$ROOT/course"
chmod 700 "$ROOT/course"
chown root:"$CLASS_GROUP" "$ROOT/class"
chmod 750 "$ROOT/class"
chmod 777 "$ROOT/class/exchange"
chmod -R a+rX "$ROOT/etc" "$ROOT/jupyter"

# Instructors may start the sandboxed kernel as a sandbox account, and nothing else.
install -m 440 "$ROOT/sudoers" /etc/sudoers.d/{COURSE_ID}
visudo -cf /etc/sudoers.d/{COURSE_ID} >/dev/null
echo "Classroom ready in $ROOT"
'''


def _yaml(value, indent: int = 0) -> str:
    """A small YAML writer for plain dicts, lists, strings and numbers (JSON scalars are
    valid YAML, so strings are written as JSON strings).

    >>> print(_yaml({"a": [1, "b"], "c": {"d": True}}))
    a:
      - 1
      - "b"
    c:
      d: true
    """
    pad = "  " * indent
    lines = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{key}:")
                lines.append(_yaml(item, indent + 1))
            else:
                lines.append(f"{pad}{key}: {json.dumps(item)}")
    else:
        for item in value:
            if isinstance(item, (dict, list)) and item:
                inner = _yaml(item, indent + 1).lstrip()
                lines.append(f"{pad}- {inner}")
            else:
                lines.append(f"{pad}- {json.dumps(item)}")
    return "\n".join(lines)


def z2jh_values(room: Classroom) -> dict:
    """The Zero to JupyterHub values carrying the same settings to Kubernetes.

    Keys follow the chart's configuration reference
    (https://z2jh.jupyter.org/en/stable/resources/reference.html): ``hub.config`` passes
    traitlets to JupyterHub, ``hub.loadRoles`` and ``hub.services`` define the roles and
    the formgrader service, ``singleuser.extraFiles`` mounts the nbgrader settings and
    ``singleuser.storage.extraVolumes``/``extraVolumeMounts`` the shared exchange.
    """
    groups = {"instructors": {"users": list(room.instructors)},
              "students": {"users": list(room.students)},
              f"formgrade-{COURSE_ID}": {"users": list(room.instructors)},
              f"nbgrader-{COURSE_ID}": {"users": list(room.students)}}
    exchange = "/srv/nbgrader/exchange"
    return {
        "hub": {
            "config": {
                "Authenticator": {"allowed_users": list(room.instructors + room.students)},
                "JupyterHub": {"load_groups": groups},
            },
            "loadRoles": {
                "instructor": {"groups": ["instructors"],
                               "scopes": [f"access:services!service={room.formgrader}",
                                          "list:users", "read:users", "list:groups",
                                          "read:groups"]},
                "formgrader": {"services": [room.formgrader],
                               "scopes": ["list:users", "read:users", "list:groups",
                                          "read:groups", "read:users:groups"]},
            },
            "services": {room.formgrader: {
                "url": f"http://formgrader-{COURSE_ID}:{room.formgrader_port}",
                "oauth_no_confirm": True}},
        },
        "singleuser": {
            "extraFiles": {"nbgrader-config": {
                "mountPath": "/etc/jupyter/nbgrader_config.py",
                "stringData": (f"c = get_config()\nc.CourseDirectory.course_id = "
                               f"{COURSE_ID!r}\nc.Exchange.root = {exchange!r}\n")}},
            "storage": {
                "extraVolumes": [{"name": "nbgrader-exchange",
                                  "persistentVolumeClaim": {"claimName": "nbgrader-exchange"}}],
                "extraVolumeMounts": [{"name": "nbgrader-exchange", "mountPath": exchange}],
            },
        },
    }


def _readme(room: Classroom) -> str:
    return f"""# Classroom for the Beidaihe 1958 course

Written by `beidaihe-course classroom`. The instructor guide of the course walks through
every step; in short, as root on the server:

1. Create the accounts (instructors: {', '.join(room.instructors)}; students: {len(room.students)}).
2. `sh {room.root}/setup.sh` (class group, sandbox accounts, owners and modes, sudoers rule).
3. Create the gradebook database: `sudo -u postgres createuser {room.instructors[0]}` and
   `sudo -u postgres createdb -O {room.instructors[0]} {COURSE_ID}`.
4. Install configurable-http-proxy with npm, then `jupyterhub -f {room.root}/jupyterhub_config.py`.

The sandbox limits each graded kernel to files of {LIMITS['file_size_bytes'] // 2**20} MiB
and {LIMITS['processes']} processes. `z2jh-values.yaml` carries these settings to Kubernetes.
"""


def write_classroom(room: Classroom, *, force: bool = False) -> list[Path]:
    """Write the classroom layout into ``room.root``; return the files written.

    Refuses to replace any of the files it writes unless ``force`` is true; other files
    in the folder are left alone.
    """
    from beidaihe_course import grading

    if not isinstance(room, Classroom):
        raise TypeError(f"room must be a Classroom; got {type(room).__name__}")
    root = room.root
    if root.exists() and not root.is_dir():
        raise ValueError(f"{root} exists and is not a directory")
    present = [name for name in WRITTEN if (root / name).exists()]
    if present and not force:
        raise FileExistsError(f"{root} already holds {', '.join(present)}; "
                              "use --force to replace them")
    for name in present:
        target = root / name
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    root.mkdir(parents=True, exist_ok=True)
    grading.write_course(room.course_dir)
    config = room.course_dir / "nbgrader_config.py"
    config.write_text(config.read_text(encoding="utf-8") + course_config(room),
                      encoding="utf-8")
    files = {
        "jupyterhub_config.py": hub_config(room),
        "etc/jupyter/nbgrader_config.py": everyone_config(room),
        f"jupyter/kernels/{KERNEL_NAME}/kernel.json":
            json.dumps(kernel_spec(room.python), indent=1) + "\n",
        "sudoers": sudoers(room),
        "setup.sh": setup_script(room),
        "z2jh-values.yaml": "# Zero to JupyterHub values for the Beidaihe 1958 course "
                            "(see the instructor guide)\n" + _yaml(z2jh_values(room)) + "\n",
        "README.md": _readme(room),
    }
    written = []
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    (root / "setup.sh").chmod(0o755)
    return [config, *written]
