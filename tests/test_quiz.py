"""Every lesson has a well-formed self-check quiz that renders without third-party requests."""

from __future__ import annotations

import re

import pytest

from beidaihe_course import quiz


def test_every_lesson_has_a_quiz(root):
    lessons = sorted(p.stem for p in (root / "lessons").glob("[0-9][0-9]_*.ipynb"))
    assert lessons and set(lessons) <= set(quiz.list_quizzes())


@pytest.mark.parametrize("lesson", quiz.list_quizzes())
def test_quiz_questions_are_well_formed(lesson):
    asked = quiz.questions(lesson)
    assert 3 <= len(asked) <= 8
    for q in asked:
        assert q["type"] in quiz.QUESTION_TYPES and q["question"].strip()
        correct = [a for a in q["answers"] if a.get("correct")]
        if q["type"] == "multiple_choice":
            assert len(correct) == 1, q["question"]
            assert len(q["answers"]) >= 3, q["question"]
        else:
            assert correct, q["question"]
        for a in q["answers"]:
            assert a.get("feedback", "").strip(), f"answer without feedback in {q['question']}"
        text = " ".join([q["question"], *(str(a.get("answer", "")) for a in q["answers"]),
                         *(a.get("feedback", "") for a in q["answers"])])
        assert "$" not in text, "a dollar sign would be typeset as mathematics"
        assert not re.search(r"<[a-zA-Z/]", text), "quiz text must be plain, not HTML"


@pytest.mark.parametrize("lesson", quiz.list_quizzes())
def test_quiz_renders_with_a_stable_id_and_no_cdn(lesson):
    html, script = quiz.quiz_parts(lesson)
    again_html, again_script = quiz.quiz_parts(lesson)
    assert (html, script) == (again_html, again_script)
    assert f'id="{quiz.quiz_id(lesson)}"' in html
    assert "cdn.jsdelivr" not in script
    assert not re.search(r"src\s*=\s*['\"]https?://", script), "the quiz loads a remote script"
