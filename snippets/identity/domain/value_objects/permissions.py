"""Which role holds which permission: the shop's one permission table.

The permission matrix page is generated from :data:`ROLE_PERMISSIONS`, and the tests
that try every role on every endpoint read their expectations from it, so the table,
the page and the tests cannot disagree.
"""

from collections.abc import Mapping

from identity.domain.value_objects.role import Role
from shared_kernel.authorization import Permission

# --8<-- [start:role-permissions]
_STAFF_ORDERS = {
    # Reading their own orders is where reading orders starts; staff read every one.
    Permission.ORDERS_READ_OWN,
    Permission.ORDERS_READ,
    Permission.ORDERS_PAY,
    Permission.ORDERS_SHIP,
    # Collecting an order's total shows the order: staff only, like reading orders.
    Permission.PAYMENTS_START,
    Permission.PAYMENTS_READ,
}

ROLE_PERMISSIONS: Mapping[Role, frozenset[Permission]] = {
    # Runs the tenant: everything, the audit trail included.
    Role.OWNER: frozenset(Permission),
    # Runs the shop floor: the catalog and every step of an order; not the audit trail.
    Role.MANAGER: frozenset(
        {
            Permission.CATALOG_READ,
            Permission.CATALOG_WRITE,
            Permission.ORDERS_PLACE,
            Permission.ORDERS_CANCEL,
            *_STAFF_ORDERS,
        }
    ),
    # Works the orders: reads the catalog, places, records payment and ships; no prices.
    Role.CLERK: frozenset({Permission.CATALOG_READ, Permission.ORDERS_PLACE, *_STAFF_ORDERS}),
    # Buys: reads the catalog, places orders and reads those; other customers' stay unseen.
    Role.CUSTOMER: frozenset(
        {Permission.CATALOG_READ, Permission.ORDERS_PLACE, Permission.ORDERS_READ_OWN}
    ),
}
# --8<-- [end:role-permissions]


def permissions_of(role: Role) -> frozenset[Permission]:
    """What ``role`` may do in the tenant it is held in."""
    return ROLE_PERMISSIONS[role]
