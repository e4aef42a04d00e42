"""``shop users``: the administrative side of accounts."""

import click

from identity.application.dto.user_views import UserView
from identity.application.interfaces.identity_links import ExternalIdentity
from identity.application.use_cases.grant_membership import grant_membership
from identity.application.use_cases.link_identity import link_identity
from identity.application.use_cases.revoke_sessions import revoke_sessions
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
    """Administer users: memberships, provider links and logins."""


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


# --8<-- [start:users-link]
@users.command()
@click.argument("email")
@click.argument("issuer")
@click.argument("subject")
def link(email: str, issuer: str, subject: str) -> None:
    """Make the provider ISSUER's user SUBJECT the user with EMAIL, and print the user.

    From then on, the provider's tokens for SUBJECT act as that user, with the user's
    memberships. ISSUER is the provider's ``iss``, exactly as its tokens carry it.
    """

    async def work(services: IdentityServices) -> UserView:
        identity = ExternalIdentity(issuer, subject)
        return await link_identity(
            EmailAddress(email), identity, services.users(), services.identity_links()
        )

    echo_json(run(IdentityServices, work))


# --8<-- [end:users-link]


# --8<-- [start:revoke-sessions]
@users.command("revoke-sessions")
@click.argument("email")
def revoke(email: str) -> None:
    """End every login of the user with EMAIL: no refresh token of theirs works again."""

    async def work(services: IdentityServices) -> int:
        await revoke_sessions(
            EmailAddress(email), services.users(), services.refresh_tokens(), services.clock
        )
        return int(services.token_lifetimes().access.total_seconds())

    seconds = run(IdentityServices, work)
    click.echo(
        f"Revoked every login of {email}; the access tokens issued work until they"
        f" expire, within {seconds} seconds."
    )


# --8<-- [end:revoke-sessions]
users.add_command(roles)
