"""Ordering's use cases, one module each: place an order, then pay, ship or cancel it.

Each takes a validated command and a fresh unit of work made for the caller's tenant,
lets the Order aggregate check the change, commits, and returns the view.
"""
