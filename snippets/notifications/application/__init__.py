"""Notifications' application layer: the port through which e-mails leave."""
