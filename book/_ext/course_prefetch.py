"""Execute the book's notebooks in parallel before Sphinx reads them.

myst-nb (execution mode ``cache``) executes each page's notebook when Sphinx reads that
page, one after another. Before reading starts, this extension finds the pages that are
notebooks (lessons, and Markdown pages with code cells) whose outputs are not yet in the
execution cache, executes them in parallel worker processes (one per CPU, at most
:data:`MAX_WORKERS`), and stores the results in the same jupyter-cache that myst-nb reads,
exactly as myst-nb would. myst-nb then finds every notebook cached. A notebook that fails
here is left alone: myst-nb executes it again itself and reports the error as usual.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from sphinx.util import logging

LOGGER = logging.getLogger(__name__)
MAX_WORKERS = 4


def _execute(nb, cwd: str, timeout: int):
    """Run in a worker process: (executed notebook, seconds, error text or None)."""
    from jupyter_cache.executors.utils import single_nb_execution

    result = single_nb_execution(nb, cwd=cwd, allow_errors=False, timeout=timeout,
                                 meta_override=True)
    return nb, result.time, (result.exc_string if result.err is not None else None)


def _stale_notebooks(app, env, docnames) -> list[tuple[Path, object]]:
    from jupyter_cache import get_cache
    from myst_nb.core.read import create_nb_reader

    cache = get_cache(env.mystnb_config.execution_cache_path or ".jupyter_cache")
    stale = []
    for docname in sorted(docnames):
        path = Path(env.doc2path(docname))
        text = path.read_text(encoding="utf-8")
        reader = create_nb_reader(str(path), env.myst_config, env.mystnb_config, text)
        if reader is None:
            continue
        nb = reader.read(text)
        if not any(cell.cell_type == "code" for cell in nb.cells):
            continue
        try:
            cache.match_cache_notebook(nb)
        except KeyError:
            stale.append((path, nb))
    return stale


def prefetch(app, env, docnames) -> None:
    if env.mystnb_config.execution_mode != "cache":
        return
    stale = _stale_notebooks(app, env, docnames)
    workers = min(MAX_WORKERS, os.cpu_count() or 1, len(stale))
    if workers < 2:
        return  # nothing to gain: myst-nb executes one notebook as fast as this would
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(env.mystnb_config.execution_cache_path or ".jupyter_cache")
    timeout = env.mystnb_config.execution_timeout
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork")) as pool:
        jobs = [(path, pool.submit(_execute, nb, str(path.parent), timeout))
                for path, nb in stale]
        for path, job in jobs:
            nb, seconds, error = job.result()
            if error is not None:
                continue  # myst-nb will execute it and report the error
            cache.cache_notebook_bundle(
                CacheBundleIn(nb, str(path), data={"execution_seconds": seconds}),
                check_validity=False, overwrite=True)
    LOGGER.info(f"[course_prefetch] executed {len(stale)} notebooks in {workers} processes "
                f"in {time.perf_counter() - start:.1f} s")


def setup(app):
    app.connect("env-before-read-docs", prefetch)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
