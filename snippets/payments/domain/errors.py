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


class PaymentNotRefundableError(InvariantViolationError):
    """Only a payment that succeeded collected money to give back."""

    def __init__(self, payment_id: UUID, status: str) -> None:
        super().__init__(f"payment {payment_id} is {status}; only a succeeded one is refunded")
        self.payment_id = payment_id
        self.status = status


class PaymentWithoutIntentError(InvariantViolationError):
    """The provider has not answered with an intent for this payment yet."""

    def __init__(self, payment_id: UUID) -> None:
        super().__init__(f"payment {payment_id} has no intent at the provider yet")
        self.payment_id = payment_id
