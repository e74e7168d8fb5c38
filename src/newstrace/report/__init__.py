"""Reports: the brief as one self-contained HTML page or as compact Markdown.

Both read the records of a :class:`~newstrace.model.Brief` and never
recompute the analysis; the JSON report is ``Brief.to_json()``.
"""

from newstrace.report.html import render_html
from newstrace.report.markdown import render_markdown

__all__ = ["render_html", "render_markdown"]
