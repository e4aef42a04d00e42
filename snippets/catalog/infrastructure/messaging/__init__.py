"""The catalog's reactions to other contexts' events."""
