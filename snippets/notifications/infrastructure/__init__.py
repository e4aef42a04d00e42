"""Notifications' adapters: its table, the templates, the mailers and the consumer's handlers."""
