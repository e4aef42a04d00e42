"""How a context's commands reach the services of the deployable that runs them.

A context's HTTP endpoints find the app's services on ``request.app.state`` and check
that they implement the context's port (ADR 17). Its Click commands do the same with
Click's context object: the deployable's root command leaves a :class:`CommandRunner`
there, and :func:`run` and :func:`run_for_tenant` hand each command's work to it, after
checking that the services it runs the work on implement the port the command names.
The context imports neither the deployable nor its composition root.
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar, runtime_checkable

import click
from sqlalchemy.ext.asyncio import AsyncEngine

from infrastructure_kernel.remedies import Explained
from shared_kernel.errors import DomainError, InvalidValueError
from shared_kernel.repository import ConcurrencyConflictError
from shared_kernel.tenancy import TenantId

T = TypeVar("T")
PortT = TypeVar("PortT")


class HasEngine(Protocol):
    """Services with a database engine, which a command disposes of when it ends."""

    @property
    def engine(self) -> AsyncEngine:
        """The engine and its connection pool."""
        ...


ServicesT = TypeVar("ServicesT", bound=HasEngine)


# --8<-- [start:run-on-fresh-services]
class InvalidValue(Explained, click.UsageError):
    """A value the domain refuses, e.g. a malformed SKU or a negative price."""

    looks_like = "Error: REASON (exit status 2)"
    cause = "An argument passed the command's checks, and the domain's rules refused it."
    fix = "Correct the value the message names; nothing was changed."


class RuleBroken(Explained, click.ClickException):
    """A business rule refused the command, or a concurrent change won."""

    looks_like = "Error: REASON (exit status 1)"
    cause = "The same as the API's problem of that rule (see the problem types above)."
    fix = "Read the message: it names the rule; on a conflict, read again and retry."


def run_on_fresh_services(
    make_services: Callable[[], ServicesT], work: Callable[[ServicesT], Awaitable[T]]
) -> T:
    """Run a command's ``work`` on services made for it, and dispose of them afterwards.

    Click commands are synchronous and the use cases are coroutines: each command gets
    an event loop of its own (``asyncio.run``) and finishes with it.

    Raises:
        click.UsageError: ``work`` was given an invalid value (exit status 2).
        click.ClickException: ``work`` broke a business rule, or lost a race with a
            concurrent change (exit status 1); Click prints the message, no traceback.
    """

    async def main() -> T:
        services = make_services()  # when the command runs, so `--help` needs no database
        try:
            with errors_as_messages():
                return await work(services)
        finally:
            await services.engine.dispose()  # no connection outlives its event loop

    return asyncio.run(main())


@contextmanager
def errors_as_messages() -> Iterator[None]:
    """Turn the errors a person caused into Click's messages and exit statuses.

    Anything else (a bug, an unreachable database) is left alone: it ends with a
    traceback, which is what an operator needs to report it.
    """
    try:
        yield
    except InvalidValueError as error:
        raise InvalidValue(str(error)) from error
    except (DomainError, ConcurrencyConflictError) as error:
        raise RuleBroken(str(error)) from error


# --8<-- [end:run-on-fresh-services]


# --8<-- [start:command-runner]
@runtime_checkable
class CommandRunner(Protocol):
    """What a deployable's root command leaves on ``click.Context.obj``.

    Each call runs one command's work to completion on fresh services, and turns the
    errors a person caused into Click's usage (status 2) and error (status 1) messages.
    """

    def run(self, work: Callable[[Any], Awaitable[T]], /) -> T:
        """Run ``work`` on the deployable's services and return its result."""
        ...

    def run_for_tenant(self, tenant_id: TenantId, work: Callable[[Any], Awaitable[T]], /) -> T:
        """Run ``work`` as :meth:`run` does, once the tenant is known to be registered.

        Raises:
            click.ClickException: No tenant has the id.
        """
        ...


# The port is a Protocol class, which mypy refuses where ``type[PortT]`` is expected
# (python/mypy#4717); ``work``'s annotation carries the type, ``port`` the runtime check.
def run(port: type[Any], work: Callable[[PortT], Awaitable[T]]) -> T:
    """Run a command's ``work`` on the services, which must implement ``port``."""
    return _runner().run(_on_port(port, work))


def run_for_tenant(
    port: type[Any], tenant_id: TenantId, work: Callable[[PortT], Awaitable[T]]
) -> T:
    """Run a command's ``work`` for a registered tenant on services that implement ``port``."""
    return _runner().run_for_tenant(tenant_id, _on_port(port, work))


# --8<-- [end:command-runner]


def _runner() -> CommandRunner:
    runner = click.get_current_context().obj
    if not isinstance(runner, CommandRunner):
        raise TypeError(
            "click.Context.obj must be the CommandRunner that the deployable's root command"
            f" sets; got {type(runner).__name__}"
        )
    return runner


def _on_port(
    port: type[PortT], work: Callable[[PortT], Awaitable[T]]
) -> Callable[[Any], Awaitable[T]]:
    async def checked(services: object) -> T:
        if not isinstance(services, port):
            raise TypeError(
                f"the services a command runs on must implement {port.__name__};"
                f" got {type(services).__name__}"
            )
        return await work(services)

    return checked
