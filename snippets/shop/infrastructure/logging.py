"""Structured logging: one JSON object per line, the application's and the server's."""

import logging
import sys

import structlog
from structlog.typing import Processor

from shop.settings import LogLevel

SERVER_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")
"""The standard-library loggers of the server: its start-up, error and access lines."""


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
        foreign_pre_chain=[*stamped, structlog.stdlib.add_logger_name],
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


# --8<-- [end:configure-logging]
