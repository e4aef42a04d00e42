"""The catalog's use cases, one module each.

A command use case takes a validated command and a fresh unit of work made for the
caller's tenant, changes one aggregate through its methods, commits, and returns the
view. :mod:`~catalog.application.use_cases.look_up_products` is the catalog's published
query for other contexts.
"""
