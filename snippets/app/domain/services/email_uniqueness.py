"""The rule that no two customers share an e-mail address.

It is a domain service because no single customer can check it: the rule is about all
of them. It is phrased over the repository port, so it is the same rule whichever
database answers.
"""

from app.domain.errors import EmailAlreadyRegisteredError
from app.domain.repositories.customer_repository import CustomerRepository
from app.domain.value_objects.email_address import EmailAddress


# --8<-- [start:ensure-email-is-free]
async def ensure_email_is_free(email: EmailAddress, customers: CustomerRepository) -> None:
    """Check that no customer uses ``email`` yet.

    This check gives a clear, early answer; the unique constraint in the database is what
    makes the rule hold when two registrations race.

    Raises:
        EmailAlreadyRegisteredError: A customer already has this address.
    """
    if await customers.get_by_email(email) is not None:
        raise EmailAlreadyRegisteredError(email.value)


# --8<-- [end:ensure-email-is-free]
