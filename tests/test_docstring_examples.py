"""Every example in a snippet's docstring runs, is formatted by Ruff and prints what it says.

The printed output of an example is written under it in ``#>`` comments. Run
``pytest tests/test_docstring_examples.py --update-examples`` to reformat the examples
and regenerate those comments from a real run instead of typing them.
"""

from __future__ import annotations

import pytest
from pytest_examples import CodeExample, EvalExample, find_examples

from handbook.paths import repository_root

ROOT = repository_root()
EXAMPLES = list(find_examples(ROOT / "snippets"))


def test_snippets_have_docstring_examples() -> None:
    assert EXAMPLES, "the snippets' docstrings should carry runnable examples"


@pytest.mark.parametrize("example", EXAMPLES, ids=str)
def test_docstring_example(example: CodeExample, eval_example: EvalExample) -> None:
    # Examples are short scripts: the docstring rules and the magic-number rule would only
    # add noise to them. Everything else in the repository's Ruff configuration applies.
    eval_example.set_config(line_length=88, target_version="py310", ruff_ignore=["D", "PLR2004"])
    if eval_example.update_examples:
        eval_example.format(example)
        eval_example.run_print_update(example)
    else:
        eval_example.lint_ruff(example)
        eval_example.run_print_check(example)
