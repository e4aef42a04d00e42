"""``shop metrics``: every metric the shop exposes, listed from the code that records it."""

import click
from pydantic import BaseModel

from infrastructure_kernel.cli.output import echo_json, echo_table, json_option
from shop.presentation.api.metrics import SHOP_METRICS


class MetricView(BaseModel):
    """A metric as the list shows it."""

    name: str
    type: str
    labels: list[str]
    help: str


@click.command()
@json_option
def metrics(*, as_json: bool) -> None:
    """List the metrics served at /metrics: name, type, labels and meaning."""
    views = [
        MetricView(name=m.name, type=m.type, labels=list(m.labels), help=m.help)
        for m in sorted(SHOP_METRICS, key=lambda m: m.name)
    ]
    if as_json:
        echo_json(views)
        return
    echo_table(
        views,
        {
            "Name": lambda v: v.name,
            "Type": lambda v: v.type,
            "Labels": lambda v: ", ".join(v.labels) or "-",
            "Meaning": lambda v: v.help,
        },
    )
