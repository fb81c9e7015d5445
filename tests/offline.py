"""A network guard for test subprocesses: any connection beyond this machine is refused and logged.

``offline_env(folder)`` writes a ``sitecustomize.py`` into *folder* and returns an
environment whose Python processes (jupyter-book, Sphinx, every kernel they start) load it.
The guard refuses to resolve or connect to any host other than loopback and appends each
attempt to the file named by ``BEIDAIHE_NETLOG``, so an attempt that the caller catches and
ignores is still seen by the test. ZeroMQ (kernel messaging) and Unix sockets are untouched.
"""

from __future__ import annotations

import os
from pathlib import Path

GUARD = '''
import os, socket

_LOG = os.environ.get("BEIDAIHE_NETLOG")
_LOCAL = ("localhost", "127.0.0.1", "::1", "0.0.0.0", "", None)


def _local(host):
    if isinstance(host, bytes):
        host = host.decode()
    return host in _LOCAL or str(host).startswith("127.")


def _refuse(what):
    if _LOG:
        with open(_LOG, "a", encoding="utf-8") as log:
            log.write(f"{os.getpid()} {what}\\n")
    raise OSError(f"network access blocked in the offline test: {what}")


def _wrap(method):
    def guarded(self, address, *args, **kwargs):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _local(address[0]):
            _refuse(f"{method.__name__} {address!r}")
        return method(self, address, *args, **kwargs)
    return guarded


socket.socket.connect = _wrap(socket.socket.connect)
socket.socket.connect_ex = _wrap(socket.socket.connect_ex)
_getaddrinfo = socket.getaddrinfo


def _guarded_getaddrinfo(host, *args, **kwargs):
    if not _local(host):
        _refuse(f"getaddrinfo {host!r}")
    return _getaddrinfo(host, *args, **kwargs)


socket.getaddrinfo = _guarded_getaddrinfo
'''


def offline_env(folder: Path) -> dict[str, str]:
    """Return ``os.environ`` plus the guard; attempts are logged to ``folder/network.log``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sitecustomize.py").write_text(GUARD, encoding="utf-8")
    log = folder / "network.log"
    log.touch()
    path = os.pathsep.join(p for p in (str(folder), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, "BEIDAIHE_NETLOG": str(log)}


def run_notebook(nb, workdir: Path, env: dict[str, str], timeout: int = 120) -> None:
    """Execute *nb* in place on a fresh kernel started with *env*, in *workdir*."""
    from nbclient import NotebookClient

    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(workdir)}})
    client.execute(env=env)


def attempts(env: dict[str, str]) -> list[str]:
    """The network attempts logged so far under *env*."""
    return Path(env["BEIDAIHE_NETLOG"]).read_text(encoding="utf-8").splitlines()
