"""The catalog's HTTP API: the products router, the dependencies it needs, its problem types.

How the endpoints get a unit of work and query objects bound to the request's tenant
without importing the platform: the same way as every context (the decision and its
reasons are written down in :mod:`ordering.presentation`, which made it first):

- :mod:`catalog.presentation.dependencies` declares one typed stub dependency per
  collaborator (``catalog_unit_of_work``, ``product_queries``), each returning an
  application port, taking no parameters and only raising ``NotImplementedError``;
  the endpoints in :mod:`catalog.presentation.api` use them through ``Annotated``
  aliases and name nothing but ports.
- The platform maps each stub to a provider of its own (``shop.api.catalog.PROVIDERS``)
  that takes its services and the tenant the router-level ``resolve_tenant`` resolved,
  and :func:`shop.api.application.create_app` installs the mapping as the app's
  ``dependency_overrides``.
- :mod:`catalog.presentation.problems` says which status and problem type answers each
  catalog error, as plain tuples the platform registers.
"""
