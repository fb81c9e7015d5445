"""scripts/check_release.py: the release workflow's gate before publishing to PyPI."""

from __future__ import annotations

import subprocess
import sys

import pytest

import beidaihe_course
from beidaihe_course._version import DISTRIBUTION

VERSION = beidaihe_course.__version__
STEM = f"{DISTRIBUTION.replace('-', '_')}-{VERSION}"


def _run(root, tmp_path, tag, names, env=None):
    dist = tmp_path / "dist"
    dist.mkdir()
    for name in names:
        (dist / name).write_bytes(b"")
    return subprocess.run([sys.executable, str(root / "scripts" / "check_release.py"), tag,
                           str(dist)], capture_output=True, text=True, env=env, check=False)


def test_the_tag_of_this_version_with_its_sdist_and_wheel_passes(root, tmp_path):
    out = tmp_path / "github_output"
    done = _run(root, tmp_path, f"v{VERSION}", [f"{STEM}-py3-none-any.whl", f"{STEM}.tar.gz"],
                env={"GITHUB_OUTPUT": str(out), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert out.read_text() == f"name={DISTRIBUTION}\nversion={VERSION}\n"


@pytest.mark.parametrize("tag, names, message", [
    ("v0.0.1", None, "does not name the package version"),
    (VERSION, None, "does not name the package version"),           # no leading v
    ("v{v}", ["{s}-py3-none-any.whl"], "expected exactly"),         # no sdist
    ("v{v}", ["old-0.1-py3-none-any.whl", "{s}-py3-none-any.whl", "{s}.tar.gz"],
     "expected exactly"),                                            # a stray file
])
def test_a_wrong_tag_or_dist_folder_stops_the_release(root, tmp_path, tag, names, message):
    names = names or ["{s}-py3-none-any.whl", "{s}.tar.gz"]
    done = _run(root, tmp_path, tag.format(v=VERSION), [n.format(s=STEM) for n in names])
    assert done.returncode == 2 and message in done.stderr, done.stderr


@pytest.mark.slow
def test_the_real_build_names_its_files_as_the_check_expects(root, tmp_path):
    """The stems the check expects are the ones hatchling writes (sdist and wheel)."""
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "hatchling", "build", "-d", str(dist)], cwd=root,
                   check=True, capture_output=True)
    done = subprocess.run([sys.executable, str(root / "scripts" / "check_release.py"),
                           f"v{VERSION}", str(dist)], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
