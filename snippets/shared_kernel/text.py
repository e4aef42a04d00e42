r"""Text that every database stores alike: no control characters, no lone surrogates.

Example:
    Every text value object calls :func:`check_text`, so text that one database stores
    and another refuses never reaches either:

    ```py
    from shared_kernel.errors import InvalidValueError
    from shared_kernel.text import check_text

    # Any script, combining mark or writing direction is text like any other.
    check_text("\u05e9\u05dc\u05d5\u05dd, Zoe\u0308 \u2067", "a name")
    for hostile in ["nul\x00", "lone \ud800", "line\nbreak"]:
        try:
            check_text(hostile, "a name")
        except InvalidValueError as error:
            print(error)
            #> a name must not contain U+0000 (a control character or a lone surrogate)
            #> a name must not contain U+D800 (a control character or a lone surrogate)
            #> a name must not contain U+000A (a control character or a lone surrogate)
    ```
"""

import re
from typing import Final

from shared_kernel.errors import InvalidValueError

# --8<-- [start:text]
CONTROL_CHARACTERS: Final = r"\x00-\x1f\x7f-\x9f"
"""Control characters (C0, DEL, C1), as the body of a character class.

PostgreSQL refuses NUL in text while SQLite stores it; a line break or an escape
sequence in a name corrupts logs and terminals. Every text in the example systems is
one line, so none is needed.
"""

SURROGATES: Final = r"\ud800-\udfff"
"""Lone surrogates: code points without a UTF-8 encoding, which no database can store."""

NON_BLANK_TEXT_PATTERN: Final = (
    rf"^[^{CONTROL_CHARACTERS}]*[^\s{CONTROL_CHARACTERS}][^{CONTROL_CHARACTERS}]*$"
)
"""Text that :func:`check_text` accepts and that is not blank, for OpenAPI documents.

Without the surrogates: the regular expressions of JSON Schema validators cannot name
one, and I-JSON (RFC 7493) forbids them in any JSON text already.
"""

_FORBIDDEN = re.compile(f"[{CONTROL_CHARACTERS}{SURROGATES}]")


def check_text(value: str, what: str) -> None:
    """Refuse text with a character that a database refuses or a log line must not hold.

    Args:
        value: The text to check.
        what: What it is, for the message, e.g. ``"a product name"``.

    Raises:
        InvalidValueError: ``value`` holds a control character or a lone surrogate. The
            message names the first one's code point, never the text itself.
    """
    found = _FORBIDDEN.search(value)
    if found is not None:
        raise InvalidValueError(
            f"{what} must not contain U+{ord(found.group()):04X}"
            " (a control character or a lone surrogate)"
        )


# --8<-- [end:text]
