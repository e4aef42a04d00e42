"""The catalog: the products a shop sells, with their SKUs and prices.

A bounded context of the ``shop`` example. ``domain`` holds the Product aggregate and its
rules, ``application`` the commands, queries and ports. Other contexts learn about
products only through :mod:`catalog.application.lookup`, never from the catalog's tables
or its domain model.
"""
