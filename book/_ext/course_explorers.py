"""The published book shows every explorer in its static form, whoever builds it.

Explorers choose their form from one environment variable (see
``beidaihe_course._engine``): live sliders need a kernel, which a published page does not
have. This extension sets it to ``static`` when Sphinx loads it, before any notebook
runs, and the kernels that execute the pages inherit it. So ``make book``, the tests and a
plain ``jupyter-book build .`` all publish precomputed frames; nothing else sets it.
"""

from __future__ import annotations

import os


def setup(app):
    from beidaihe_course._engine import MODE_VARIABLE

    os.environ[MODE_VARIABLE] = "static"
    return {"parallel_read_safe": True, "parallel_write_safe": True}
