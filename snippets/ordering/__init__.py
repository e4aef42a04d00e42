"""Ordering: customers place orders, which are paid, shipped or cancelled.

A bounded context of the ``shop`` example, in the house layout (see the style guide):
``domain`` holds the Order aggregate with its state machine, ``application`` its use
cases, DTOs and ports, ``infrastructure`` their adapters and ``presentation`` the orders
endpoints and the ``shop orders`` commands. Prices come from the catalog through the
:class:`~ordering.application.interfaces.product_catalog.ProductCatalog` port; only its
adapter, in ``infrastructure/external``, imports the catalog, and only the catalog's
published use case.
"""
