"""Structured logging: one JSON object per line on standard error."""

import logging
import sys

import structlog

from shop.settings import LogLevel


# --8<-- [start:configure-logging]
def configure_logging(level: LogLevel) -> None:
    """Log JSON lines at ``level`` and above, with time, level and tracebacks as data.

    One JSON object per line is what log shippers read without parsing rules, and a
    traceback as a list of frames stays one searchable event instead of many lines.
    """
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.dict_tracebacks,
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelNamesMapping()[level]),
        # Looked up per logger, so a redirected stderr (as in tests) is honoured.
        logger_factory=lambda *_: structlog.PrintLogger(sys.stderr),
    )


# --8<-- [end:configure-logging]
