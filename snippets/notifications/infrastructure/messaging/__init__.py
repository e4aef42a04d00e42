"""Notifications' reaction to ordering's events: the ``notifications.order-emails`` handlers."""
