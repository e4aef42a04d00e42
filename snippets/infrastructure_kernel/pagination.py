"""Opaque cursors for keyset pagination: a page's last key, as base64url-encoded JSON.

A page ends with a cursor naming its last row's key; the next page is the rows whose
key sorts after it. Each list has a key of its own, a Pydantic model in the context's
application layer (the catalog's SKU, ordering's placing time and id), and the query
adapters turn keys into cursors and back with the two functions below.

A cursor is opaque (clients pass it back unread), not secret: a forged cursor only moves
where a page of the caller's own rows starts, since every query is already limited to
one tenant. Decoding checks the key with its model in strict mode, so anything but a
cursor this list handed out is an :class:`~shared_kernel.errors.InvalidCursorError`
before any statement runs.
"""

import base64
from typing import TypeVar

from pydantic import BaseModel

from shared_kernel.cursor import MAX_CURSOR_LENGTH
from shared_kernel.errors import InvalidCursorError

KeyT = TypeVar("KeyT", bound=BaseModel)


# --8<-- [start:cursor-codec]
def encode_cursor(key: BaseModel) -> str:
    """The cursor for the page that starts after the row with ``key``."""
    return base64.urlsafe_b64encode(key.model_dump_json().encode()).rstrip(b"=").decode("ascii")


def decode_cursor(cursor: str, key_type: type[KeyT]) -> KeyT:
    """The key after which the page that ``cursor`` names starts.

    Raises:
        InvalidCursorError: ``cursor`` was not made by :func:`encode_cursor` from a
            ``key_type``.
    """
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise InvalidCursorError
    try:
        data = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        # Strict: "2" is not a number, 5 is not a datetime; the key is exactly as encoded.
        return key_type.model_validate_json(data, strict=True)
    except ValueError as error:  # not base64 (binascii.Error), ASCII, JSON or a valid key
        raise InvalidCursorError from error


# --8<-- [end:cursor-codec]
