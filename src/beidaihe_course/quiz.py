"""Self-check quizzes: each lesson's questions, shown with jupyterquiz.

The questions live as package data in ``quizzes/<lesson>.json`` in jupyterquiz's own
format (multiple choice and numeric questions, each answer with feedback). jupyterquiz
renders them with a little JavaScript, so the quiz works in Jupyter and in the static
book without a kernel.

The wrapper adds three things to :func:`jupyterquiz.display_quiz`:

- the container id is derived from the lesson name, so every build emits the same HTML;
- the plain-text form of the output is a one-line summary, so committed notebooks stay
  readable and stable;
- jupyterquiz's fallback that loads MathJax from a CDN is removed: the course's quizzes
  contain no mathematics, and the book makes no third-party requests.

>>> sorted(list_quizzes())[:2]
['00_road_to_beidaihe', '01_meeting_at_beidaihe']
>>> len(questions("03_production_targets")) >= 3
True
>>> questions("99_nowhere")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
ValueError: unknown quiz '99_nowhere'; valid names are: 00_road_to_beidaihe, ...
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from importlib import resources

from beidaihe_course import _validate
from beidaihe_course.i18n import gettext

_CDN_LOADER = re.compile(r"script\.src = 'https://cdn\.jsdelivr\.net/[^']*';")
QUESTION_TYPES = ("multiple_choice", "many_choice", "numeric")


def _folder():
    return resources.files("beidaihe_course").joinpath("quizzes")


def list_quizzes() -> list[str]:
    """Names of the lessons that have a quiz (the JSON file names without suffix)."""
    return sorted(p.name[:-5] for p in _folder().iterdir() if p.name.endswith(".json"))


#: The keys of a question whose text is prose, translated with the quiz's catalog.
TEXT_KEYS = ("question", "answer", "feedback")


def questions(lesson: str) -> list[dict]:
    """The questions of ``lesson``'s quiz, as jupyterquiz question dictionaries, in the
    course's language (:mod:`beidaihe_course.i18n`)."""
    _validate.choice(lesson, list_quizzes(), "quiz")
    asked = json.loads(_quiz_text(lesson))  # a fresh list each call: safe to modify
    return _translated(asked, f"quizzes/{lesson}")


def _translated(value, domain: str):
    if isinstance(value, list):
        return [_translated(item, domain) for item in value]
    if isinstance(value, dict):
        return {key: gettext(item, domain) if key in TEXT_KEYS and isinstance(item, str)
                else _translated(item, domain) for key, item in value.items()}
    return value


@cache
def _quiz_text(lesson: str) -> str:
    return _folder().joinpath(f"{lesson}.json").read_text(encoding="utf-8")


def quiz_id(lesson: str) -> str:
    """A stable, letters-only HTML id for ``lesson``'s quiz container.

    >>> quiz_id("03_production_targets") == quiz_id("03_production_targets")
    True
    """
    digest = hashlib.sha256(lesson.encode()).hexdigest()
    return "quiz" + "".join(chr(ord("a") + int(c, 16)) for c in digest[:12])


def quiz_parts(lesson: str) -> tuple[str, str]:
    """The quiz's HTML (container and styles) and its JavaScript, ready to display."""
    from jupyterquiz.dynamic.loader import load_questions_script
    from jupyterquiz.dynamic.renderer import build_script, build_styles, render_div

    asked = questions(lesson)  # validates the name
    div_id = quiz_id(lesson)
    prefix, static, url = load_questions_script(asked, div_id)
    styles = build_styles(div_id, _COLOURS).replace(
        "</style>", _FEEDBACK_CSS.format(id=div_id) + "</style>")
    html = (render_div(div_id, False, True, False, 1_000_000, 700, 10, "left")
            + "</div>" + styles)
    script = _CDN_LOADER.sub("return;", build_script(prefix, static, url, div_id, True))
    labels = _LABEL_INPUTS.replace("Your numeric answer", gettext("Your numeric answer"))
    return html, script + labels.replace("DIV_ID", div_id)


# A light palette that reads on the book's white page and in Jupyter alike. jupyterquiz
# uses the correct/incorrect colours both as the background of a chosen answer and as the
# colour of feedback text, so the feedback text gets its own darker colours below.
_COLOURS = {
    "--jq-multiple-choice-bg": "#eef2f8", "--jq-many-choice-bg": "#f7f0e6",
    "--jq-numeric-bg": "#eef2f8", "--jq-string-bg": "#eef2f8",
    "--jq-mc-button-bg": "#ffffff", "--jq-mc-button-border": "#6b7485",
    "--jq-mc-button-inset-shadow": "#555555", "--jq-numeric-input-bg": "#ffffff",
    "--jq-numeric-input-label": "#1f2933", "--jq-numeric-input-shadow": "#999999",
    "--jq-incorrect-color": "#fdd0a2", "--jq-correct-color": "#c7e9c0",
    "--jq-text-color": "#1f2933", "--jq-link-color": "#0b5cad",
}
_FEEDBACK_CSS = ("#{id} .correct {{ color: #006d2c; }} #{id} .incorrect {{ color: #8c2d04; }} "
                 "#{id} .Input-text {{ border: 1px solid #6b7485; }}")


# Once the quiz exists: jupyterquiz's numeric answer box has no accessible name, so give
# it one; and mark each run of Chinese lang="zh-Hans" (screen readers, the site's font),
# as the book does for its own text.
_LABEL_INPUTS = """
(function labelQuizInputs(tries) {
  var div = document.getElementById("DIV_ID");
  var boxes = document.querySelectorAll("#DIV_ID input.Input-text");
  boxes.forEach(function (box) {
    if (!box.getAttribute("aria-label")) { box.setAttribute("aria-label", "Your numeric answer"); }
  });
  if (div && div.textContent.trim()) {
    markChinese(div);
    new MutationObserver(function () { markChinese(div); })
      .observe(div, {childList: true, subtree: true});
  } else if (tries > 0) { setTimeout(function () { labelQuizInputs(tries - 1); }, 200); }
  function markChinese(root) {
    var han = /[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]+/g, nodes = [];
    var walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (var n = walk.nextNode(); n; n = walk.nextNode()) {
      if (n.parentElement && !n.parentElement.closest('[lang^="zh"]') && han.test(n.data)) {
        nodes.push(n);
      }
      han.lastIndex = 0;
    }
    nodes.forEach(function (node) {
      var html = node.data.replace(/[&<>]/g, function (c) {
        return {"&": "&amp;", "<": "&lt;", ">": "&gt;"}[c]; });
      var span = document.createElement("span");
      span.innerHTML = html.replace(han, '<span lang="zh-Hans">$&</span>');
      node.replaceWith.apply(node, Array.from(span.childNodes));
    });
  }
})(25);
"""


def show_quiz(lesson: str) -> None:
    """Display ``lesson``'s self-check quiz (in Jupyter and in the built book)."""
    from IPython.display import display

    html, script = quiz_parts(lesson)
    count = len(questions(lesson))
    summary = gettext("Self-check quiz: {count} questions. Choose an answer to see feedback "
                      "(needs JavaScript; nothing is recorded).").format(count=count)
    display({"text/html": html, "text/plain": summary}, raw=True)
    display({"application/javascript": script, "text/plain": ""}, raw=True)
