"""Payments' domain errors."""

from uuid import UUID

from shared_kernel.errors import DomainError, InvariantViolationError


class PaymentNotFoundError(DomainError):
    """The tenant has no payment with this id, or the provider's id names none."""

    def __init__(self, reference: UUID | str) -> None:
        super().__init__(f"no payment {reference}")
        self.reference = reference


class OrderNotPayableError(InvariantViolationError):
    """The order is not waiting for a payment: it is paid, shipped or cancelled."""

    def __init__(self, order_id: UUID, status: str) -> None:
        super().__init__(f"order {order_id} is {status}, not waiting for a payment")
        self.order_id = order_id
        self.status = status


class OrderToPayNotFoundError(DomainError):
    """The tenant has no order with this id to start a payment for."""

    def __init__(self, order_id: UUID) -> None:
        super().__init__(f"no order {order_id}")
        self.order_id = order_id
