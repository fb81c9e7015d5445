"""Helpers shared by the launch tests (test_launch, test_binder): the learners job of the
deploy workflow, read from the workflow itself so the tests replay what it runs."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def learner_steps() -> tuple[list[list[str]], str]:
    """The learners job's commands that write the learner copies (each as argv: English,
    then Chinese), and its publishing script."""
    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "book.yml").read_text())
    runs = [s["run"] for s in flow["jobs"]["learners"]["steps"] if "run" in s]
    write = next(r for r in runs if "beidaihe-course lessons" in r)
    publish = next(r for r in runs if "git push" in r)
    return [shlex.split(line) for line in write.splitlines() if line.strip()], publish


def learners_branch() -> str:
    """The branch the learners job pushes to."""
    pushed = re.findall(r"git push --force origin (\S+)", learner_steps()[1])
    assert len(pushed) == 1, learner_steps()[1]
    return pushed[0]


def write_learner_copies(cwd: Path) -> Path:
    """Run the learners job's command in ``cwd`` with this environment's
    ``beidaihe-course``; return the folder it wrote."""
    commands, _ = learner_steps()
    exe = Path(sys.executable).with_name("beidaihe-course")
    for argv in commands:
        assert Path(argv[0]).name == "beidaihe-course", argv
        done = subprocess.run([str(exe), *argv[1:]], cwd=cwd, capture_output=True,
                              text=True, check=False)
        assert done.returncode == 0, done.stderr
    return cwd / commands[0][-1]
