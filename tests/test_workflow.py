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
