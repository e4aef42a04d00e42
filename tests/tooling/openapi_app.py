"""A tiny FastAPI application whose OpenAPI document the OpenAPI rendering tests read."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import FastAPI, Header, Query
from pydantic import BaseModel, Field


class Line(BaseModel):
    """One line of an order."""

    product_id: str = Field(description="The product.")
    quantity: int = Field(ge=1, le=1000)


class Order(BaseModel):
    """A placed order."""

    lines: list[Line] = Field(min_length=1)
    note: str | None = None


app = FastAPI(title="Tiny shop", version="1.2.3")


@app.post("/api/v1/orders", status_code=201, summary="Place an order")
async def place(
    order: Order, idempotency_key: Annotated[str | None, Header(max_length=64)] = None
) -> Order:
    """Place the order; the same Idempotency-Key places it once."""
    del idempotency_key
    return order


@app.get("/api/v1/orders", summary="List orders")
async def list_orders(limit: Annotated[int, Query(ge=1, le=100)] = 20) -> list[Order]:
    """One page of orders."""
    del limit
    return []


def openapi_document() -> dict[str, Any]:
    """The application's OpenAPI document."""
    return app.openapi()


def not_a_document() -> list[str]:
    """Something that is not an OpenAPI document."""
    return ["no"]
