"""The service template: a customer directory, built in the layers of Clean Architecture.

``domain`` holds the business rules, ``application`` the use cases, ``infrastructure``
the database adapter, ``presentation`` the HTTP API and the CLI; ``bootstrap`` wires them.
"""
