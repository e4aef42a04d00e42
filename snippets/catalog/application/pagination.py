"""Cursors for the product list: keyset pagination in SKU order.

A page ends with a cursor naming its last product's SKU; the next page is the products
whose SKU sorts after it (``WHERE sku > :after ORDER BY sku LIMIT :limit``). Unlike an
offset, a keyset stays correct while products are added, and costs the same on page 1000
as on page 1, because the database seeks in the index instead of counting rows.

A cursor is base64url-encoded JSON. It is opaque (clients pass it back unread), not
secret: a forged cursor only moves where a page of the caller's own products starts,
since every query is already limited to one tenant. The query adapters encode and
decode cursors with the two functions below; each bounded context has its own cursors,
so this small codec is not shared between them.
"""

import base64
import json
from typing import Any

from catalog.domain.value_objects.sku import Sku
from shared_kernel.errors import InvalidValueError

MAX_CURSOR_LENGTH = 200
"""Longer input is refused before it is decoded; real cursors are far shorter."""


class InvalidCursorError(InvalidValueError):
    """The ``after`` parameter is not a cursor this list handed out."""

    def __init__(self) -> None:
        """Say what is wrong without echoing the input, which may be long."""
        super().__init__("not a cursor of the product list; start again without one")


def encode_cursor(last_sku: Sku) -> str:
    """The cursor for the page that starts after the product with ``last_sku``."""
    payload = json.dumps({"sku": last_sku.value}, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).rstrip(b"=").decode("ascii")


def decode_cursor(cursor: str) -> Sku:
    """The SKU after which the page that ``cursor`` names starts.

    Raises:
        InvalidCursorError: ``cursor`` was not made by :func:`encode_cursor`.
    """
    key = _decode_json(cursor)
    sku = key.get("sku")
    if not isinstance(sku, str):
        raise InvalidCursorError
    try:
        return Sku(sku)
    except InvalidValueError as error:
        raise InvalidCursorError from error


def _decode_json(cursor: str) -> dict[str, Any]:
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise InvalidCursorError
    try:
        data = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key = json.loads(data)
    except ValueError as error:  # not base64 (binascii.Error), ASCII, UTF-8 or JSON
        raise InvalidCursorError from error
    if not isinstance(key, dict):
        raise InvalidCursorError
    return key
