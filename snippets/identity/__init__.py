"""The identity context: users, their tenant memberships, and how they prove who they are.

Registration with a verified e-mail address, passwords hashed with Argon2id, the OAuth2
password and refresh flows with signed access tokens, and the verification of tokens
that an external identity provider signed. The shop's other contexts do not know it:
the platform composes it, as it composes them.
"""
