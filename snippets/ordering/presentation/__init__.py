"""Ordering's drivers: the orders endpoints (``api``) and ``shop orders`` (``cli``).

The endpoints get a unit of work, query objects and a clock without importing the
platform. In return, the application that serves this router promises two
things (the same two for every context; :mod:`catalog.presentation` relies on them too):

- **Its services implement ordering's port.** ``request.app.state.services`` is an
  object that satisfies :class:`~ordering.presentation.api.dependencies.OrderingServices`:
  ``ordering_unit_of_work(tenant_id)``, ``order_queries(tenant_id)`` and a ``clock``. The
  platform's ``shop.bootstrap.Services`` does so structurally; it names no context's port.
- **The request's tenant is resolved first.** ``request.state.tenant_id`` is the
  :class:`~shared_kernel.tenancy.TenantId` of a registered tenant the caller is a member
  of, with the caller's :class:`~shared_kernel.authorization.Actor` on
  ``request.state.actor``, set by a router-level
  dependency that FastAPI solves before the endpoint's own dependencies. Every
  collaborator of a request is made for that one tenant, which was looked up once.

:mod:`ordering.presentation.api.dependencies` reads both, with ``isinstance`` checks that
fail with a ``TypeError`` saying which promise was broken, and offers them to the
endpoints in :mod:`ordering.presentation.api.orders` as ``Annotated`` aliases, so the
endpoints name nothing but application ports. Why a port and not ``app.dependency_overrides``:
ADR 17, "Context endpoints reach a port on the app, not dependency overrides".
:mod:`ordering.presentation.api.problems` says which status and problem type answers each
ordering error, as plain tuples the platform registers.

The ``orders`` group in :mod:`ordering.presentation.cli.orders` reaches the same port on
the services of whatever runs it, through the command runner the deployable leaves on
Click's context object (:mod:`infrastructure_kernel.cli.runner`).
"""
