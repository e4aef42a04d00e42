"""Generators for the ``generated`` directive's tests."""


def two_lines() -> list[str]:
    return ["## Made by code", "", "Every word of this was returned by a function."]


def refuses() -> list[str]:
    raise LookupError("no cause and fix written for: 'new-error'")


def not_lines() -> object:
    return {"not": "a list"}
