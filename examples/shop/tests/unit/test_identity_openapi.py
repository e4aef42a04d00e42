"""What the OpenAPI document says of identity: the OAuth2 password flow, and who needs it."""

from shop.presentation.api.application import openapi_document

DOCUMENT = openapi_document()


# --8<-- [start:security-in-the-document]
def test_the_document_names_the_password_flow_and_its_token_endpoint() -> None:
    schemes = DOCUMENT["components"]["securitySchemes"]

    assert schemes == {
        "OAuth2PasswordBearer": {
            "type": "oauth2",
            "flows": {"password": {"scopes": {}, "tokenUrl": "/api/v1/auth/token"}},
        }
    }


def test_the_operations_that_need_a_caller_say_so_and_no_others() -> None:
    operations = [
        (f"{method.upper()} {path}", operation)
        for path, item in DOCUMENT["paths"].items()
        for method, operation in item.items()
    ]
    secured = [label for label, operation in operations if operation.get("security")]
    tenant_scoped = [
        label
        for label, operation in operations
        if any(p["name"] == "x-tenant-id" for p in operation.get("parameters", []))
    ]

    # Identity's two, and every tenant-scoped operation: /tenant, products, orders,
    # payments, audit and GraphQL, which all serve only a member of the tenant. The payment
    # provider's webhook is neither: its requests are signed with a shared secret.
    assert sorted(secured) == sorted(
        ["GET /api/v1/me", "POST /api/v1/auth/password", *tenant_scoped]
    )
    assert len(tenant_scoped) == 16


# --8<-- [end:security-in-the-document]


def test_the_token_endpoint_takes_a_form() -> None:
    body = DOCUMENT["paths"]["/api/v1/auth/token"]["post"]["requestBody"]

    assert list(body["content"]) == ["application/x-www-form-urlencoded"]
