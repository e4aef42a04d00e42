"""``/.well-known``: the shop's public keys, and where its token endpoint is.

Another service that accepts the shop's access tokens verifies them as the shop does,
with the public half of the key the token's ``kid`` names, fetched from the JWK Set
(RFC 7517) published here. The set holds every key that still verifies, the one that
signs and the ones a rotation left to verify the tokens they signed; never a private
half. The authorization server's metadata (RFC 8414) says where the set and the token
endpoint are, for clients that discover them.
"""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from identity.presentation.api.dependencies import ServicesDep
from infrastructure_kernel.http.problems import PROBLEM_RESPONSES
from infrastructure_kernel.http.urls import resource_url

router = APIRouter(prefix="/.well-known", tags=["identity"], responses=PROBLEM_RESPONSES)

KEYS_MAX_AGE = 300
"""Seconds a verifier may keep the key set: a new ``kid`` makes a good verifier fetch it
again anyway, and a retired key leaves the caches within this time."""

JWK_SET = "application/jwk-set+json"  # RFC 7517, 8.5


# --8<-- [start:jwks]
@router.get(
    "/jwks.json",
    response_model=None,
    responses={200: {"content": {JWK_SET: {}}, "description": "The public keys."}},
)
async def published_keys(services: ServicesDep) -> JSONResponse:
    """The public keys that verify the shop's access tokens, as a JWK Set.

    Public, and cacheable by anyone for :data:`KEYS_MAX_AGE` seconds: the keys are no
    secret, and each key carries its ``kid``, ``alg`` and ``use`` so that a verifier
    picks the one a token names and checks it with that algorithm only.
    """
    return JSONResponse(
        services.public_key_set(),
        media_type=JWK_SET,
        headers={"Cache-Control": f"public, max-age={KEYS_MAX_AGE}"},
    )


# --8<-- [end:jwks]


# --8<-- [start:server-metadata]
@router.get("/oauth-authorization-server", response_model=None)
async def server_metadata(request: Request, services: ServicesDep) -> JSONResponse:
    """The authorization server's metadata (RFC 8414): issuer, token endpoint, key set.

    Not OpenID Connect's discovery document: the shop issues access tokens by the
    password and refresh grants, and no ID tokens, and has no authorization endpoint,
    which that document requires. The URLs are built as every URL the shop hands out
    is, from its configured public address, never from the request's ``Host``.
    """
    metadata: dict[str, Any] = {
        "issuer": services.token_issuer(),
        "token_endpoint": resource_url(request, "issue_token"),
        "jwks_uri": resource_url(request, "published_keys"),
        "grant_types_supported": ["password", "refresh_token"],
        "token_endpoint_auth_methods_supported": ["none"],  # public clients
        "response_types_supported": [],  # no authorization endpoint
    }
    return JSONResponse(metadata, headers={"Cache-Control": f"public, max-age={KEYS_MAX_AGE}"})


# --8<-- [end:server-metadata]
