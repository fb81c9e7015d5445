"""Student and instructor editions of the book from the same lesson files.

The edition is chosen by the environment, as the Makefile does it:

- ``BEIDAIHE_EDITION=student`` (default): exercises are shown; solutions are removed with
  sphinx-exercise's ``hide_solutions`` option, or kept folded when
  ``BEIDAIHE_SOLUTIONS=fold``; blocks marked ``:class: instructor-only`` (teaching notes)
  are removed.
- ``BEIDAIHE_EDITION=instructor``: solutions are shown unfolded and the teaching notes
  are kept; a banner on every page says that this edition is not for students.

Every page shows the edition and the course version in its footer.
"""

from __future__ import annotations

import html
import os

from docutils import nodes
from sphinx.errors import ConfigError
from sphinx_exercise.nodes import solution_node

EDITIONS = ("student", "instructor")
SOLUTIONS = ("remove", "fold")


def _choice(variable: str, valid: tuple[str, ...]) -> str:
    value = os.environ.get(variable, valid[0]).strip().lower()
    if value not in valid:
        raise ConfigError(f"{variable}={value!r} is not valid; use one of: {', '.join(valid)}")
    return value


def edition_label(edition: str, solutions: str, language: str = "en") -> str:
    """The words shown on every page, e.g. ``Student edition (solutions removed)``.

    >>> edition_label("student", "remove", "zh")
    '学生版（不含参考答案）'
    """
    if language == "zh":
        if edition == "instructor":
            return "教师版（含参考答案和教学注记）"
        return "学生版（" + ("不含参考答案" if solutions == "remove" else "参考答案已折叠") + "）"
    if edition == "instructor":
        return "Instructor edition (solutions and teaching notes)"
    return f"Student edition (solutions {'removed' if solutions == 'remove' else 'folded'})"


def _configure(app, config) -> None:
    from beidaihe_course import __version__
    from beidaihe_course._version import RELEASE_DATE

    edition = _choice("BEIDAIHE_EDITION", EDITIONS)
    solutions = "fold" if edition == "instructor" else _choice("BEIDAIHE_SOLUTIONS", SOLUTIONS)
    config.course_edition = edition
    config.hide_solutions = edition == "student" and solutions == "remove"
    zh = os.environ.get("BEIDAIHE_LANG", "en").strip().lower().startswith("zh")
    label = edition_label(edition, solutions, "zh" if zh else "en")
    version, released = ("版本", "发布于") if zh else ("version", "released")
    options = dict(config.html_theme_options or {})
    options["extra_footer"] = (
        f'<p class="course-edition" data-edition="{edition}" data-version="{__version__}">'
        f"{html.escape(label)} · {version} {html.escape(__version__)} · {released} "
        f"{RELEASE_DATE}</p>")
    if edition == "instructor":
        options["announcement"] = (
            "教师版：含参考答案和教学注记，请勿发给学生。" if zh else
            "Instructor edition: contains model solutions and teaching notes. Do not share "
            "it with students.")
        title = config.html_title or config.project
        config.html_title = f"{title}（教师版）" if zh else f"{title} (instructor edition)"
    config.html_theme_options = options


def _apply(app, doctree) -> None:
    edition = app.config.course_edition
    for node in list(doctree.findall(nodes.Element)):
        classes = node.get("classes", [])
        if "instructor-only" in classes and edition == "student":
            node.parent.remove(node)
        elif edition == "instructor" and isinstance(node, solution_node):
            node["classes"] = [c for c in classes if c != "dropdown"]


def setup(app):
    app.add_config_value("course_edition", "student", "env")
    app.connect("config-inited", _configure, priority=400)
    app.connect("doctree-read", _apply)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
