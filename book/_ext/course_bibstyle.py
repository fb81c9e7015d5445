"""Bibliography style for the course: pybtex's "plain", but titles keep their capitals.

The stock style prints titles in sentence case, which turns "China", "Mao" and "Lushan"
into "china", "mao" and "lushan" unless every proper noun is braced in the .bib file.
The course's titles are already written as published, so print them unchanged.
"""

from __future__ import annotations

from pybtex.plugin import register_plugin
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.template import field, sentence


class CourseStyle(PlainStyle):
    def format_title(self, e, which_field, as_sentence=True):
        title = field(which_field)
        return sentence[title] if as_sentence else title


def setup(app):
    register_plugin("pybtex.style.formatting", "course", CourseStyle)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
