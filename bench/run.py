"""Benchmarks, measured side by side in one run; results in bench/results.{json,md}.

Every figure is a median over repeated runs, reported with a baseline measured in the same
run: the cost of the smallest possible matplotlib PNG (one line, same size and dpi). The
ratio is what our code adds; the baseline is what this machine's matplotlib costs anyway.

It also measures, each against a baseline in the same run:

- ``import beidaihe_course`` against ``import pandas, matplotlib`` (fresh interpreters);
- executing every lesson on a fresh kernel against executing the same number of notebooks
  that only import the package, pandas and matplotlib (the unavoidable cost; goal ≤ 1.5×);
- a cold build of a copy of the repository against its floor: an empty Jupyter Book with
  the same number of notebooks that only import the package, pandas and matplotlib
  (goal ≤ 2.5×);
- a book rebuild with nothing changed, and after editing one Markdown cell, against the
  cold build (goal ≤ 0.25×; the execution cache must work);
- the largest built lesson page and the whole site, in MB;
- autograding a class of 30 submissions of one lesson in a real classroom (sandboxed
  kernels, PostgreSQL gradebook) with one worker per core against one worker, in seconds
  per submission, and whether both give the same scores (goal ≤ 0.6× on two cores;
  needs root, as the classroom tests do).

Usage: python bench/run.py [--repeat N] [--skip-book] [--skip-classroom] [--only-classroom]
"""

from __future__ import annotations

import argparse
import io
import json
import platform
import statistics
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402

from beidaihe_course import explorers  # noqa: E402

OUT = Path(__file__).resolve().parent
ROOT = OUT.parent


def _median_s(command: list[str], repeat: int, **kwargs) -> float:
    import subprocess

    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, **kwargs)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def import_ratio(repeat: int) -> dict:
    import sys

    ours = _median_s([sys.executable, "-c", "import beidaihe_course"], repeat)
    base = _median_s([sys.executable, "-c", "import pandas, matplotlib"], repeat)
    return {"import_beidaihe_course_s": round(ours, 3), "import_pandas_matplotlib_s":
            round(base, 3), "import_ratio": round(ours / base, 2)}


def lesson_ratio(repeat: int) -> dict:
    import nbformat
    from nbclient import NotebookClient

    lessons = sorted((ROOT / "lessons").glob("*.ipynb"))
    baseline = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import beidaihe_course, pandas, matplotlib.pyplot")])

    def run_all(notebooks) -> float:
        start = time.perf_counter()
        for nb in notebooks:
            NotebookClient(nb, timeout=300, kernel_name="python3",
                           resources={"metadata": {"path": str(ROOT / "lessons")}}).execute()
        return time.perf_counter() - start

    ours, base = [], []
    for _ in range(repeat):
        ours.append(run_all([nbformat.read(p, as_version=4) for p in lessons]))
        base.append(run_all([nbformat.v4.new_notebook(cells=list(baseline.cells))
                             for _ in lessons]))
    return {"lessons": len(lessons), "lessons_total_s": round(statistics.median(ours), 1),
            "baseline_total_s": round(statistics.median(base), 1),
            "lesson_ratio": round(statistics.median(ours) / statistics.median(base), 2),
            "goal": "<= 1.5"}


FLOOR_CONFIG = """title: Floor
execute:
  execute_notebooks: cache
  timeout: 300
exclude_patterns: [_build]
"""


def _floor_book(folder: Path, notebooks: int) -> Path:
    """An empty Jupyter Book with ``notebooks`` pages that only import the package, pandas
    and matplotlib: what any book of this many executed lessons costs."""
    import nbformat

    folder.mkdir(parents=True)
    (folder / "_config.yml").write_text(FLOOR_CONFIG, encoding="utf-8")
    (folder / "intro.md").write_text("# Floor\n", encoding="utf-8")
    names = [f"page{i:02d}" for i in range(notebooks)]
    toc = "format: jb-book\nroot: intro\nchapters:\n" + "".join(
        f"  - file: {n}\n" for n in names)
    (folder / "_toc.yml").write_text(toc, encoding="utf-8")
    for i, name in enumerate(names):
        nb = nbformat.v4.new_notebook(cells=[
            nbformat.v4.new_markdown_cell(f"# Page {i}"),
            nbformat.v4.new_code_cell(f"import beidaihe_course, pandas, matplotlib.pyplot  # {i}")])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}
        nbformat.write(nb, folder / f"{name}.ipynb")
    return folder


def book_ratios() -> dict:
    import os
    import shutil
    import subprocess
    import tempfile

    jb = str(Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv")) / "bin" / "jupyter-book")
    env = dict(os.environ)  # the book's own extension chooses the static explorers
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "repo"
        shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
            ".venv", "_build", ".git", ".pytest_cache", "__pycache__"))

        def build(where: Path = copy, *options: str) -> float:
            start = time.perf_counter()
            subprocess.run([jb, "build", str(where), *options], check=True,
                           capture_output=True, env=env)
            return time.perf_counter() - start

        lessons = len(list((ROOT / "lessons").glob("*.ipynb")))
        floor = build(_floor_book(Path(tmp) / "floor", lessons))
        cold = build(copy, "-W", "-n", "--keep-going")
        unchanged = build(copy, "-W", "-n", "--keep-going")
        page = copy / "book" / "student_guide.md"
        page.write_text(page.read_text(encoding="utf-8") + "\nEdited.\n", encoding="utf-8")
        edited = build(copy, "-W", "-n", "--keep-going")
        html = copy / "_build" / "html"
        lesson_pages = list((html / "lessons").glob("*.html"))
        largest = max(p.stat().st_size for p in lesson_pages)
        site = sum(p.stat().st_size for p in html.rglob("*") if p.is_file())
        fonts = font_weight(html)
    return {"floor_build_s": round(floor, 1), "cold_build_s": round(cold, 1),
            "cold_to_floor_ratio": round(cold / floor, 2), "cold_goal": "<= 2.5",
            "rebuild_unchanged_s": round(unchanged, 1),
            "rebuild_one_markdown_edit_s": round(edited, 1),
            "rebuild_unchanged_ratio": round(unchanged / cold, 2),
            "rebuild_edit_ratio": round(edited / cold, 2), "rebuild_goal": "<= 0.25",
            "largest_lesson_page_mb": round(largest / 1e6, 2),
            "site_mb": round(site / 1e6, 1), **fonts}


def font_weight(html: Path) -> dict:
    """What the self-hosted Chinese font adds: its files on the site, and the bytes of the
    unicode-range subsets each page needs for its characters (the browser downloads only
    those; regular weight, the one body text uses)."""
    import re

    fonts = html / "_static" / "fonts"
    css = (fonts / "noto-sans-sc.css").read_text(encoding="utf-8")
    faces = []
    for weight, src, ranges in re.findall(
            r"font-weight: (\d+);\s*src: url\(([^)]+)\)[^;]*;\s*unicode-range: ([^;]+);", css):
        spans = [tuple(int(x, 16) for x in r.strip()[2:].split("-")) for r in ranges.split(",")]
        if weight == "400":
            faces.append(((fonts / src).stat().st_size, [(a[0], a[-1]) for a in spans]))
    needed = []
    for page in html.rglob("*.html"):
        text = re.sub(r"<(script|style)\b.*?</\1>", "", page.read_text(encoding="utf-8"),
                      flags=re.S)
        cjk = {ord(c) for c in text if ord(c) >= 0x2E80}
        size = sum(b for b, spans in faces
                   if any(lo <= c <= hi for c in cjk for lo, hi in spans))
        needed.append(size)
    needed.sort()
    on_site = sum(f.stat().st_size for f in fonts.rglob("*") if f.is_file())
    return {"font_on_site_mb": round(on_site / 1e6, 1), "font_subsets": len(faces),
            "font_page_median_kb": round(needed[len(needed) // 2] / 1e3),
            "font_page_max_kb": round(needed[-1] / 1e3)}


def _median_ms(func, repeat: int) -> float:
    func()  # warm-up: fonts, caches
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def _baseline_png() -> None:
    fig = Figure(figsize=explorers.FRAME_SIZE, dpi=explorers.FRAME_DPI)
    fig.add_subplot().plot([0, 1], [0, 1])
    fig.savefig(io.BytesIO(), format="png")


def run(repeat: int) -> dict:
    results = {"machine": platform.platform(), "python": platform.python_version(),
               "repeat": repeat,
               "baseline_png_ms": round(_median_ms(_baseline_png, repeat), 1),
               "explorers": {}}
    for name, factory in explorers.EXPLORERS.items():
        spec = factory()
        settings = spec.settings()
        frame_iter = iter(settings * (repeat + 2))
        canvas = explorers.Canvas(spec)  # one reused figure per explorer, as in the book
        frame_ms = _median_ms(
            lambda s=spec, it=frame_iter, c=canvas: explorers.render_png(s, next(it), c),
            repeat)
        widget = explorers.show(spec, mode="live")
        slider = next(c for c in widget.children if hasattr(c, "min"))
        values = iter([slider.min, slider.max] * (repeat + 1))

        def move(slider=slider, values=values) -> None:
            slider.value = next(values)  # observe() recomputes the model and redraws

        live_ms = _median_ms(move, repeat)
        sizes = explorers.frame_sizes(spec)
        results["explorers"][name] = {
            "frames": len(settings),
            "frame_precompute_median_ms": round(frame_ms, 1),
            "live_update_median_ms": round(live_ms, 1),
            "frame_ratio_to_baseline": round(frame_ms / results["baseline_png_ms"], 2),
            "live_ratio_to_baseline": round(live_ms / results["baseline_png_ms"], 2),
            "frame_bytes_median": int(statistics.median(sizes)),
            "frames_total_kb": round(sum(sizes) / 1024, 1),
        }
    return results


def grading_ratio(size: int = 30, lesson: str = "05_capital_construction") -> dict:
    """Seconds per submission, autograding ``size`` submissions serially and in parallel."""
    import os
    import shutil
    import sys

    import nbformat

    sys.path.insert(0, str(ROOT / "tests"))
    import classroom_env

    gaps = classroom_env.missing()
    if gaps:
        return {"skipped": "; ".join(gaps)}
    room = classroom_env.Classroom(size=size, workers=os.cpu_count() or 1)
    try:
        room.nbgrader("generate_assignment", lesson)
        released = room.course / "release" / lesson / f"{lesson}.ipynb"
        kinds = ["correct", "wrong", "blank", "raising"]
        source = nbformat.read(room.course / "source" / lesson / f"{lesson}.ipynb", 4)
        for i, student in enumerate(room.students):  # as collected from the exchange
            nb = nbformat.read(released, 4)
            kind = kinds[i % len(kinds)]
            for cell, model in zip(nb.cells, source.cells, strict=True):
                grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
                if grade_id.endswith("-answer") and cell.cell_type == "code":
                    cell.source = {"correct": model.source,
                                   "wrong": "answer = {'bogus': 'labels'}",
                                   "raising": "raise RuntimeError('no')"}.get(kind,
                                                                              cell.source)
            folder = room.course / "submitted" / student / lesson
            folder.mkdir(parents=True)
            nbformat.write(nb, folder / f"{lesson}.ipynb")
            (folder / "timestamp.txt").write_text("2026-01-01 00:00:00.000000 UTC")
        shutil.chown(room.course / "submitted", room.instructor, room.instructor)
        for path in (room.course / "submitted").rglob("*"):
            shutil.chown(path, room.instructor, room.instructor)
        timings, books = {}, {}
        for label, workers in (("serial", 1), ("parallel", os.cpu_count() or 1)):
            start = time.perf_counter()
            room.as_user(room.instructor, [str(classroom_env.BIN / "beidaihe-course"),
                                           "autograde", lesson, "--course", str(room.course),
                                           "--workers", str(workers)])
            timings[label] = (time.perf_counter() - start) / size
            books[label] = {s: (r["score"], r["grades"]) for s, r in
                            room.gradebook(lesson)["submissions"].items()}
    finally:
        room.close()
    return {"submissions": size, "workers": os.cpu_count() or 1,
            "serial_s_per_submission": round(timings["serial"], 2),
            "parallel_s_per_submission": round(timings["parallel"], 2),
            "parallel_to_serial": round(timings["parallel"] / timings["serial"], 2),
            "same_scores": books["serial"] == books["parallel"]}


def _section(title: str, data: dict) -> list[str]:
    return ["", f"## {title}", "", "| measure | value |", "|---|---|",
            *(f"| {k} | {v} |" for k, v in data.items())]


def write(results: dict) -> None:
    (OUT / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    lines = ["# Benchmark results", "",
             f"Machine: {results['machine']}, Python {results['python']}; medians of "
             f"{results['repeat']} runs.", "",
             f"Baseline (smallest matplotlib PNG of the same size): "
             f"{results['baseline_png_ms']} ms.", "",
             "| explorer | frames | precompute/frame (ms) | ratio | live update (ms) | ratio "
             "| frame size (median B) | all frames (KB) |",
             "|---|---|---|---|---|---|---|---|"]
    for name, r in results["explorers"].items():
        lines.append(f"| {name} | {r['frames']} | {r['frame_precompute_median_ms']} | "
                     f"{r['frame_ratio_to_baseline']}× | {r['live_update_median_ms']} | "
                     f"{r['live_ratio_to_baseline']}× | {r['frame_bytes_median']} | "
                     f"{r['frames_total_kb']} |")
    for key, title in (("imports", "Import time (median of fresh interpreters)"),
                       ("lessons", "Lesson execution against import-only notebooks"),
                       ("book", "Book rebuilds against a cold build; page sizes"),
                       ("grading", "Autograding a class: parallel against serial")):
        if key in results:
            lines += _section(title, results[key])
    (OUT / "results.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--skip-book", action="store_true", help="skip the book rebuilds")
    parser.add_argument("--skip-classroom", action="store_true",
                        help="skip autograding a class")
    parser.add_argument("--only-classroom", action="store_true",
                        help="only autograde a class; merge into the last results")
    args = parser.parse_args()
    if args.only_classroom:
        results = json.loads((OUT / "results.json").read_text())
        results["grading"] = grading_ratio()
        write(results)
        print(json.dumps(results["grading"], indent=1))
        raise SystemExit(0)
    results = run(args.repeat)
    results["imports"] = import_ratio(5)
    results["lessons"] = lesson_ratio(3)
    if not args.skip_book:
        results["book"] = book_ratios()
    if not args.skip_classroom:
        results["grading"] = grading_ratio()
    write(results)
    print((OUT / "results.md").read_text())
