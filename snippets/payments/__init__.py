"""Payments: an order's payment through a payment provider, settled by its webhooks.

A bounded context of the ``shop`` example, in the house layout (see the style guide).
``POST /api/v1/payments`` asks the provider for a payment intent of an order's total;
the provider's signed webhook at ``POST /api/v1/payment-events`` says how it ended, and
only that makes the order paid, through ordering's published ``pay_order`` use case.
Payments reaches ordering only from ``infrastructure/external/``, as ordering reaches
the catalog.
"""
