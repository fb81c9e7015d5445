"""Benchmarks, measured side by side in one run; results in bench/results.{json,md}.

Every figure is a median over repeated runs, reported with a baseline measured in the same
run: the cost of the smallest possible matplotlib PNG (one line, same size and dpi). The
ratio is what our code adds; the baseline is what this machine's matplotlib costs anyway.

Usage: python bench/run.py [--repeat N]
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
        frame_iter = iter(settings * (repeat + 1))
        frame_ms = _median_ms(lambda s=spec, it=frame_iter: explorers.render_png(s, next(it)),
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
    (OUT / "results.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    write(run(parser.parse_args().repeat))
    print((OUT / "results.md").read_text())
