"""The catalog's drivers: the products endpoints (``api``) and ``shop products`` (``cli``).

The endpoints get a unit of work and query objects bound to the request's tenant without
importing the platform. In return, the application that serves this router promises two
things (the same two for every context; :mod:`ordering.presentation` relies on them too):

- **Its services implement the catalog's port.** ``request.app.state.services`` is an
  object that satisfies :class:`~catalog.presentation.api.dependencies.CatalogServices`:
  ``catalog_unit_of_work(tenant_id)`` and ``product_queries(tenant_id)``. The platform's
  ``shop.bootstrap.Services`` does so structurally; it names no context's port.
- **The request's tenant is resolved first.** ``request.state.tenant_id`` is the
  :class:`~shared_kernel.tenancy.TenantId` of a registered tenant the caller is a member
  of, and ``request.state.actor`` the :class:`~shared_kernel.authorization.Actor` of the
  caller's role there, both set by a router-level dependency that FastAPI solves before
  the endpoint's own dependencies. The use cases check the actor's permissions.

:mod:`catalog.presentation.api.dependencies` reads both, with ``isinstance`` checks that
fail with a ``TypeError`` saying which promise was broken, and offers them to the
endpoints in :mod:`catalog.presentation.api.products` as ``Annotated`` aliases, so the
endpoints name nothing but application ports. Why a port and not ``app.dependency_overrides``:
ADR 17, "Context endpoints reach a port on the app, not dependency overrides".
:mod:`catalog.presentation.api.problems` says which status and problem type answers each
catalog error, as plain tuples the platform registers.

The ``products`` group in :mod:`catalog.presentation.cli.products` reaches the same port on
the services of whatever runs it, through the command runner the deployable leaves on
Click's context object (:mod:`infrastructure_kernel.cli.runner`).
"""
