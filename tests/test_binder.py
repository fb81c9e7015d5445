"""The Binder environment, replayed: Binder cannot run here, so this test installs what
repo2docker would install, the way it would, into a fresh virtual environment, runs every
learner copy of the lessons (what the launch buttons open) with that environment's kernel,
and checks every installed version against constraints.txt (the pins CI uses).

How repo2docker reads ``binder/`` (jupyterhub/repo2docker @ 808ae6b): with a ``binder/``
folder only the files in it count; ``runtime.txt`` ("python-X.Y") picks the Python;
``requirements.txt`` is installed from the repository root with
``pip install --no-cache-dir -r "binder/requirements.txt"``
(``repo2docker/buildpacks/python/__init__.py``, ``_get_pip_scripts``); the repository itself
is not installed when ``binder/`` exists (``_is_python_package``). The replay differs in
two flags that change speed, not what is installed: it keeps pip's cache (no
``--no-cache-dir``) and skips byte-compiling (``--no-compile``), which together cut the
install from about a minute of CPU to a quarter of that.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml
from launching import write_learner_copies
from offline import attempts, offline_env

from beidaihe_course import lesson_format as fmt

ROOT = Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"
#: The files of binder/ this test knows how to replay; any other (postBuild, apt.txt,
#: environment.yml, start ...) changes what Binder does, so teach this test about it first.
REPLAYED = {"requirements.txt", "runtime.txt"}
#: repo2docker's command for requirements.txt, with --no-compile for --no-cache-dir (see the
#: docstring).
PIP_COMMAND = ["install", "--no-compile", "-r", "binder/requirements.txt"]
#: Installed by ``python -m venv`` itself, not by the Binder install (make lock leaves
#: them out of constraints.txt too).
VENV_SEED = {"pip", "setuptools"}

pytestmark = pytest.mark.slow


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _constraints() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            pins[_canonical(name)] = version
    return pins


def _python_for_runtime() -> str:
    """An interpreter of the version binder/runtime.txt names (and CI uses)."""
    runtime = (BINDER / "runtime.txt").read_text(encoding="utf-8").strip()
    match = re.fullmatch(r"python-(\d+)\.(\d+)", runtime)
    assert match, f"binder/runtime.txt should read python-X.Y, not {runtime!r}"
    wanted = f"{match.group(1)}.{match.group(2)}"
    book = yaml.safe_load((ROOT / ".github" / "workflows" / "book.yml").read_text())
    ci = {s["with"]["python-version"] for job in book["jobs"].values() for s in job["steps"]
          if s.get("uses", "").startswith("actions/setup-python")}
    assert ci == {wanted}, f"Binder runs Python {wanted}, CI {ci}: keep them the same"
    if "{}.{}".format(*sys.version_info[:2]) == wanted:
        return sys.executable
    found = shutil.which(f"python{wanted}")
    if found:
        return found
    message = f"no Python {wanted} here to replay the Binder environment"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def binder_env(tmp_path_factory) -> Path:
    """A fresh virtual environment holding exactly what the Binder build installs."""
    assert {p.name for p in BINDER.iterdir()} <= REPLAYED, (
        f"binder/ holds files this replay ignores: {sorted(p.name for p in BINDER.iterdir())}")
    venv = tmp_path_factory.mktemp("binder") / "venv"
    subprocess.run([_python_for_runtime(), "-m", "venv", str(venv)], check=True)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    done = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", *PIP_COMMAND],
                          cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return venv


def test_every_installed_version_is_the_one_ci_pins(binder_env):
    listed = subprocess.run([str(binder_env / "bin" / "python"), "-m", "pip", "list",
                             "--format=json"], capture_output=True, text=True, check=True)
    installed = {_canonical(p["name"]): p["version"] for p in json.loads(listed.stdout)}
    pins = _constraints()
    import beidaihe_course

    assert installed.pop("beidaihe-course") == beidaihe_course.__version__
    for seed in VENV_SEED:
        installed.pop(seed, None)
    unpinned = sorted(set(installed) - set(pins))
    assert not unpinned, f"installed without a pin in constraints.txt: {unpinned}"
    differ = {n: (v, pins[n]) for n, v in installed.items() if pins[n] != v}
    assert not differ, f"(installed, constraints.txt): {differ}"
    assert {"ipykernel", "ipywidgets", "jupyterquiz", "pandas"} <= set(installed)


def _text_outputs(cell) -> list:
    return [(o.output_type, o.get("name"), o.get("text"),
             {k: v for k, v in o.get("data", {}).items() if k in fmt.KEEP_MEDIA})
            for o in cell.get("outputs", [])]


def test_every_learner_copy_runs_in_the_binder_environment(binder_env, tmp_path):
    """Each lesson, as the launch buttons open it, runs top to bottom on the Binder
    environment's kernel, offline, and its code cells give the committed text outputs."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    spec = tmp_path / "kernels" / "binder"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(binder_env / "bin" / "python"), "-m", "ipykernel_launcher",
                 "-f", "{connection_file}"],
        "display_name": "Binder replay", "language": "python"}))
    specs = KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")])
    copies = write_learner_copies(tmp_path)
    env = {**offline_env(tmp_path / "guard"), "VIRTUAL_ENV": str(binder_env)}
    env.pop("PYTHONHASHSEED", None)
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    for path in fmt.lesson_paths():
        nb = nbformat.read(copies / path.name, as_version=4)
        km = KernelManager(kernel_name="binder", kernel_spec_manager=specs)
        NotebookClient(nb, km=km, timeout=120,
                       resources={"metadata": {"path": str(workdir)}}).execute(env=env)
        committed = {c.source: c for c in nbformat.read(path, as_version=4).cells
                     if c.cell_type == "code"}
        for cell in nb.cells:
            if cell.cell_type == "code" and cell.source in committed:
                assert _text_outputs(cell) == _text_outputs(committed[cell.source]), (
                    f"{path.name}: {cell.source[:80]!r}")
    assert attempts(env) == [], "network attempts from the lessons"
