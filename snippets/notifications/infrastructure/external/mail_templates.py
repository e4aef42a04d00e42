"""The e-mails' wording: Jinja2 templates, a plain-text and an HTML part of each.

The HTML part is autoescaped, so a shop name or any other value that holds ``<`` or
``&`` shows as text instead of becoming markup; the plain-text part is not, since
escaping would show ``&amp;`` to the reader. A name a template uses but the caller did
not pass fails the rendering (``StrictUndefined``) instead of leaving a gap in the mail.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import DictLoader, Environment, StrictUndefined, select_autoescape

# --8<-- [start:templates]
TEMPLATES = {
    "order.txt": """\
Hello,

{{ headline }}: order {{ order_id }} at {{ shop }}.
{% if lines %}

{% for line in lines %}
  {{ line.quantity }} x {{ line.unit_price }} {{ currency }}
{% endfor %}
  Total: {{ total }} {{ currency }}
{% endif %}
{% if refund %}

The payment will be refunded.
{% endif %}

{{ shop }}
""",
    "order.html": """\
<!DOCTYPE html>
<html><body>
<p>Hello,</p>
<p>{{ headline }}: order <code>{{ order_id }}</code> at {{ shop }}.</p>
{% if lines %}
<table>
{% for line in lines %}
<tr><td>{{ line.quantity }} &times;</td><td>{{ line.unit_price }} {{ currency }}</td></tr>
{% endfor %}
<tr><th>Total</th><th>{{ total }} {{ currency }}</th></tr>
</table>
{% endif %}
{% if refund %}
<p>The payment will be refunded.</p>
{% endif %}
<p>{{ shop }}</p>
</body></html>
""",
}

ENVIRONMENT = Environment(
    loader=DictLoader(TEMPLATES),
    autoescape=select_autoescape(enabled_extensions=("html",)),  # by the template's name
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
# --8<-- [end:templates]


@dataclass(frozen=True)
class RenderedMail:
    """An e-mail's two bodies: plain text, and the same in HTML."""

    text: str
    html: str


def render_order_mail(context: Mapping[str, Any]) -> RenderedMail:
    """Render both parts of an order's e-mail from the same values."""
    return RenderedMail(
        text=ENVIRONMENT.get_template("order.txt").render(context),
        html=ENVIRONMENT.get_template("order.html").render(context),
    )
