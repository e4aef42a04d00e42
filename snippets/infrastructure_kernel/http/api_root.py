"""The API root: what a client finds at the address of an API version.

``GET /api/v1`` answers with the API's title and version and a link to each of its
resources, to its OpenAPI document and to its interactive docs, so that a person or a
client that knows only the address finds everything else from there. The link relations
``service-desc`` and ``service-doc`` are the registered ones for an API's machine- and
human-readable description (RFC 8631).
"""

from collections.abc import Mapping

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict

from infrastructure_kernel.http.api_docs import API_DOCS_PATH

OPENAPI_MEDIA_TYPE = "application/vnd.oai.openapi+json"


class Link(BaseModel):
    """Where a related resource is, and what it is, when that is not JSON."""

    model_config = ConfigDict(frozen=True)

    href: str
    type: str | None = None


class ApiRoot(BaseModel):
    """The API's name and version, and its links by relation."""

    model_config = ConfigDict(frozen=True)

    title: str
    version: str
    links: dict[str, Link]


# --8<-- [start:api-root]
def add_api_root(version: APIRouter, resources: Mapping[str, str]) -> None:
    """Answer at the prefix of ``version``, the router of one API version (``GET /api/v1``).

    Args:
        version: The version's router; its prefix is the API's address.
        resources: Each resource's name and its path under that prefix, e.g.
            ``{"customers": "/customers"}``.
    """

    @version.get("", tags=["api"], response_model_exclude_none=True)
    async def api_root(request: Request) -> ApiRoot:
        """Link to the API's resources, its OpenAPI document and its docs."""
        root = request.scope.get("root_path", "").rstrip("/")
        version = request.url.path.rstrip("/")
        links = {
            "self": Link(href=version),
            "service-desc": Link(href=f"{root}{request.app.openapi_url}", type=OPENAPI_MEDIA_TYPE),
            "service-doc": Link(href=f"{root}{API_DOCS_PATH}", type="text/html"),
        }
        links.update({name: Link(href=version + path) for name, path in resources.items()})
        return ApiRoot(title=request.app.title, version=request.app.version, links=links)


# --8<-- [end:api-root]
