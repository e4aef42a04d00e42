"""Stamps: what a nox session last passed on, so an unchanged session can be skipped.

After a session passes, ``noxfile.py`` records a stamp in ``.handbook/stamps/NAME.json``:
a digest of the session's inputs (the source files it reads, the settings that change
what it does, the tools installed in its environment) and a digest of the outputs it
leaves for later sessions (the proof, the built site). The next run computes the input
digest again; when it and the outputs are unchanged, the session would only repeat a
green result, so it is skipped, in one line. ADR 20 records the decision.

The source files are those git knows (tracked, or new and not ignored), so build output
and caches never count as inputs. Outside a git checkout nothing is skipped.

This module uses the standard library only: the noxfile imports it before any
environment exists.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

STAMPS = Path(".handbook") / "stamps"
"""Where the stamps live, relative to the repository root."""

RERUN = "HANDBOOK_RERUN"
"""Set to ``1`` to run every session even when its stamp is current."""


@dataclass(frozen=True)
class Inputs:
    """What one session reads and leaves behind.

    Attributes:
        sources: ``fnmatch`` patterns over repository-relative POSIX paths of the source
            files (``*`` also matches ``/``: ``snippets/*`` is everything under ``snippets``).
        generated: Paths of files or folders made by another session that this one reads,
            such as the built site; each counts as an input, as it is on disk.
        environment: Names of environment variables whose values change what it does.
        outputs: Paths of files or folders it writes for later sessions; a stamp is
            current only while they are still what the green run left.
    """

    sources: tuple[str, ...]
    generated: tuple[str, ...] = ()
    environment: tuple[str, ...] = ()
    outputs: tuple[str, ...] = ()


def source_files(root: Path) -> list[str] | None:
    """Every file git would commit (tracked, or untracked and not ignored); None without git."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],  # noqa: S607
            cwd=root,
            capture_output=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return sorted({name for name in listed.stdout.decode("utf-8").split("\0") if name})


def _digest_paths(digest: hashlib._Hash, root: Path, paths: Iterable[str]) -> None:
    """Add each path's name and bytes (every file below it, for a folder) to ``digest``."""
    for name in paths:
        path = root / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            digest.update(file.relative_to(root).as_posix().encode() + b"\0")
            try:
                digest.update(file.read_bytes())
            except FileNotFoundError:  # a tracked file deleted from the work tree
                digest.update(b"\0missing")
            digest.update(b"\0")


def installed(environment: Path) -> list[str]:
    """The distributions installed in a virtual environment, as ``name-version`` folders.

    A reused environment whose tools were upgraded or reinstalled gets a different list,
    and so a different stamp.
    """
    return sorted(
        folder.name for folder in environment.glob("lib/python*/site-packages/*.dist-info")
    )


def input_digest(root: Path, inputs: Inputs, files: Sequence[str]) -> str:
    """The digest of the files and settings a session reads.

    Args:
        root: The repository root.
        inputs: The session's declaration.
        files: The repository's source files (:func:`source_files`).
    """
    digest = hashlib.sha256()
    chosen = [f for f in files if any(fnmatch.fnmatchcase(f, p) for p in inputs.sources)]
    _digest_paths(digest, root, chosen)
    _digest_paths(digest, root, inputs.generated)
    settings = {name: os.environ.get(name, "") for name in inputs.environment}
    digest.update(json.dumps(settings, sort_keys=True).encode())
    return digest.hexdigest()


def context_digest(context: Mapping[str, str]) -> str:
    """The digest of further facts that change the outcome, such as the installed tools."""
    return hashlib.sha256(json.dumps(dict(context), sort_keys=True).encode()).hexdigest()


def output_digest(root: Path, inputs: Inputs) -> str:
    """The digest of what a session left for later ones (empty text when it leaves nothing)."""
    if not inputs.outputs:
        return ""
    digest = hashlib.sha256()
    for name in inputs.outputs:
        # An output that is missing must not look like one that is empty.
        digest.update(f"{name}:{(root / name).exists()}\0".encode())
    _digest_paths(digest, root, [name for name in inputs.outputs if (root / name).exists()])
    return digest.hexdigest()


@dataclass(frozen=True)
class Stamp:
    """The stamp of one session, about to run on sources whose digest is ``inputs_digest``.

    The sources are digested before the run, so an edit made while it runs is not
    mistaken for what passed. The context (the tools installed in the session's
    environment) is read when asked: before the run, the environment holds what the last
    run installed; after it, what this run installed.
    """

    root: Path
    session: str
    inputs: Inputs
    inputs_digest: str

    @classmethod
    def of(cls, root: Path, session: str, inputs: Inputs) -> Stamp | None:
        """The stamp for a run of ``session`` now; None outside a git checkout."""
        files = source_files(root)
        if files is None:
            return None
        return cls(root, session, inputs, input_digest(root, inputs, files))

    @property
    def path(self) -> Path:
        """The file that holds this session's stamp."""
        return self.root / STAMPS / f"{self.session}.json"

    def _content(self, context: Mapping[str, str]) -> dict[str, str]:
        return {
            "inputs": self.inputs_digest,
            "context": context_digest(context),
            "outputs": output_digest(self.root, self.inputs),
        }

    def is_current(self, context: Mapping[str, str]) -> bool:
        """Tell whether the last green run had these inputs and its outputs are intact."""
        if os.environ.get(RERUN) == "1" or not self.path.is_file():
            return False
        try:
            recorded: object = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return recorded == self._content(context)

    def forget(self) -> None:
        """Remove the stamp, so a run that fails half-way leaves none behind."""
        self.path.unlink(missing_ok=True)

    def record(self, context: Mapping[str, str]) -> None:
        """Record that the session passed on these inputs, with the outputs it left."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        content = json.dumps(self._content(context), sort_keys=True)
        self.path.write_text(content, encoding="utf-8")
