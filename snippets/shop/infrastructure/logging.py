"""Structured logging: one JSON object per line, the application's and the server's."""

import json
import logging
import sys
from typing import Any

import structlog
from opentelemetry import trace
from structlog.stdlib import ExtraAdder
from structlog.tracebacks import ExceptionDictTransformer
from structlog.typing import EventDict, ExcInfo, Processor, WrappedLogger

from infrastructure_kernel.http.request_id import current_request_id
from infrastructure_kernel.messaging.correlation import current_correlation_id, current_tenant_id
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
        add_work_context,
    ]
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            *stamped,
            BOUNDED_TRACEBACKS,
            _render_bounded,
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
            BOUNDED_TRACEBACKS,
            _render_bounded,
        ],
    )
    for name in SERVER_LOGGERS:
        for handler in logging.getLogger(name).handlers:
            handler.setFormatter(formatter)
    # --8<-- [end:server-logs]
    # --8<-- [start:library-logs]
    # Everything else that logs through the standard library (the kernel's unexpected
    # errors, a consumer's events, a library's warnings) reaches the root logger: one
    # handler there, on stderr, in the same format, at the same level. Replaced, not
    # added, when this runs again.
    root = logging.getLogger()
    root.setLevel(level)
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


# --8<-- [start:work-context]
def add_work_context(_: WrappedLogger, __: str, event: EventDict) -> EventDict:
    """Name the request, the chain of work it belongs to, and the tenant, on every line.

    Read from the context of the work in progress, so no call site passes them: while a
    request is served, its id is the correlation too; while a consumer handles an event,
    the correlation is the id of the request that caused it, and the tenant the event's.
    Where a span is in progress, its trace and span ids join them.
    """
    context = {
        "request_id": current_request_id(),
        "correlation_id": current_correlation_id(),
        "tenant_id": current_tenant_id(),
    }
    for key, value in context.items():
        if value is not None:
            event.setdefault(key, value)
    span = trace.get_current_span().get_span_context()
    if span.is_valid:  # traced: the line names its span, and a trace viewer finds it
        event.setdefault("trace_id", format(span.trace_id, "032x"))
        event.setdefault("span_id", format(span.span_id, "016x"))
    return event


# --8<-- [end:work-context]


# --8<-- [start:bounded-logs]
MAX_LINE = 16 * 1024
"""The longest line written, in bytes; a longer event is cut to its essentials."""
MAX_MESSAGE = 500
"""The most characters of an exception's message that a line repeats."""
MAX_CHAIN = 5
"""The most exceptions of a chain (``raise ... from ...``) that a line shows."""
ESSENTIALS = (
    "timestamp",
    "level",
    "logger",
    "event",
    "request_id",
    "correlation_id",
    "tenant_id",
    "method",
    "path",
)

# Frames as file, line and function: never their local variables, which held the
# request, its body and the parameters of the statement that failed.
_WITHOUT_LOCALS = ExceptionDictTransformer(show_locals=False, max_frames=12)


def _exception_chain(exc_info: ExcInfo) -> list[dict[str, Any]]:
    return [
        {**exception, "exc_value": _cut(exception["exc_value"])}
        for exception in _WITHOUT_LOCALS(exc_info)[:MAX_CHAIN]
    ]


BOUNDED_TRACEBACKS = structlog.processors.ExceptionRenderer(_exception_chain)


def _render_bounded(_: WrappedLogger, __: str, event: EventDict) -> str:
    line = json.dumps(event, default=repr)
    if len(line.encode()) <= MAX_LINE:
        return line
    kept: dict[str, Any] = {key: _cut(str(event[key])) for key in ESSENTIALS if key in event}
    chain = event.get("exception")
    if isinstance(chain, list):
        kept["exception_types"] = [e.get("exc_type") for e in chain if isinstance(e, dict)]
    return json.dumps({**kept, "cut_from_bytes": len(line.encode())})


def _cut(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"


# --8<-- [end:bounded-logs]
