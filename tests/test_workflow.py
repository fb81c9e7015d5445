"""The publish workflow cannot run here, so its structure is checked instead."""

from __future__ import annotations

import yaml


def _workflow(root):
    text = (root / ".github" / "workflows" / "book.yml").read_text(encoding="utf-8")
    return yaml.safe_load(text), text


def test_workflow_tests_pull_requests_and_deploys_main(root):
    flow, _ = _workflow(root)
    triggers = flow[True] if True in flow else flow["on"]  # YAML 1.1 reads "on" as True
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    test, deploy = flow["jobs"]["test"], flow["jobs"]["deploy"]
    assert any(step.get("run") == ".ci/run" for step in test["steps"]), "CI steps live in .ci/run"
    runs = [step.get("run", "") for step in deploy["steps"]]
    assert "make bundle" in runs or "make book" in runs  # bundle builds the book first
    assert not any("book-instructor" in run for run in runs), "never publish solutions"
    pages = next(s for s in deploy["steps"]
                 if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert pages["with"]["path"] == "_build/html", "publish the student edition only"
    assert deploy["needs"] == "test" and "refs/heads/main" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    uses = [step.get("uses", "") for step in deploy["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact") for u in uses)
    assert any(u.startswith("actions/deploy-pages") for u in uses)


def test_workflow_uploads_reports_when_a_job_fails(root):
    flow, _ = _workflow(root)
    for job in flow["jobs"].values():
        failure = [s for s in job["steps"] if s.get("if") == "failure()"]
        assert failure and failure[0]["uses"].startswith("actions/upload-artifact")


def test_a_scheduled_job_refreshes_the_constraints_and_tests_them(root):
    text = (root / ".github" / "workflows" / "refresh-constraints.yml").read_text()
    flow = yaml.safe_load(text)
    triggers = flow[True] if True in flow else flow["on"]
    assert triggers["schedule"][0]["cron"]
    runs = [s.get("run", "") for s in flow["jobs"]["refresh"]["steps"]]
    assert runs.index("make lock") < runs.index(".ci/run")
    assert (root / "constraints.txt").is_file()


def _triggers(flow):
    return flow[True] if True in flow else flow["on"]


def test_a_version_tag_builds_checks_and_publishes_with_trusted_publishing(root):
    text = (root / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
    flow = yaml.safe_load(text)
    assert _triggers(flow) == {"push": {"tags": ["v*"]}}, "only a version tag releases"
    assert flow["permissions"] == {"contents": "read"}
    build, publish = flow["jobs"]["build"], flow["jobs"]["publish"]
    runs = [s.get("run", "") for s in build["steps"]]
    built = next(i for i, r in enumerate(runs) if "hatchling build" in r)
    checked = next(i for i, r in enumerate(runs) if "scripts/check_release.py" in r)
    assert built < checked and "${{ github.ref_name }}" in runs[checked]
    assert "-c constraints.txt" in next(r for r in runs if "pip install" in r)
    assert "permissions" not in build, "the build job gets no publishing token"
    assert publish["needs"] == "build"
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["environment"]["name"] == "pypi"
    assert "needs.build.outputs.name" in publish["environment"]["url"]  # name from pyproject
    uses = [s.get("uses", "") for s in publish["steps"]]
    assert uses[-1] == "pypa/gh-action-pypi-publish@release/v1"
    assert not publish["steps"][-1].get("with"), "no password or token: trusted publishing"
    assert all(s.get("run") is None for s in publish["steps"]), "publish only uploads"


def test_no_workflow_reads_a_secret(root):
    for path in (root / ".github" / "workflows").glob("*.yml"):
        assert "secrets." not in path.read_text(encoding="utf-8"), path.name


def test_main_publishes_the_learner_copies_on_their_own_branch(root):
    flow, _ = _workflow(root)
    learners = flow["jobs"]["learners"]
    assert learners["needs"] == "test" and "refs/heads/main" in learners["if"]
    assert learners["permissions"] == {"contents": "write"}
    runs = [s.get("run", "") for s in learners["steps"]]
    writes = next(i for i, r in enumerate(runs)
                  if ".venv/bin/beidaihe-course lessons --force lessons-out\n" in r)
    assert "lessons --lang zh --force lessons-out/zh" in runs[writes]  # the Chinese copies
    assert writes < next(i for i, r in enumerate(runs) if "git push" in r)
    publish = next(r for r in runs if "git push" in r)
    assert "rm -rf lessons\nmv lessons-out lessons\n" in publish
    assert "--allow-empty" in publish, "a commit with no change must not fail the job"
    # the deploy job keeps its own narrow permissions
    assert "contents" not in flow["jobs"]["deploy"]["permissions"]
