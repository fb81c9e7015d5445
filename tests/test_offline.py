"""The network guard used by the lesson and book tests really blocks and records."""

from __future__ import annotations

import subprocess
import sys

import nbformat
from offline import attempts, offline_env, run_notebook

REACH_OUT = """
import socket, urllib.request
try:
    urllib.request.urlopen("http://example.org", timeout=2)
except OSError as err:
    print("blocked:", err)
sock = socket.socket()
try:
    sock.connect(("192.0.2.1", 80))
except OSError as err:
    print("blocked:", err)
"""


def test_guard_blocks_and_logs_even_when_the_error_is_caught(tmp_path):
    env = offline_env(tmp_path)
    run = subprocess.run([sys.executable, "-c", REACH_OUT], env=env, capture_output=True,
                         text=True, timeout=60)
    assert run.stdout.count("network access blocked") == 2, run.stdout + run.stderr
    logged = attempts(env)
    assert any("example.org" in line for line in logged)
    assert any("192.0.2.1" in line for line in logged)


def test_guard_lets_loopback_through(tmp_path):
    env = offline_env(tmp_path)
    code = ("import socket\nsrv = socket.socket(); srv.bind(('127.0.0.1', 0)); srv.listen()\n"
            "cli = socket.create_connection(srv.getsockname(), timeout=5); print('ok')")
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         timeout=60)
    assert run.stdout.strip() == "ok", run.stderr
    assert attempts(env) == []


def test_importing_and_using_the_package_stays_offline(tmp_path):
    env = offline_env(tmp_path)
    code = ("import beidaihe_course as bc\nfrom beidaihe_course import datasets, explorers\n"
            "[datasets.load(n) for n in datasets.list_datasets()]\n"
            "explorers.explorer('canteen', mode='static')\nprint('ok')")
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         timeout=300)
    assert run.stdout.strip().endswith("ok"), run.stderr[-2000:]
    assert attempts(env) == []


def test_guard_reaches_a_notebook_kernel(tmp_path):
    """The lesson tests run kernels this way; a kernel that goes online must be caught."""
    env = offline_env(tmp_path / "guard")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import os, urllib.request\n"
        "try:\n    urllib.request.urlopen('https://example.org', timeout=2)\n"
        "except OSError:\n    pass\n"
        "print(os.environ['PYTHONHASHSEED'])")])
    run_notebook(nb, tmp_path, {**env, "PYTHONHASHSEED": "7"})
    assert nb.cells[0].outputs[0]["text"].strip() == "7"
    assert any("example.org" in line for line in attempts(env))
