"""Cursors for the order list: keyset pagination, newest order first.

Orders are listed by ``(placed_at, order_id)`` descending; the id breaks ties between
orders placed in the same instant, so the order is total and no order is skipped or
repeated across pages. A page ends with a cursor naming its last order's key, and the
next page is the orders whose key sorts before it::

    WHERE (placed_at, id) < (:placed_at, :id) ORDER BY placed_at DESC, id DESC LIMIT :n

(SQLite and PostgreSQL both compare row values; with an index on ``(tenant_id,
placed_at, id)`` the database seeks rather than counts, however deep the page.)

A cursor is base64url-encoded JSON. It is opaque (clients pass it back unread), not
secret: a forged cursor only moves where a page of the caller's own orders starts, since
every query is already limited to one tenant. Each bounded context has its own cursors,
so this small codec is not shared with the catalog's.
"""

import base64
import json
from datetime import datetime
from typing import Any, NamedTuple
from uuid import UUID

from shared_kernel.errors import InvalidValueError

MAX_CURSOR_LENGTH = 200
"""Longer input is refused before it is decoded; real cursors are far shorter."""


class OrderCursor(NamedTuple):
    """The key of the last order on a page; the next page starts after it.

    Attributes:
        placed_at: When that order was placed (aware).
        order_id: Its id, which breaks ties between orders placed at the same instant.
    """

    placed_at: datetime
    order_id: UUID


class InvalidCursorError(InvalidValueError):
    """The ``after`` parameter is not a cursor this list handed out."""

    def __init__(self) -> None:
        """Say what is wrong without echoing the input, which may be long."""
        super().__init__("not a cursor of the order list; start again without one")


def encode_cursor(last: OrderCursor) -> str:
    """The cursor for the page that starts after the order with key ``last``."""
    key = {"placed_at": last.placed_at.isoformat(), "order_id": str(last.order_id)}
    payload = json.dumps(key, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).rstrip(b"=").decode("ascii")


def decode_cursor(cursor: str) -> OrderCursor:
    """The key after which the page that ``cursor`` names starts.

    Raises:
        InvalidCursorError: ``cursor`` was not made by :func:`encode_cursor`.
    """
    key = _decode_json(cursor)
    try:
        placed_at = datetime.fromisoformat(key["placed_at"])
        order_id = UUID(key["order_id"])
    except (KeyError, TypeError, ValueError) as error:  # missing, not text, malformed
        raise InvalidCursorError from error
    if placed_at.tzinfo is None:  # a naive instant would compare by the server's zone
        raise InvalidCursorError
    return OrderCursor(placed_at, order_id)


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
