"""How the ``shop`` command runs its work: on fresh services, per tenant, errors as messages.

The platform's side of the contexts' command-line port: :class:`ShopCommandRunner`
implements :class:`~infrastructure_kernel.cli.runner.CommandRunner`, and the root
command (:mod:`shop.presentation.cli.main`) leaves one on Click's context object, where
the contexts' groups find it.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

import click

from infrastructure_kernel.cli.runner import run_on_fresh_services
from infrastructure_kernel.configuration import Configured
from shared_kernel.tenancy import TenantId
from shop.bootstrap import Services, bootstrap
from shop.settings import Settings
from tenancy.application.interfaces.tenant_directory import require_tenant

T = TypeVar("T")


# --8<-- [start:run-with-services]
def run_with_services(
    work: Callable[[Services], Awaitable[T]], settings: Settings | None = None
) -> T:
    """Run ``work`` on services built from ``settings``, then dispose of them.

    Without ``settings``, they are read from the file and the environment.
    """

    async def closing(services: Services) -> T:
        try:
            return await work(services)
        finally:
            # Redis's connections die with the loop; the last spans are exported now.
            await services.aclose()

    return run_on_fresh_services(lambda: bootstrap(settings or Settings()), closing)


# --8<-- [end:run-with-services]


# --8<-- [start:shop-command-runner]
@dataclass(frozen=True)
class ShopCommandRunner:
    """Runs the contexts' commands on the shop's services; implements ``CommandRunner``.

    Attributes:
        configured: The settings the root command read, and where each came from.
    """

    configured: Configured[Settings]

    def run(self, work: Callable[[Services], Awaitable[T]], /) -> T:
        """Run ``work`` with :func:`run_with_services`, on the command's settings."""
        return run_with_services(work, self.configured.settings)

    def run_for_tenant(self, tenant_id: TenantId, work: Callable[[Services], Awaitable[T]], /) -> T:
        """Run ``work`` with :func:`run_with_services`, if the tenant exists.

        The API resolves the tenant before a context sees a request; the command line
        does the same here, so no command writes rows for a tenant nobody registered.

        Raises:
            click.ClickException: The tenant is unknown, or ``work`` broke a business rule.
        """

        async def checked(services: Services) -> T:
            await require_tenant(services.tenant_directory(), tenant_id)
            return await work(services)

        return self.run(checked)


# --8<-- [end:shop-command-runner]


def command_runner() -> ShopCommandRunner:
    """The runner that the root command left on Click's context for this command."""
    runner: ShopCommandRunner = click.get_current_context().find_root().obj
    return runner
