"""Entities are equal when type and id are; their other state does not matter."""

import pytest

from shared_kernel.entity import Entity


class Ticket(Entity[int]):
    def __init__(self, ticket_id: int, title: str) -> None:
        super().__init__(ticket_id)
        self.title = title


class Invoice(Entity[int]):
    pass


def test_entities_with_the_same_id_are_equal_whatever_their_state() -> None:
    assert Ticket(1, "Printer jams") == Ticket(1, "Printer is on fire")


def test_entities_with_different_ids_differ() -> None:
    assert Ticket(1, "Printer jams") != Ticket(2, "Printer jams")


def test_entities_of_different_types_differ_even_with_the_same_id() -> None:
    assert Ticket(1, "Printer jams") != Invoice(1)


def test_an_entity_never_equals_a_non_entity() -> None:
    assert Ticket(1, "Printer jams") != 1


def test_the_hash_follows_the_identity_not_the_state() -> None:
    ticket = Ticket(1, "Printer jams")
    tickets = {ticket}
    ticket.title = "Printer fixed"
    assert ticket in tickets
    assert len({Ticket(1, "a"), Ticket(1, "b"), Ticket(2, "a")}) == 2


def test_the_id_cannot_be_reassigned() -> None:
    ticket = Ticket(1, "Printer jams")
    with pytest.raises(AttributeError):
        ticket.id = 2  # type: ignore[misc]


def test_repr_shows_type_and_id() -> None:
    assert repr(Ticket(7, "Printer jams")) == "Ticket(id=7)"
