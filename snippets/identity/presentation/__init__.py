"""Identity's drivers: the ``/auth`` endpoints, ``/me``, and ``shop keys`` and ``shop users``.

Both reach identity's collaborators through
:class:`~identity.presentation.api.dependencies.IdentityServices`, the port the serving
application implements.
"""
