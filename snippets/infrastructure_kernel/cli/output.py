"""How commands print their results."""

import click
from pydantic import BaseModel


def echo_json(view: BaseModel) -> None:
    """Print a view as indented JSON, amounts as strings like the API's."""
    click.echo(view.model_dump_json(indent=2))
