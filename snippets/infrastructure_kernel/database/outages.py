"""Which errors mean that the database cannot serve now, rather than that the code is wrong.

A request that meets one is answered with a 503 problem and ``Retry-After``
(:mod:`infrastructure_kernel.http.exception_handlers`): trying again later can succeed.
Every other database error (a constraint the code should have checked, a syntax error)
is a bug, and stays a 500.
"""

from sqlalchemy import exc

# --8<-- [start:outages]
OUTAGE_ERRORS: tuple[type[Exception], ...] = (exc.SQLAlchemyError, OSError)
"""The classes among which an outage is found; :func:`is_outage` decides for each error."""

# SQLSTATE classes that say "not now" (PostgreSQL, appendix A): 08 the connection failed,
# 53 the server ran out of a resource (connections, memory, disk), 57 an operator or a
# timeout intervened (statement_timeout is 57014, a shutting-down server 57P01).
_UNAVAILABLE_SQLSTATE_CLASSES = ("08", "53", "57")


def is_outage(error: BaseException) -> bool:
    """Tell whether ``error`` says the database cannot serve now.

    - The pool found no free connection within its timeout (SQLAlchemy's
      ``TimeoutError``).
    - The connection broke or could not be made: the driver's ``OperationalError`` or
      ``InterfaceError``, any error after which SQLAlchemy invalidated the connection,
      or an ``OSError`` (refused, reset, timed out) from a driver that raised it
      unwrapped.
    - The server refused the statement for want of resources or time (its SQLSTATE).
    """
    if isinstance(error, exc.TimeoutError | exc.OperationalError | exc.InterfaceError | OSError):
        return True
    if isinstance(error, exc.DBAPIError):
        sqlstate = getattr(error.orig, "sqlstate", None) or ""
        return error.connection_invalidated or sqlstate.startswith(_UNAVAILABLE_SQLSTATE_CLASSES)
    return False


# --8<-- [end:outages]
