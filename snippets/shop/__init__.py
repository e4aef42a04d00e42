"""The shop platform: the composition root of the modular monolith.

The bounded contexts (``catalog``, ``ordering``) hold the business; this package holds
what they share at run time and plugs them together: settings, the database engine and
the one schema with its migrations, tenancy, RFC 9457 problem documents, the request-size
limit, the HTTP app that mounts every context's router under ``/api/v1``, and the ``shop``
command line. It is the outermost layer: it may import every context, and no context
imports it.
"""
