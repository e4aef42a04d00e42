"""Structured logging: one JSON object per line, the application's and the server's."""

import logging
import sys

import structlog
from structlog.stdlib import ExtraAdder
from structlog.typing import EventDict, Processor

from shop.settings import LogLevel

SERVER_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")
"""The standard-library loggers of the server: its start-up, error and access lines."""
HANDLER_NAME = "json-on-stderr"


# --8<-- [start:configure-logging]
def configure_logging(level: LogLevel) -> None:
    """Log JSON lines at ``level`` and above, with time, level and tracebacks as data.

    One JSON object per line is what log shippers read without parsing rules, and a
    traceback as a list of frames stays one searchable event instead of many lines.
    """
    stamped: list[Processor] = [
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            *stamped,
            structlog.processors.dict_tracebacks,
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelNamesMapping()[level]),
        # Looked up per logger, so a redirected stderr (as in tests) is honoured.
        logger_factory=lambda *_: structlog.PrintLogger(sys.stderr),
    )
    # --8<-- [start:server-logs]
    # The server logs through the standard library, to handlers of its own. They keep
    # their streams and levels (and stay away with --no-access-log) but format with
    # this, so the server's lines are the same JSON objects, with the logger's name.
    # uvicorn calls the app factory, and so this, after it has set them up.
    formatter = structlog.stdlib.ProcessorFormatter(
        # A record's extra fields become keys (the kernel's method and path of an
        # unexpected error), except uvicorn's copy of a message in terminal colours.
        foreign_pre_chain=[*stamped, structlog.stdlib.add_logger_name, ExtraAdder(), _uncoloured],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.dict_tracebacks,
            structlog.processors.JSONRenderer(),
        ],
    )
    for name in SERVER_LOGGERS:
        for handler in logging.getLogger(name).handlers:
            handler.setFormatter(formatter)
    # --8<-- [end:server-logs]
    # --8<-- [start:library-logs]
    # Everything else that logs through the standard library (the kernel's unexpected
    # errors, a library's warnings) reaches the root logger: one handler there, on
    # stderr, in the same format. Replaced, not added, when this runs again.
    root = logging.getLogger()
    root.handlers = [h for h in root.handlers if h.get_name() != HANDLER_NAME]
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(HANDLER_NAME)
    handler.setFormatter(formatter)
    handler.setLevel(level)
    root.addHandler(handler)
    # --8<-- [end:library-logs]


# --8<-- [end:configure-logging]


def _uncoloured(_: object, __: str, event: EventDict) -> EventDict:
    event.pop("color_message", None)
    return event
