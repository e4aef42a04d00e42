"""The one shape of every complaint: ``path:line: message``, sorted by place."""

from __future__ import annotations

from handbook.problems import Problem, ProblemError


def test_a_problem_reads_path_line_message() -> None:
    assert str(Problem("docs/index.md", 12, "something is wrong")) == (
        "docs/index.md:12: something is wrong"
    )
    assert str(Problem("snippets/x.py", 0, "the whole file")) == "snippets/x.py:0: the whole file"


def test_problems_sort_by_path_then_line() -> None:
    problems = [
        Problem("snippets/x.py", 2, "b"),
        Problem("docs/b.md", 10, "c"),
        Problem("docs/b.md", 9, "d"),
        Problem("docs/a.md", 30, "e"),
    ]

    assert [str(p) for p in sorted(problems)] == [
        "docs/a.md:30: e",
        "docs/b.md:9: d",
        "docs/b.md:10: c",
        "snippets/x.py:2: b",
    ]


def test_problem_error_keeps_every_problem_sorted_as_its_message() -> None:
    error = ProblemError([Problem("b.md", 1, "second"), Problem("a.md", 7, "first")])

    assert error.problems == [Problem("a.md", 7, "first"), Problem("b.md", 1, "second")]
    assert str(error) == "a.md:7: first\nb.md:1: second"
