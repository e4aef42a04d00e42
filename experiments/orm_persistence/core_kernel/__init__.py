"""The other way to one implementation: the shop's Core persistence with its machinery once.

Today each repository of the shop and of the service template keeps its own identity
map, version check and ``store_changes`` loop, and each unit of work its own connection
lifecycle. Here they are written once, in :mod:`core_kernel.kernel`, and the catalog's
and ordering's repositories keep only what is theirs: how to load, and which statements
write their aggregate. Same statements, same ports as the shop's; swapped in with
``-p core_kernel.pytest_switch`` like the ORM.
"""
