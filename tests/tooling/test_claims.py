"""Invariant 7: a page that names what the code does not have fails at page:line."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from handbook.__main__ import main
from handbook.checks import Settings, check_repository
from handbook.claims import check_claims, claimed_lines, gather_code, load_claims
from handbook.paths import repository_root
from handbook.problems import ProblemError

Writer = Callable[[Path, Mapping[str, str]], Path]

CLAIMS = textwrap.dedent(
    """
    roadmap = "docs/roadmap.md"
    pages = ["README.md", "docs/*.md", "adr/*.md"]

    [[claim]]
    name = "Redis"
    terms = ["Redis"]
    imports = ["redis"]

    [[claim]]
    name = "A message broker"
    terms = ["message brokers?"]
    imports = ["aio_pika"]

    [[claim]]
    name = "CORS"
    terms = ["CORS"]
    names = ["CORSMiddleware"]

    [[claim]]
    name = "Request ids"
    terms = ["request ids?"]
    strings = ["X-Request-ID"]

    [[claim]]
    name = "Runbooks"
    terms = ["runbooks?"]
    files = ["docs/runbooks/*.md"]
    """
).lstrip()

ROADMAP = "# Roadmap\n\nRedis, a message broker, CORS, request ids and runbooks.\n"


def claim_repo(root: Path, write: Writer, files: Mapping[str, str] | None = None) -> Path:
    """A repository with the list above, a roadmap, one snippet and the given files."""
    return write(
        root,
        {
            "claims.toml": CLAIMS,
            "docs/roadmap.md": ROADMAP,
            "snippets/shop/app.py": '"""The app."""\n\nAPP = "shop"\n',
            **(files or {}),
        },
    )


def configure_claims(root: Path) -> None:
    """Name the list in the repository's ``[tool.handbook]``, as the real one does."""
    pyproject = root / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(
        text.replace("[tool.handbook]\n", '[tool.handbook]\nclaims = "claims.toml"\n'),
        encoding="utf-8",
    )


def problems_of(root: Path) -> list[str]:
    return [str(problem) for problem in check_claims(root, "claims.toml", "snippets")]


def named(page: str, line: int, word: str, claim: str, looked_for: str) -> str:
    return (
        f"{page}:{line}: {word!r} names {claim} as if it existed, but nothing shows it "
        f"(looked for {looked_for}); describe what exists, and say what is planned on "
        "docs/roadmap.md only"
    )


REDIS = "an import of redis"


# --- pages ------------------------------------------------------------------------------


def test_a_page_that_names_what_the_code_lacks_fails_at_its_line(
    tmp_path: Path, write: Writer
) -> None:
    page = "# Caching\n\nReads are cached in Redis.\n\nNothing else.\n"
    root = claim_repo(tmp_path, write, {"docs/cache.md": page})

    assert problems_of(root) == [named("docs/cache.md", 3, "Redis", "Redis", REDIS)]


def test_the_same_page_passes_once_a_snippet_imports_it(tmp_path: Path, write: Writer) -> None:
    page = "# Caching\n\nReads are cached in Redis.\n"
    cache = "import redis.asyncio\n\nCLIENT = redis.asyncio.Redis()\n"
    root = claim_repo(tmp_path, write, {"docs/cache.md": page, "snippets/shop/cache.py": cache})

    assert problems_of(root) == []


@pytest.mark.parametrize(
    ("snippet", "present"),
    [
        ("from fastapi.middleware.cors import CORSMiddleware\n", True),
        ("import starlette.middleware.cors as cors\n\nMIDDLEWARE = cors.CORSMiddleware\n", True),
        ("# CORSMiddleware would go here\n", False),
        ('"""CORSMiddleware is not used."""\n', False),
        ('HEADERS = {"CORSMiddleware": 1}\n', False),
    ],
)
def test_a_name_counts_in_code_but_not_in_comments_docstrings_or_strings(
    tmp_path: Path, write: Writer, snippet: str, *, present: bool
) -> None:
    files = {"README.md": "CORS is configured.\n", "snippets/shop/web.py": snippet}
    root = claim_repo(tmp_path, write, files)

    expected = [] if present else [named("README.md", 1, "CORS", "CORS", "the name CORSMiddleware")]
    assert problems_of(root) == expected


@pytest.mark.parametrize(
    ("snippet", "present"),
    [
        ('HEADER = "X-Request-ID"\n', True),
        ('def f() -> str:\n    """Reads X-Request-ID."""\n    return ""\n', False),
    ],
)
def test_a_string_counts_in_code_but_not_in_a_docstring(
    tmp_path: Path, write: Writer, snippet: str, *, present: bool
) -> None:
    files = {"README.md": "Every line carries the request id.\n", "snippets/shop/ids.py": snippet}
    root = claim_repo(tmp_path, write, files)

    looked_for = "'X-Request-ID' in a string"
    expected = [] if present else [named("README.md", 1, "request id", "Request ids", looked_for)]
    assert problems_of(root) == expected


def test_a_file_pattern_shows_presence(tmp_path: Path, write: Writer) -> None:
    page = "# Operations\n\nThe runbooks cover an outage.\n"
    root = claim_repo(tmp_path, write, {"docs/operations.md": page})
    looked_for = "a file docs/runbooks/*.md"

    assert problems_of(root) == [named("docs/operations.md", 3, "runbooks", "Runbooks", looked_for)]

    write(root, {"docs/runbooks/outage.md": "# The database is down\n"})

    assert problems_of(root) == []


def test_the_roadmap_may_name_anything(tmp_path: Path, write: Writer) -> None:
    root = claim_repo(tmp_path, write)

    assert problems_of(root) == []
    assert "Redis" in (root / "docs/roadmap.md").read_text()


def test_a_missing_roadmap_is_a_problem(tmp_path: Path, write: Writer) -> None:
    root = claim_repo(tmp_path, write)
    (root / "docs/roadmap.md").unlink()

    assert problems_of(root) == ["claims.toml:0: the roadmap page docs/roadmap.md does not exist"]


def test_an_alternative_weighed_in_a_decision_is_no_claim_but_the_decision_is(
    tmp_path: Path, write: Writer
) -> None:
    record = textwrap.dedent(
        """
        # 9. Idempotency keys in the database

        ## Considered options

        1. A table in the same transaction.
        2. Redis in front of the application.

        ### Pros and cons

        Redis can lose the key while the order stays.

        ## Decision outcome

        Option 1. Redis is not used.
        """
    ).lstrip()
    root = claim_repo(tmp_path, write, {"adr/0009-keys.md": record})

    assert problems_of(root) == [named("adr/0009-keys.md", 14, "Redis", "Redis", REDIS)]


def test_words_quoted_in_a_blockquote_are_no_claim(tmp_path: Path, write: Writer) -> None:
    page = "# Why\n\nThe brief asks for\n\n> Caching layer (Redis, Memcached)\n\nWe use Redis.\n"
    root = claim_repo(tmp_path, write, {"docs/why.md": page})

    assert problems_of(root) == [named("docs/why.md", 7, "Redis", "Redis", REDIS)]


def test_a_mention_across_two_lines_is_found_where_it_starts(tmp_path: Path, write: Writer) -> None:
    page = "# Events\n\nA relay publishes them to a message\nbroker later.\n"
    root = claim_repo(tmp_path, write, {"docs/events.md": page})

    assert problems_of(root) == [
        named("docs/events.md", 3, "message broker", "A message broker", "an import of aio_pika")
    ]


def test_each_claim_is_named_once_per_line(tmp_path: Path, write: Writer) -> None:
    page = "Redis, Redis and redis, behind a message broker.\n"
    root = claim_repo(tmp_path, write, {"README.md": page})

    assert problems_of(root) == [
        named("README.md", 1, "Redis", "Redis", REDIS),
        named("README.md", 1, "message broker", "A message broker", "an import of aio_pika"),
    ]


def test_a_term_matches_whole_words_only(tmp_path: Path, write: Writer) -> None:
    page = "Credis and redisson are not Redis-backed; neither is `REDIS_URL`.\n"
    root = claim_repo(tmp_path, write, {"README.md": page})

    assert problems_of(root) == [named("README.md", 1, "Redis", "Redis", REDIS)]


def test_pages_outside_the_list_are_not_read(tmp_path: Path, write: Writer) -> None:
    root = claim_repo(tmp_path, write, {"notes/todo.md": "Add Redis.\n"})

    assert problems_of(root) == []


# --- the snippets' own prose ------------------------------------------------------------


def test_a_comment_or_docstring_in_a_snippet_is_held_to_the_same_rule(
    tmp_path: Path, write: Writer
) -> None:
    snippet = textwrap.dedent(
        '''
        """The outbox.

        A relay publishes these rows to a message broker later.
        """

        # Cached in Redis by the read side.
        ROWS: list[str] = []
        '''
    ).lstrip()
    root = claim_repo(tmp_path, write, {"snippets/shop/outbox.py": snippet})

    assert problems_of(root) == [
        named(
            "snippets/shop/outbox.py",
            3,
            "message broker",
            "A message broker",
            "an import of aio_pika",
        ),
        named("snippets/shop/outbox.py", 6, "Redis", "Redis", REDIS),
    ]


def test_a_docstring_running_on_into_the_comment_below_it_is_read_as_one(
    tmp_path: Path, write: Writer
) -> None:
    snippet = '"""Rows for the message"""\n# broker to take.\n'
    root = claim_repo(tmp_path, write, {"snippets/shop/rows.py": snippet})

    assert problems_of(root) == [
        named(
            "snippets/shop/rows.py",
            1,
            "message broker",
            "A message broker",
            "an import of aio_pika",
        )
    ]


def test_a_snippet_that_is_not_python_is_a_problem_where_it_breaks(
    tmp_path: Path, write: Writer
) -> None:
    root = claim_repo(tmp_path, write, {"snippets/shop/broken.py": "def f(:\n"})

    with pytest.raises(ProblemError) as raised:
        gather_code(root, "snippets")

    assert [(p.path, p.line) for p in raised.value.problems] == [("snippets/shop/broken.py", 1)]


# --- the list itself --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('name = "X"\nterms = ["x"]\n', "'X': nothing says how its presence is detected"),
        ('name = "X"\nimports = ["x"]\n', "'X': no 'terms' say how a page names it"),
        ('name = "X"\nterms = ["("]\nimports = ["x"]\n', "'X': term '(' is not a regex"),
        ('name = "X"\nterms = "x"\nimports = ["x"]\n', "'X': 'terms' must be a list of text"),
        ('name = "X"\nterms = ["x"]\nimport = ["x"]\n', "'X': unknown key 'import'"),
    ],
)
def test_a_malformed_entry_is_named_at_its_line(
    tmp_path: Path, write: Writer, entry: str, message: str
) -> None:
    root = write(tmp_path, {"claims.toml": f"{CLAIMS}\n[[claim]]\n{entry}"})
    line = len(CLAIMS.splitlines()) + 3

    with pytest.raises(ProblemError) as raised:
        load_claims(root, "claims.toml")

    problems = raised.value.problems
    assert {(problem.path, problem.line) for problem in problems} == {("claims.toml", line)}
    assert any(problem.message.startswith(message) for problem in problems)


def test_an_entry_listed_twice_is_a_problem(tmp_path: Path, write: Writer) -> None:
    twice = '[[claim]]\nname = "Redis"\nterms = ["Redis"]\nimports = ["redis"]\n'
    root = claim_repo(tmp_path, write, {"claims.toml": f"{CLAIMS}\n{twice}"})

    line = len(CLAIMS.splitlines()) + 3

    assert problems_of(root) == [f"claims.toml:{line}: 'Redis' is listed twice"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, "claims.toml:0: the list of claims is missing"),
        ("roadmap = [", "claims.toml:0: not valid TOML"),
        ('pages = ["docs/*.md"]\n', "claims.toml:0: 'roadmap' must name the roadmap page"),
        ('roadmap = "docs/roadmap.md"\n', "claims.toml:0: 'pages' must list path patterns"),
        (f"{CLAIMS.split('[[claim]]')[0]}claim = 1\n", "claims.toml:0: each entry must be a"),
        (f'{CLAIMS}\n[[claim]]\nterms = ["x"]\n', "claims.toml:0: an entry without a 'name'"),
    ],
)
def test_a_missing_or_broken_list_is_a_problem(
    tmp_path: Path, write: Writer, text: str | None, message: str
) -> None:
    root = claim_repo(tmp_path, write)
    if text is None:
        (root / "claims.toml").unlink()
    else:
        write(root, {"claims.toml": text})

    [problem] = problems_of(root)
    assert problem.startswith(message)


def test_claimed_lines_skip_only_the_options_section_and_quotes() -> None:
    lines = [
        "# 1. A decision",  # 1
        "## Considered options",  # 2
        "1. Redis",  # 3
        "### Details",  # 4
        "Redis again",  # 5
        "## Decision outcome",  # 6
        "> quoted Redis",  # 7
        "Chosen",  # 8
    ]

    assert [number for number, _ in claimed_lines(lines)] == [1, 6, 8]


# --- wired into `handbook check` ----------------------------------------------------------


def test_handbook_check_runs_the_gate_when_the_repository_keeps_a_list(
    repo: Path, write: Writer, capsys: pytest.CaptureFixture[str]
) -> None:
    claim_repo(repo, write, {"docs/cache.md": "# Cache\n\nServed from Redis.\n"})

    assert check_repository(Settings.read(repo), with_proof=False) == []  # no list configured

    configure_claims(repo)

    assert main(["--root", str(repo), "check", "--no-proof"]) == 1
    assert capsys.readouterr().err == (
        f"{named('docs/cache.md', 3, 'Redis', 'Redis', REDIS)}\ncheck: 1 problem(s)\n"
    )


def test_the_repositorys_own_list_is_valid_and_its_roadmap_exists() -> None:
    root = repository_root()
    listing = load_claims(root, Settings.read(root).claims or "")

    assert (root / listing.roadmap).is_file()
    assert {"GraphQL", "Redis", "Kubernetes", "Runbooks", "CORS"} <= {
        claim.name for claim in listing.claims
    }


def test_handbook_claims_lists_each_entry_present_or_absent(
    repo: Path, write: Writer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--root", str(repo), "claims"]) == 1
    assert "no list configured" in capsys.readouterr().err

    claim_repo(repo, write, {"snippets/shop/web.py": "import redis\n"})
    configure_claims(repo)

    assert main(["--root", str(repo), "claims"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "present  Redis: a snippet imports redis",
        "absent   A message broker",
        "absent   CORS",
        "absent   Request ids",
        "absent   Runbooks",
    ]
