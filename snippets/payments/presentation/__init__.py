"""Payments' drivers: the tenant's endpoints and the provider's webhook (``api``).

The tenant's endpoints reach their collaborators through the port in
:mod:`payments.presentation.api.dependencies`, on the same two promises of the platform
as every context's (see :mod:`catalog.presentation`). The webhook endpoint is the
platform's to mount outside the tenant-scoped routers: the provider calls it, and the
tenant comes from the payment the event names.
"""
