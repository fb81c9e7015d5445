"""Markdown for book pages generated from the datasets (timeline, estimate tables).

In the book (which sets :data:`MARKDOWN_VARIABLE` to ``myst`` for the processes that run
its pages) a citation is a ``{cite:p}`` role, which the book links to its References.
Anywhere else, such as a lesson run in Jupyter, it is the book's author–year label.

>>> print(cite("linyang2000food; yang2012tombstone"))
[Lin and Yang, 2000; Yang, 2012]
>>> "1958-08-17" in timeline_markdown()
True
"""

from __future__ import annotations

import html
import os
import re

from beidaihe_course import datasets
from beidaihe_course import lesson_format as fmt
from beidaihe_course.i18n import N_, gettext, language
from beidaihe_course.lesson_format import lesson_markdown as _english
from beidaihe_course.lesson_format import lesson_paths

_CATEGORY_LABELS = {"context": N_("Context"), "decision": N_("Decision"),
                    "consequence": N_("Consequence")}


def _row(*cells: str) -> str:
    """A Markdown table row, each header cell in the course's language."""
    return "| " + " | ".join(gettext(cell) for cell in cells) + " |"


def _data(text: str) -> str:
    """A dataset's prose (an event, a method, a note) in the course's language."""
    return gettext(text.strip(), "data") if isinstance(text, str) else text


def lesson_markdown(lesson) -> str:
    """A lesson's Markdown in the course's language (the book's catalog for the lesson)."""
    text = _english(lesson)
    if language() == "en":
        return text
    from beidaihe_course import i18n
    from beidaihe_course.translate import translate_markdown

    stem = fmt.lesson_path(lesson).stem
    return translate_markdown(text, i18n.catalog(f"lessons/{stem}", language()))


#: Set to ``myst`` by the book's Sphinx extension (``book/_ext/course_explorers.py``) when
#: it loads, so the kernels that execute the book's pages write MyST citations.
MARKDOWN_VARIABLE = "BEIDAIHE_MARKDOWN"


def cite(source: str) -> str:
    """Turn a dataset ``source`` cell ("key1; key2") into a citation: a MyST role in the
    book, an author–year label elsewhere (see the module docstring)."""
    keys = [k.strip() for k in source.split(";") if k.strip()]
    if os.environ.get(MARKDOWN_VARIABLE) == "myst":
        return "{cite:p}`" + ",".join(keys) + "`"
    from beidaihe_course.learner_copy import citation

    return citation(keys)


def timeline_markdown(category: str | None = None) -> str:
    """Return the ``timeline`` dataset as a Markdown table, optionally one category only."""
    frame = datasets.load("timeline")
    if category is not None:
        from beidaihe_course._validate import choice

        frame = frame[frame["category"] == choice(category, _CATEGORY_LABELS, "category")]
    lines = [_row(N_("Date"), N_("Event"), N_("Kind"), N_("Source")), "|---|---|---|---|"]
    for row in frame.itertuples(index=False):
        lines.append(f"| {row.date} | {_data(row.event)} "
                     f"| {gettext(_CATEGORY_LABELS[row.category])} | {cite(row.source)} |")
    return "\n".join(lines)


def famine_estimates_markdown() -> str:
    """The ``famine_estimates`` dataset as Markdown: one table per band, lowest first.

    Each band (registered deaths only, revisionist, scholarly, top of the range) is
    labelled, so that no reader takes a registered count or a revisionist figure for a
    scholarly reconstruction.

    >>> text = famine_estimates_markdown()
    >>> [line for line in text.splitlines() if line.startswith("**")][:2]
    ['**Registered deaths only**', '**Revisionist (low) estimates**']
    """
    frame = datasets.load("famine_estimates")
    parts = []
    for band, label in datasets.ESTIMATE_BANDS.items():
        rows = frame[frame["band"] == band].sort_values(["low", "high"])
        lines = [f"**{gettext(label)}**", "",
                 _row(N_("Estimate (million)"), N_("Author"), N_("Published"), N_("Period"),
                      N_("Method"), N_("Source")),
                 "|---|---|---|---|---|---|"]
        for row in rows.itertuples(index=False):
            size = f"{row.low:g}" if row.low == row.high else f"{row.low:g}–{row.high:g}"
            lines.append(f"| {size} | {row.author} | {int(row.year_published)} "
                         f"| {_dashes(_data(row.period))} | {_dashes(_data(row.method))} "
                         f"| {cite(row.source)} |")
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def lost_births_markdown() -> str:
    """The ``lost_births`` dataset as a Markdown table (births that did not happen, in
    millions, kept apart from deaths).

    >>> lost_births_markdown().splitlines()[0]
    '| Births lost or postponed (million) | Author | Period | Method | Source |'
    """
    frame = datasets.load("lost_births").sort_values("births_lost_m")
    lines = [_row(N_("Births lost or postponed (million)"), N_("Author"), N_("Period"),
                  N_("Method"), N_("Source")),
             "|---|---|---|---|---|"]
    for row in frame.itertuples(index=False):
        lines.append(f"| {row.births_lost_m:g} | {row.author} | {_dashes(_data(row.period))} "
                     f"| {_dashes(_data(row.method))} | {cite(row.source)} |")
    return "\n".join(lines)


def _dashes(text: str) -> str:
    """Ranges with an en dash, as printed.

    >>> _dashes("1958-1961, 1960-64, July-June")
    '1958–1961, 1960–64, July–June'
    """
    text = re.sub(r"\b(\d{4})-(\d{2}(?:\d{2})?)\b", "\\1–\\2", text)
    return text.replace("July-June", "July–June")


_TRANSLATION_LABELS = {"published": N_("Published translation"),
                       "course": N_("Course translation"),
                       "paraphrase": N_("Close paraphrase (course)")}


def _bilingual_html(row) -> str:
    """The two texts side by side (stacked on narrow screens), each tagged with its language
    so screen readers pronounce it and the browser picks a font that has the characters."""
    zh, en = html.escape(row.excerpt_zh), html.escape(row.excerpt_en)
    return ('<div class="bilingual">'
            f'<blockquote class="bilingual-zh" lang="zh-Hans"><p>{zh}</p></blockquote>'
            f'<blockquote class="bilingual-en" lang="en"><p>{en}</p></blockquote></div>')


def _document_block(row) -> str:
    translated = gettext(_TRANSLATION_LABELS[row.translation])
    if row.translation_source:
        translated += f" {cite(row.translation_source)}"
    chinese_title = f'<span lang="zh-Hans">{html.escape(row.title_zh)}</span>'
    heading, other = ((row.title_en, chinese_title) if language() == "en"
                      else (row.title_zh, html.escape(row.title_en)))
    sources = gettext("**Chinese text:** {source} (reliability {reliability}; see {page}). "
                      "**English:** {translation}.").format(
        source=cite(row.source), reliability=row.reliability,
        page="{doc}`/book/data_sources`", translation=translated)
    return "\n".join([
        f"## {heading}",
        "",
        f"{row.date} · {_data(row.issuer)} · {other}",
        "",
        _bilingual_html(row),
        "",
        sources,
        "",
        gettext("**Note on the translation.** {note}").format(note=_data(row.translation_note)),
    ])


def document_markdown(doc_id: str) -> str:
    """One key document: heading, both texts, sources and a note on the translation.

    >>> text = document_markdown("peng_letter_1959")
    >>> '<blockquote class="bilingual-zh" lang="zh-Hans">' in text
    True
    >>> document_markdown("peng_letter")
    Traceback (most recent call last):
    ...
    ValueError: unknown document 'peng_letter'; valid names are: beidaihe_communique_1958, ...
    """
    from beidaihe_course._validate import choice

    frame = datasets.load("documents")
    choice(doc_id, sorted(frame["id"]), "document")
    return _document_block(next(frame[frame["id"] == doc_id].itertuples(index=False)))


def documents_markdown() -> str:
    """Every key document in date order (the ``documents`` dataset), for the book page.

    >>> documents_markdown().count('class="bilingual"') == len(datasets.load("documents"))
    True
    """
    frame = datasets.load("documents").sort_values("date")
    return "\n\n".join(_document_block(row) for row in frame.itertuples(index=False))


COURSE_TITLE = "Beidaihe 1958: the decisions that drove the Great Leap Forward"
COURSE_AUTHORS = "The Beidaihe 1958 course contributors"


def citation_markdown() -> str:
    """How to cite the course, with the installed version and its release year.

    >>> from beidaihe_course import __version__
    >>> __version__ in citation_markdown()
    True
    """
    from beidaihe_course import __version__
    from beidaihe_course._version import RELEASE_DATE

    when = RELEASE_DATE[:4]
    bibtex = "\n".join([
        "@misc{beidaihe1958course,",
        f"  author  = {{{{{COURSE_AUTHORS}}}}},",
        f"  title   = {{{{{COURSE_TITLE}}}}},",
        f"  version = {{{__version__}}},",
        f"  year    = {{{when}}},",
        "  note    = {Open teaching course with Jupyter notebooks}",
        "}"])
    return "\n".join([
        gettext("**Version {version}.**").format(version=__version__), "",
        gettext("Author–date style:"), "",
        f"> {COURSE_AUTHORS}. {when}. *{COURSE_TITLE}*. Version {__version__}. "
        "Open teaching course.", "",
        "BibTeX:", "", "```bibtex", bibtex, "```"])


_OBJECTIVES = "Learning objectives"  # a lesson's heading (in the lesson's own catalog)


def learning_outcomes_markdown() -> str:
    """Each lesson's learning objectives, read from the lesson notebooks themselves.

    >>> text = learning_outcomes_markdown()
    >>> text.count("**Lesson") == len(lesson_paths())
    True
    """
    parts = []
    for path in lesson_paths():
        text = lesson_markdown(path)
        title = text.splitlines()[0].lstrip("# ").strip()
        domain = f"lessons/{path.stem}"
        heading = gettext(_OBJECTIVES, domain)
        section = text.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
        items = [line for line in section.splitlines() if line[:1].isdigit()]
        parts.append(f"**{title}**\n\n" + "\n".join(items))
    return "\n\n".join(parts)


def discussion_prompts_markdown() -> str:
    """Each lesson's discussion prompt, read from its teaching notes (the ``instructor-only``
    block), so the guide and the instructor edition of the lessons never disagree.

    >>> text = discussion_prompts_markdown()
    >>> text.startswith("- **Lesson 0.**") and text.count("- **Lesson") >= 8
    True
    """
    lines = []
    for path in lesson_paths():
        text = _english(path)
        notes = "\n".join(m.group(0) for m in fmt.TEACHING_NOTES.finditer(text))
        prompt = re.search(r"^- (\*\*Discussion\.\*\* (.+))$", notes, re.M)
        if prompt:
            english = prompt.group(1)
            domain = f"lessons/{path.stem}"
            item = gettext(english, domain)
            if item == prompt.group(1):  # English: the prompt without its label
                item = prompt.group(2)
            else:  # translated: the translation without its label
                item = re.sub(r"^\*\*[^*]+\*\*[：:]?\s*", "", item)
            label = gettext("**Lesson {number}.**").format(number=int(path.stem[:2]))
            lines.append(f"- {label} {item}")
    return "\n".join(lines)


#: How the course times a lesson (see :func:`estimated_minutes`): reading speed for a
#: history text read with its sources and questions, and minutes per task.
READING_WORDS_PER_MINUTE = 120
MINUTES_PER = {"auto": 5, "written": 10, "explorer": 5, "quiz": 5}
_WORDS_ASKED = re.compile(r"about (\d[\d,]*) words")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def estimated_minutes(path) -> int:
    """An honest time for a lesson, to the nearest 5 minutes: its student text read at
    :data:`READING_WORDS_PER_MINUTE` (two Chinese characters count as a word), plus
    :data:`MINUTES_PER` task. A written answer of "about N words" takes N / 10 minutes.

    >>> 40 <= estimated_minutes("03_production_targets") <= 150
    True
    """
    import nbformat

    nb = nbformat.read(fmt.lesson_path(path), as_version=4)
    text = fmt.student_text(path)
    words = len(_CJK.sub("", text).split()) + len(_CJK.findall(text)) / 2
    minutes = words / READING_WORDS_PER_MINUTE
    prompts = fmt.prompts(nb)
    for exercise in fmt.exercises_in(nb):
        asked = _WORDS_ASKED.search(prompts.get(exercise.label, ""))
        if exercise.kind == "written" and asked:
            minutes += int(asked.group(1).replace(",", "")) / 10
        else:
            minutes += MINUTES_PER[exercise.kind]
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    minutes += MINUTES_PER["explorer"] * code.count("explorer(")
    minutes += MINUTES_PER["quiz"] * code.count("show_quiz(")
    return int(5 * round(minutes / 5))


def stated_minutes(path) -> int:
    """The time a lesson states for itself ("**Time:** about N minutes").

    >>> stated_minutes("01_meeting_at_beidaihe") > 0
    True
    """
    found = re.search(r"\*\*Time:\*\* about (\d+) minutes", _english(path))
    if not found:
        raise ValueError(f"{fmt.lesson_path(path).name} states no time as "
                         "'**Time:** about N minutes'")
    return int(found.group(1))


def lessons_at_a_glance_markdown() -> str:
    """A table of the lessons for the instructor guide, read from the lessons themselves:
    subject, stated time, explorers, and exercises by kind with their points.

    >>> lessons_at_a_glance_markdown().count("{doc}") == len(lesson_paths())
    True
    """
    import nbformat

    from beidaihe_course import checks

    lines = [_row(N_("Lesson"), N_("Subject"), N_("Time"), N_("Explorer"),
                  N_("Exercises (points)")),
             "|---|---|---|---|---|"]
    for path in lesson_paths():
        title = _english(path).splitlines()[0].lstrip("# ").strip()
        number, _, subject = title.partition(". ")
        subject = subject.split(":")[0]
        if language() != "en":  # the translated title, without "Lesson N"
            title = lesson_markdown(path).splitlines()[0].lstrip("# ").strip()
            subject = re.split(r"[：:]", re.sub(r"^第\s*\d+\s*课[\s。．.：:]*", "", title))[0]
        code = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells
                         if c.cell_type == "code")
        names = re.findall(r'explorer\("(\w+)"', code)
        exercises = fmt.exercises(path)
        autos = [e for e in exercises if e.kind == "auto"]
        judged = sum(checks.KINDS[e.check] == "judgement" for e in autos)
        written = len(exercises) - len(autos)
        parts = [gettext("{count} data ({judged} judgement, {arithmetic} arithmetic; {points} "
                         "each)").format(count=len(autos), judged=judged,
                                         arithmetic=len(autos) - judged,
                                         points=fmt.POINTS["auto"]),
                 gettext("{count} written ({points} each)").format(
                     count=written, points=fmt.POINTS["written"])]
        minutes = gettext("{minutes} min").format(minutes=stated_minutes(path))
        separator = gettext(", ")
        lines.append(f"| {{doc}}`{number.split()[-1]} <../lessons/{path.stem}>` | {subject} "
                     f"| {minutes} | {', '.join(names) or '—'} | {separator.join(parts)} |")
    return "\n".join(lines)
