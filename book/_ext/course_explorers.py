"""The published book shows every explorer in its static form, whoever builds it, and
its generated tables cite with MyST roles.

Explorers choose their form from one environment variable (see
``beidaihe_course._engine``): live sliders need a kernel, which a published page does not
have. This extension sets it to ``static`` when Sphinx loads it, before any notebook
runs, and the kernels that execute the pages inherit it. So ``make book``, the tests and a
plain ``jupyter-book build .`` all publish precomputed frames; nothing else sets it.
In the same way it sets ``beidaihe_course.pages.MARKDOWN_VARIABLE`` to ``myst``, so the
Markdown that pages and lessons generate from the data cites with ``{cite:p}`` roles (in
Jupyter the same Markdown shows author–year labels, since Jupyter cannot resolve a role).
"""

from __future__ import annotations

import os


def setup(app):
    from beidaihe_course._engine import MODE_VARIABLE
    from beidaihe_course.pages import MARKDOWN_VARIABLE

    os.environ[MODE_VARIABLE] = "static"
    os.environ[MARKDOWN_VARIABLE] = "myst"
    return {"parallel_read_safe": True, "parallel_write_safe": True}
