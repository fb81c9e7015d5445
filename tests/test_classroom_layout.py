"""The classroom layout, its command-line errors and the sandbox's refusals (fast tier; the
real classroom is exercised in test_classroom.py)."""

from __future__ import annotations

import json

import pytest
import yaml
from traitlets.config.loader import PyFileConfigLoader

from beidaihe_course import class_grading, classroom, sandbox
from beidaihe_course.cli import main


@pytest.fixture(scope="module")
def layout(tmp_path_factory):
    root = tmp_path_factory.mktemp("room")
    room = classroom.Classroom(root, instructors=("wang", "chen"), students=("li", "zhao"),
                               sandboxes=("bx1", "bx2"), hub_port=8123)
    classroom.write_classroom(room)
    return room


def _load(path):
    return PyFileConfigLoader(path.name, path=str(path.parent)).load_config()


def test_hub_config_loads_and_gives_students_no_formgrader(layout):
    config = _load(layout.root / "jupyterhub_config.py")
    hub = config.JupyterHub
    assert hub.bind_url == "http://:8123"
    assert config.Authenticator.allowed_users == {"wang", "chen", "li", "zhao"}
    assert hub.load_groups["instructors"]["users"] == ["wang", "chen"]
    assert hub.load_groups["students"]["users"] == ["li", "zhao"]
    [service] = hub.services
    access = f"access:services!service={service['name']}"
    holders = [role for role in hub.load_roles if access in role["scopes"]]
    assert [role.get("groups") for role in holders] == [["instructors"]]
    assert service["user"] == "wang" and service["cwd"] == str(layout.course_dir)


def test_course_config_grades_in_the_sandbox_against_postgresql(layout):
    config = _load(layout.course_dir / "nbgrader_config.py")
    assert config.Execute.kernel_name == sandbox.KERNEL_NAME
    assert config.CourseDirectory.db_url.startswith("postgresql")
    assert class_grading.sandbox_accounts(config) == ("bx1", "bx2")
    assert config.Exchange.root == str(layout.exchange_dir)
    everyone = _load(layout.root / "etc" / "jupyter" / "nbgrader_config.py")
    assert everyone.Exchange.root == config.Exchange.root
    spec = json.loads((layout.kernel_dir / "kernels" / sandbox.KERNEL_NAME /
                       "kernel.json").read_text())
    assert spec["argv"][1:4] == ["-m", "beidaihe_course.sandbox", "launch"]
    lessons = {p.parent.name for p in layout.course_dir.glob("source/*/*.ipynb")}
    assert "05_capital_construction" in lessons


def test_sudoers_allows_only_the_sandbox_commands_for_instructors(layout):
    rules = [line for line in (layout.root / "sudoers").read_text().splitlines()
             if line and not line.startswith("#")]
    assert rules[0] == "Runas_Alias BDH_SANDBOX = bx1, bx2"
    who, commands = rules[1].split(" NOPASSWD: ")
    assert who == "wang, chen ALL = (BDH_SANDBOX)"
    assert sorted(c.split()[-1] for c in commands.split(", ")) == ["run", "sweep"]


def test_z2jh_values_carry_the_same_groups_and_roles(layout):
    values = yaml.safe_load((layout.root / "z2jh-values.yaml").read_text())
    hub = _load(layout.root / "jupyterhub_config.py").JupyterHub
    assert values["hub"]["config"]["JupyterHub"]["load_groups"] == hub.load_groups
    roles = {role["name"]: role["scopes"] for role in hub.load_roles}
    assert {name: role["scopes"] for name, role in values["hub"]["loadRoles"].items()} == roles
    assert values == json.loads(json.dumps(classroom.z2jh_values(layout)))


def test_classroom_command_errors_exit_2(tmp_path, capsys):
    assert main(["classroom", str(tmp_path / "a"), "--instructor", "wang"]) == 0
    assert main(["classroom", str(tmp_path / "a"), "--instructor", "wang"]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["classroom", str(tmp_path / "a"), "--instructor", "wang", "--force"]) == 0
    for args, message in [
        (["--instructor", "Wang Li"], "lower-case letters"),
        (["--instructor", "wang", "--student", "wang"], "both instructor and student"),
        (["--instructor", "wang", "--db-url", "sqlite:///x.db"], "PostgreSQL"),
        (["--instructor", "wang", "--sandbox", "wang"], "sandbox accounts"),
        (["--instructor", "wang", "--port", "70000"], "port number"),
        (["--instructor", "wang", "--students-file", str(tmp_path / "none.txt")], "none.txt"),
    ]:
        assert main(["classroom", str(tmp_path / "b"), *args]) == 2, args
        assert message in capsys.readouterr().err, args
    (tmp_path / "file").write_text("x")
    assert main(["classroom", str(tmp_path / "file"), "--instructor", "wang"]) == 2
    assert "not a directory" in capsys.readouterr().err


def test_autograde_command_names_what_is_wrong(tmp_path, capsys):
    assert main(["autograde", "05_capital_construction", "--course", str(tmp_path)]) == 2
    assert "nbgrader_config.py" in capsys.readouterr().err
    with pytest.raises(ValueError, match="at least 1"):
        class_grading.plan_workers(workers=0, accounts=("a",))
    with pytest.raises(ValueError, match="sandbox accounts"):
        class_grading.plan_workers(workers=2, accounts=("a",))


def test_the_sandbox_refuses_root_and_bad_accounts():
    with pytest.raises(ValueError, match="account name"):
        sandbox.sudo_command("-u root")
    with pytest.raises(ValueError, match="'run' or 'sweep'"):
        sandbox.sudo_command("bx1", step="launch")
    with pytest.raises(ValueError, match="root"):
        sandbox.sweep(0)
    assert sandbox.main(["nonsense"]) == 2
    if sandbox.os.getuid() == 0:  # as root, step 2 must refuse to run student code
        assert sandbox.main(["run"]) == 2
        assert sandbox.main(["sweep"]) == 2
