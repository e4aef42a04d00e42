"""The shop platform: the deployable that composes the bounded contexts.

The bounded contexts (``tenancy``, ``catalog``, ``ordering``) hold the business; this
package holds what they share at run time and plugs them together: settings and the
composition root at its top level, the database engine and the one schema with its
migrations, the outbox and idempotency keys, and logging under ``infrastructure``, and
under ``presentation`` the HTTP app that mounts every context's router under
``/api/v1`` (with RFC 9457 problem documents and the request-size limit) and the
``shop`` command that composes every context's group. It is the outermost layer: it may
import every context, and no context imports it.
"""
