"""Interactive API docs (Swagger UI) served from the application's own files.

FastAPI's ``/docs`` page loads Swagger UI's script and style from a CDN, so on a network
without internet access it stays blank. Here the same page takes them from the
``swagger-ui-bundle-v2`` package, which ships Swagger UI's distribution files, and
serves them from the app itself: the page loads nothing from another host.

The page is the one answer of the API that a browser runs, so it gets a content security
policy of its own instead of the API's ``default-src 'none'``: scripts, styles and images
from the app alone, and of inline code only the script that starts Swagger UI, named by
its hash, so an injected ``<script>`` would not run.
"""

import base64
import hashlib
import re
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse
from swagger_ui_bundle import swagger_ui_path

API_DOCS_PATH = "/docs"
INLINE_SCRIPT = re.compile(rb"<script>(.*?)</script>", re.DOTALL)
ASSETS = frozenset({"swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"})
"""The files the page loads; the distribution's demo page and its other files stay unserved."""


# --8<-- [start:api-docs]
def serve_api_docs(app: FastAPI) -> None:
    """Serve Swagger UI for ``app``'s OpenAPI document at ``/docs``, assets included.

    Create the app with ``docs_url=None, redoc_url=None``, so that FastAPI adds no pages
    of its own that load from a CDN.
    """
    assets = Path(str(swagger_ui_path))

    @app.get(API_DOCS_PATH, include_in_schema=False)
    async def api_docs(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "").rstrip("/")  # behind a proxy's prefix
        page = get_swagger_ui_html(
            openapi_url=f"{root}{app.openapi_url}",
            title=f"{app.title}: API docs",
            swagger_js_url=f"{root}{API_DOCS_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{API_DOCS_PATH}/swagger-ui.css",
            swagger_favicon_url=f"{root}{API_DOCS_PATH}/favicon-32x32.png",
            # No badge from the public validator service: the page would load it from there.
            swagger_ui_parameters={"validatorUrl": None},
        )
        page.headers["Content-Security-Policy"] = api_docs_policy(bytes(page.body))
        return page

    @app.get(API_DOCS_PATH + "/{asset}", include_in_schema=False)
    async def api_docs_asset(asset: str) -> FileResponse:
        if asset not in ASSETS:
            raise HTTPException(404, f"no asset {asset!r}")
        return FileResponse(assets / asset)


def api_docs_policy(page: bytes) -> str:
    """The page's content security policy: its own files, and its inline scripts by hash.

    Swagger UI sets some styles inline and shows its icons as ``data:`` images; the
    policy allows those, and nothing from another host.
    """
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script).digest()).decode() + "'"
        for script in INLINE_SCRIPT.findall(page)
    )
    return (
        f"default-src 'none'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline';"
        " img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'"
    )


# --8<-- [end:api-docs]
