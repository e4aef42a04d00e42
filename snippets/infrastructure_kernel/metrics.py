"""Metrics as data: each one's name, type, labels and meaning, declared once.

Every metric a deployable exposes is a :class:`MetricSpec`, next to the code that records
it; the metric objects and the families a collector yields are made from the spec, so
the list of specs is the list of metrics, and the page that lists them is printed from it
(``shop metrics``) rather than typed. Names follow Prometheus's conventions, which
:meth:`MetricSpec.__post_init__` enforces: snake case, the unit as a suffix in base units
(``_seconds``, ``_bytes``), ``_total`` on a counter and on nothing else.
"""

import re
from dataclasses import dataclass
from typing import Literal

from prometheus_client import CollectorRegistry, Counter, Histogram, disable_created_metrics
from prometheus_client.core import GaugeMetricFamily

MetricType = Literal["counter", "gauge", "histogram"]

# No `_created` series beside each counter and histogram: in the text format they are
# gauges of their own, doubling the series for a time Prometheus does not use.
disable_created_metrics()  # type: ignore[no-untyped-call]  # prometheus-client: unannotated

_NAME = re.compile(r"[a-z][a-z0-9_]*[a-z0-9]")
_NOT_BASE_UNITS = ("_milliseconds", "_ms", "_kilobytes", "_megabytes", "_minutes", "_hours")


# --8<-- [start:metric-spec]
@dataclass(frozen=True)
class MetricSpec:
    """One metric: what it is called, what kind it is, what it means, how it is split.

    Attributes:
        name: The name as exposed; a counter's ends in ``_total``.
        type: ``counter`` (only goes up), ``gauge`` (a value now) or ``histogram``.
        help: What one sample means, for the ``# HELP`` line and the page.
        labels: The dimensions it is split by; each must have few values.
    """

    name: str
    type: MetricType
    help: str
    labels: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """Refuse a name that breaks Prometheus's conventions, with the rule it breaks.

        Raises:
            ValueError: The name is not snake case, a counter lacks ``_total`` or
                another type has it, or the unit is not a base unit.
        """
        if not _NAME.fullmatch(self.name):
            raise ValueError(f"{self.name}: a metric's name is snake case")
        if (self.type == "counter") != self.name.endswith("_total"):
            raise ValueError(f"{self.name}: counters, and only counters, end in _total")
        if self.name.removesuffix("_total").endswith(_NOT_BASE_UNITS):
            raise ValueError(f"{self.name}: use base units, seconds and bytes")

    def counter(self, registry: CollectorRegistry) -> Counter:
        """Make the counter this spec describes, registered in ``registry``."""
        return Counter(self.name, self.help, self.labels, registry=registry)

    def histogram(self, registry: CollectorRegistry) -> Histogram:
        """Make the histogram this spec describes, registered in ``registry``."""
        return Histogram(self.name, self.help, self.labels, registry=registry)

    def gauge(self) -> GaugeMetricFamily:
        """Make an empty gauge family, for a collector to add this scrape's samples to."""
        return GaugeMetricFamily(self.name, self.help, labels=self.labels)


# --8<-- [end:metric-spec]
