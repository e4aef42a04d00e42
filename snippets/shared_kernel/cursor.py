"""What every list's page cursor looks like from outside, so input models can check it.

A cursor is base64url without padding (:mod:`infrastructure_kernel.pagination` makes
them); anything else, or anything longer, is refused where the request enters, before
it is decoded.
"""

from typing import Final

MAX_CURSOR_LENGTH: Final = 200
"""Longer input is refused before it is decoded; real cursors are far shorter."""

CURSOR_PATTERN: Final = r"^[A-Za-z0-9_-]+$"
"""The base64url alphabet, without padding."""
