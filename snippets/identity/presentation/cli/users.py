"""``shop users``: the administrative side of accounts."""

import click

from identity.application.dto.user_views import UserView
from identity.application.use_cases.grant_membership import grant_membership
from identity.domain.value_objects.email_address import EmailAddress
from identity.domain.value_objects.membership import Membership
from identity.domain.value_objects.role import Role
from identity.presentation.api.dependencies import IdentityServices
from identity.presentation.cli.roles import roles
from infrastructure_kernel.cli.output import echo_json
from infrastructure_kernel.cli.runner import run
from shared_kernel.tenancy import TenantId


@click.group()
def users() -> None:
    """Administer the users' memberships of tenants."""


@users.command()
@click.argument("email")
@click.argument("tenant")
@click.argument("role", type=click.Choice([role.value for role in Role]))
def grant(email: str, tenant: str, role: str) -> None:
    """Make the user with EMAIL a member of TENANT as ROLE, and print the user as JSON."""

    async def work(services: IdentityServices) -> UserView:
        membership = Membership(TenantId(tenant), Role(role))
        return await grant_membership(EmailAddress(email), membership, services.users())

    echo_json(run(IdentityServices, work))


users.add_command(roles)
