"""Ordering's HTTP API: the orders router, the dependencies it needs, its problem types.

How a context's endpoints get a unit of work and query objects bound to the request's
tenant without importing the platform (the decision, the same for every context):

- **The context declares what its endpoints need, as typed stub dependencies.**
  :mod:`ordering.presentation.dependencies` has one dependency function per collaborator
  (``ordering_unit_of_work``, ``order_queries``, ``product_catalog``, ``clock``), each
  returning an application port and taking no parameters; its body only raises
  ``NotImplementedError``. Endpoints use them through ``Annotated`` aliases
  (``UnitOfWorkDep``, ``OrderQueriesDep`` ...), so they read like any FastAPI endpoint and
  name nothing but ports.
- **The platform provides them.** ``shop`` maps each stub to a provider of its own that
  takes the platform's services and the resolved tenant and returns the object for that
  tenant (``shop.api.ordering.PROVIDERS``); :func:`shop.api.application.create_app`
  installs every context's mapping as the app's ``dependency_overrides``. FastAPI solves
  a dependency once per request, so the tenant that the router-level ``resolve_tenant``
  checked is the one every provider binds to, and it is read once.

Rejected: a router factory taking the providers as arguments (every endpoint nested in
a function, hard to read and to show); the context reading ``request.app.state``
(untyped, coupled to the platform's shape by convention, and still without the
tenant); a module-level registry filled at start-up (global state shared by every app
a test builds). The price: an app built without the providers answers the context's
endpoints with a 500 whose log names the missing dependency, which the API tests would
catch at once; and since the OpenAPI document is built from the stubs, which take no
parameters, the tenant header is documented by the router-level dependency instead.
"""
