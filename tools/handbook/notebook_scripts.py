"""An executed notebook's page without the script loaders that nbconvert's template adds.

mkdocs-jupyter renders a notebook with a template that extends nbconvert's ``lab`` one,
which writes into every notebook's HTML a MathJax loader (a script whose source is a CDN's
unless a URL is configured, an empty ``src`` when mkdocs-jupyter passes none) and a module
that imports Mermaid from a CDN when the notebook holds a diagram. The lab's notebook has
neither maths nor diagrams, and the site loads nothing from another host, so both go
(ADR 95).
"""

from __future__ import annotations

import re

MATHJAX = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S)
MERMAID = re.compile(r'<script type="module">(?:(?!</script>).)*?jp-Mermaid.*?</script>', re.S)


def without_remote_loaders(html: str) -> str:
    """``html`` without nbconvert's MathJax loader and its Mermaid module."""
    return MERMAID.sub("", MATHJAX.sub("", html))
