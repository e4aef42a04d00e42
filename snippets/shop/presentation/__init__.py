"""The platform's drivers: the HTTP app (``api``) and the ``shop`` command (``cli``)."""
