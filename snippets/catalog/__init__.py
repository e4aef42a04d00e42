"""The catalog: the products a shop sells, with their SKUs and prices.

A bounded context of the ``shop`` example, in the house layout (see the style guide):
``domain`` holds the Product aggregate and its rules, ``application`` its use cases,
DTOs and ports, ``infrastructure`` their SQL adapters and ``presentation`` the products
endpoints and the ``shop products`` commands. Other contexts learn about products only
through :mod:`catalog.application.use_cases.look_up_products`, never from the catalog's
tables or its domain model.
"""
