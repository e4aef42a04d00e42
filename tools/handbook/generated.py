"""Text a page shows that the code writes: ``/// generated | module:function``.

The function is called during the build and returns the Markdown lines to put in the
directive's place, so a page made from what the code declares (the troubleshooting guide,
from every error and its remedy) is never typed and never stale. A function that raises
fails the build with its message: that is how a generator refuses incomplete input.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable


def call_target(target: str) -> object:
    """Import ``module`` and return what its ``function`` returns, for ``module:function``.

    Raises:
        ValueError: The target is not ``module:function``.
    """
    module_name, _, attribute = target.partition(":")
    if not module_name or not attribute:
        raise ValueError(f"write 'module:function', got {target!r}")
    function: Callable[[], object] = getattr(importlib.import_module(module_name), attribute)
    return function()


def generate_markdown(target: str) -> list[str]:
    """Call ``module:function`` and return the Markdown lines it returns.

    Raises:
        ValueError: The target is not ``module:function``, or it returned no list of lines.
    """
    lines = call_target(target)
    if not isinstance(lines, list) or not all(isinstance(line, str) for line in lines):
        raise ValueError(f"{target} did not return a list of lines")
    return lines
