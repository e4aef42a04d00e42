"""Notifications: e-mails to customers when their orders change.

A bounded context of the ``shop`` example, in the house layout (see the style guide),
with no domain model of its own: it reacts to ordering's events as they travel (the
``notifications.order-emails`` consumer), keeps whom to write to about each order, and
hands each e-mail to a :class:`~notifications.application.interfaces.mailer.Mailer`: an
SMTP server when one is configured, a pickup directory of ``.eml`` files otherwise. It
imports nothing from ordering: the two share the events' published shape, not code.
"""
