"""A git bundle of one commit: an exported example that ``git clone`` turns into a repository.

A reader who downloads ``downloads/NAME.bundle`` runs ``git clone NAME.bundle NAME`` and
has the project as ``nox -s export`` writes it, on a branch ``main`` with one commit, ready
for their own history and remote. The bundle is written here, with no ``git`` program: the
objects (blobs, trees, one commit) in a pack of undeltified entries, after the bundle's
header (git's ``gitformat-bundle`` and ``gitformat-pack``, version 2 of both). The commit's
author, committer and date are fixed, so the same files give the same commit id on every
build, and a reader's clone of one version is the same repository as another reader's.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

AUTHOR = b"The Enterprise Python Handbook <handbook@example.invalid>"
"""Author and committer of every exported commit: a project, not a person."""
WHEN = b"1767225600 +0000"
"""2026-01-01T00:00:00Z, the date the exported zip's entries carry too."""
BRANCH = b"refs/heads/main"
FILE_MODE = b"100644"
TREE_MODE = b"40000"
KINDS = {b"commit": 1, b"tree": 2, b"blob": 3}
"""The pack's type number of each kind of object."""


@dataclass(frozen=True)
class GitObject:
    """One object of the repository: its kind and its content, without the header."""

    kind: bytes
    content: bytes

    @property
    def oid(self) -> bytes:
        """The object's SHA-1 id, raw: over the header ``KIND SIZE`` and NUL, and the content."""
        header = self.kind + b" " + str(len(self.content)).encode() + b"\0"
        return hashlib.sha1(header + self.content, usedforsecurity=False).digest()


def git_bundle(files: Iterable[tuple[str, bytes]], message: str) -> bytes:
    """A bundle of one commit on ``main`` whose tree holds ``files``.

    Args:
        files: Each file's path (``/``-separated, relative) and bytes; every file is a
            regular, non-executable file.
        message: The commit message.

    Returns:
        The bundle's bytes, which ``git clone`` and ``git fetch`` read.
    """
    objects: dict[bytes, GitObject] = {}
    root = _tree(_nest(files), objects)
    commit = GitObject(
        b"commit",
        b"tree " + root.hex().encode() + b"\n"
        b"author " + AUTHOR + b" " + WHEN + b"\n"
        b"committer " + AUTHOR + b" " + WHEN + b"\n"
        b"\n" + message.rstrip("\n").encode() + b"\n",
    )
    objects[commit.oid] = commit
    head = commit.oid.hex().encode()
    # HEAD too, so that a clone checks out main (git clone reads the bundle's HEAD).
    header = b"# v2 git bundle\n" + head + b" " + BRANCH + b"\n" + head + b" HEAD\n\n"
    return header + _pack(objects.values())


def commit_id(bundle: bytes) -> str:
    """The commit a bundle's ``main`` points at, as hex: what ``git log`` shows."""
    for line in bundle.split(b"\n\n", 1)[0].splitlines()[1:]:
        oid, _, ref = line.partition(b" ")
        if ref == BRANCH:
            return oid.decode()
    raise ValueError("the bundle has no main branch")


def _nest(files: Iterable[tuple[str, bytes]]) -> dict[str, Any]:
    """The files as nested folders: a name maps to bytes (a file) or a dict (a folder)."""
    nested: dict[str, Any] = {}
    for path, content in files:
        *folders, name = path.split("/")
        node = nested
        for folder in folders:
            node = node.setdefault(folder, {})
        node[name] = content
    return nested


def _tree(node: dict[str, Any], objects: dict[bytes, GitObject]) -> bytes:
    """Write a folder's tree and everything under it into ``objects``; return its id."""
    entries: list[tuple[bytes, bytes]] = []
    for name, child in node.items():
        encoded = name.encode()
        if isinstance(child, dict):
            oid = _tree(child, objects)
            # Git orders a folder as if its name ended with "/".
            entries.append((encoded + b"/", TREE_MODE + b" " + encoded + b"\0" + oid))
        else:
            blob = GitObject(b"blob", child)
            objects[blob.oid] = blob
            entries.append((encoded, FILE_MODE + b" " + encoded + b"\0" + blob.oid))
    tree = GitObject(b"tree", b"".join(entry for _, entry in sorted(entries)))
    objects[tree.oid] = tree
    return tree.oid


def _pack(objects: Iterable[GitObject]) -> bytes:
    """A version 2 pack of whole (undeltified) objects, with its SHA-1 trailer."""
    listed = sorted(objects, key=lambda item: item.oid)
    body = bytearray(b"PACK" + struct.pack(">II", 2, len(listed)))
    for item in listed:
        body += _entry_header(KINDS[item.kind], len(item.content))
        body += zlib.compress(item.content, level=9)
    return bytes(body) + hashlib.sha1(body, usedforsecurity=False).digest()


def _entry_header(kind: int, size: int) -> bytes:
    """Type and size: 3 bits of type and 4 of size, then 7 bits a byte, low bits first."""
    first = (kind << 4) | (size & 0x0F)
    size >>= 4
    out = bytearray()
    while size:
        out.append(first | 0x80)
        first = size & 0x7F
        size >>= 7
    out.append(first)
    return bytes(out)
