"""The troubleshooting guide: every error the code can emit, each with its cause and fix.

The cause and the fix are written where the error is (:mod:`infrastructure_kernel.remedies`):
a problem type's in the ``REMEDIES`` beside the ``PROBLEM_TYPES`` that declare it, an
error class's as class attributes beside its message. The guide is
built from them during the documentation build, and building it fails while any error
lacks either (:class:`UnexplainedError`): a new error without an entry fails the build.
"""

import sys
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from infrastructure_kernel.http.problems import ProblemType
from infrastructure_kernel.remedies import Remedies, Remedy


@dataclass(frozen=True)
class Entry:
    """One error of the guide: how to recognise it, why it happens, what to do."""

    heading: str
    looks_like: str
    cause: str
    fix: str


class UnexplainedError(LookupError):
    """Some errors have no cause and fix written beside them; the message names each."""


# --8<-- [start:entries]
def problem_entries(
    kinds: Iterable[ProblemType], type_base: str, remedies: Remedies
) -> list[Entry]:
    """One entry per problem type, in status order, from ``remedies``.

    Raises:
        UnexplainedError: A problem type has no remedy.
    """
    unique = sorted(set(kinds), key=lambda kind: (kind.status, kind.slug))
    _require([f"problem type {_key(kind)!r}" for kind in unique if _key(kind) not in remedies])
    return [
        Entry(
            f"{kind.status} {kind.title}",
            f"a {kind.status} problem document of type "
            + (f"`{type_base}{kind.slug}`" if kind.slug else "`about:blank`"),
            remedies[_key(kind)].cause,
            remedies[_key(kind)].fix,
        )
        for kind in unique
    ]


def _key(kind: ProblemType) -> str:
    # A problem without a type of its own (about:blank) is known by its status.
    return kind.slug or str(kind.status)


def declared_problem_types(
    packages: Collection[str],
) -> tuple[list[ProblemType], dict[str, Remedy]]:
    """The problem types the loaded modules of ``packages`` declare, and their remedies.

    Every module-level :class:`ProblemType` counts, so a new one is found without being
    registered anywhere; a module's remedies are its ``REMEDIES``. Only modules already
    imported are searched: those the application loaded, which are all it can answer from.
    """
    kinds: list[ProblemType] = []
    remedies: dict[str, Remedy] = {}
    for name, module in sorted(sys.modules.items()):
        if module is not None and name.split(".")[0] in packages:
            namespace = vars(module)
            kinds += [value for value in namespace.values() if isinstance(value, ProblemType)]
            remedies.update(namespace.get("REMEDIES", {}))
    return kinds, remedies


def error_entries(base: type[Exception], packages: Collection[str]) -> list[Entry]:
    """One entry per subclass of ``base`` that a module of ``packages`` defines, by name.

    Raises:
        UnexplainedError: Such a class is not :class:`Explained`, or leaves out a part.
    """
    classes = sorted(
        (cls for cls in _subclasses(base) if cls.__module__.split(".")[0] in packages),
        key=lambda cls: cls.__name__,
    )
    _require([f"{cls.__module__}.{cls.__name__}" for cls in classes if not _explains(cls)])
    return [
        Entry(_summary(cls), f"`{cls.looks_like}`", cls.cause, cls.fix)  # type: ignore[attr-defined]
        for cls in classes
    ]


# --8<-- [end:entries]


def _subclasses(base: type[Exception]) -> list[type[Exception]]:
    found: list[type[Exception]] = []
    for cls in base.__subclasses__():
        found += [cls, *_subclasses(cls)]
    return list(dict.fromkeys(found))


def _explains(cls: type) -> bool:
    own = vars(cls)
    return all(own.get(part) for part in ("looks_like", "cause", "fix"))


def _summary(cls: type) -> str:
    # The docstring's first line, its reStructuredText code marks made Markdown's.
    return (cls.__doc__ or cls.__name__).strip().splitlines()[0].rstrip(".").replace("``", "`")


def _require(missing: list[str]) -> None:
    if missing:
        raise UnexplainedError(
            "no cause and fix written for: "
            + ", ".join(missing)
            + " (write them beside the error; the troubleshooting guide is built from them)"
        )


# --8<-- [start:guide]
def guide_markdown(sections: Mapping[str, Iterable[Entry]]) -> list[str]:
    """The guide as Markdown: a heading per section, then each entry under its own."""
    lines: list[str] = []
    for title, entries in sections.items():
        lines += [f"## {title}", ""]
        for entry in entries:
            lines += [
                f"### {entry.heading}",
                "",
                f"**What you see:** {entry.looks_like}",
                "",
                f"**Cause:** {entry.cause}",
                "",
                f"**Fix:** {entry.fix}",
                "",
            ]
    return lines


# --8<-- [end:guide]
