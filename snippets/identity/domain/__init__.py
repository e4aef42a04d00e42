"""The identity domain: the User with its memberships, and the values it is made of."""
