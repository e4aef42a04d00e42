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
FORBIDDEN_CHARACTERS: Final = r"\x00-\x1f\x7f-\x9f\ud800-\udfff"
"""Control characters (C0, DEL, C1) and surrogates, as the body of a character class.

PostgreSQL refuses NUL in text while SQLite stores it; a lone surrogate cannot be
encoded as UTF-8 at all; a line break or an escape sequence in a name corrupts logs
and terminals. Every text in the example systems is one line, so none is needed.
"""

TEXT_PATTERN: Final = rf"^[^{FORBIDDEN_CHARACTERS}]*$"
"""The rule of :func:`check_text` as a regular expression, for OpenAPI documents."""

NON_BLANK_TEXT_PATTERN: Final = (
    rf"^[^{FORBIDDEN_CHARACTERS}]*[^\s{FORBIDDEN_CHARACTERS}][^{FORBIDDEN_CHARACTERS}]*$"
)
"""The same for text that is not blank: one character at least is not white space."""

_FORBIDDEN = re.compile(f"[{FORBIDDEN_CHARACTERS}]")


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
