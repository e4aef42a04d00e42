"""Ordering: customers place orders, which are paid, shipped or cancelled.

A bounded context of the ``shop`` example. ``domain`` holds the Order aggregate with its
state machine, ``application`` the commands, queries and ports, ``infrastructure`` their
adapters on SQLAlchemy and ``presentation`` the orders endpoints. Prices come from the
catalog through the :class:`~ordering.application.product_catalog.ProductCatalog` port;
only its adapter, in ``infrastructure``, imports the catalog, and only the catalog's
published application interface.
"""
