"""A context's Click group on a deployable's runner: the port checked, the tenant option."""

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeVar, runtime_checkable

import click
import pytest
from click.testing import CliRunner
from pydantic import BaseModel, Field

from infrastructure_kernel.cli.options import tenant_option, validated
from infrastructure_kernel.cli.output import echo_json
from infrastructure_kernel.cli.runner import CommandRunner, run, run_for_tenant
from shared_kernel.tenancy import TenantId

T = TypeVar("T")


@runtime_checkable
class GreetingServices(Protocol):
    """The port of a tiny context: it greets."""

    def greeting(self) -> str: ...


class Services:
    """What a deployable would build; implements GreetingServices."""

    def greeting(self) -> str:
        return "hello"


class Greeted(BaseModel):
    text: str
    times: int = Field(ge=1)


class Runner:
    """A deployable's runner on given services; knows only the tenant acme."""

    def __init__(self, services: object) -> None:
        self.services = services

    def run(self, work: Callable[[Any], Awaitable[T]], /) -> T:
        async def main() -> T:
            return await work(self.services)

        return asyncio.run(main())

    def run_for_tenant(self, tenant_id: TenantId, work: Callable[[Any], Awaitable[T]], /) -> T:
        if tenant_id != TenantId("acme"):
            raise click.ClickException(f"no tenant has the id {tenant_id.value}")
        return self.run(work)


@click.group()
def greet() -> None:
    """A context's group."""


@greet.command("everyone")
def everyone() -> None:
    async def work(services: GreetingServices) -> str:
        return services.greeting()

    click.echo(run(GreetingServices, work))


@greet.command("tenant")
@tenant_option
@click.option("--times", type=int, default=1)
def tenant(tenant_id: TenantId, times: int) -> None:
    model = validated(Greeted, {"text": tenant_id.value, "times": times})

    async def work(services: GreetingServices) -> Greeted:
        return Greeted(text=f"{services.greeting()} {model.text}", times=model.times)

    echo_json(run_for_tenant(GreetingServices, tenant_id, work))


def test_the_runner_is_a_command_runner() -> None:
    assert isinstance(Runner(Services()), CommandRunner)


def test_commands_run_on_the_runners_services_through_the_port() -> None:
    runner = CliRunner()

    everyone_result = runner.invoke(greet, ["everyone"], obj=Runner(Services()))
    tenant_result = runner.invoke(greet, ["tenant", "--tenant", "acme"], obj=Runner(Services()))

    assert everyone_result.output == "hello\n"
    assert json.loads(tenant_result.output) == {"text": "hello acme", "times": 1}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["tenant", "--tenant", "Acme!"], "Invalid value for '--tenant': not a tenant id"),
        (["tenant", "--tenant", "acme", "--times", "0"], "times: Input should be greater"),
    ],
)
def test_bad_input_is_a_usage_error(args: list[str], message: str) -> None:
    result = CliRunner().invoke(greet, args, obj=Runner(Services()))

    assert result.exit_code == 2
    assert message in result.output


def test_the_runner_decides_about_the_tenant() -> None:
    result = CliRunner().invoke(greet, ["tenant", "--tenant", "globex"], obj=Runner(Services()))

    assert (result.exit_code, result.output) == (1, "Error: no tenant has the id globex\n")


def test_a_group_run_without_a_deployables_runner_is_refused() -> None:
    result = CliRunner().invoke(greet, ["everyone"])

    assert isinstance(result.exception, TypeError)
    assert str(result.exception) == (
        "click.Context.obj must be the CommandRunner that the deployable's root command"
        " sets; got NoneType"
    )


def test_services_without_the_port_are_refused_naming_it() -> None:
    result = CliRunner().invoke(greet, ["everyone"], obj=Runner(object()))

    assert isinstance(result.exception, TypeError)
    assert str(result.exception) == (
        "the services a command runs on must implement GreetingServices; got object"
    )
