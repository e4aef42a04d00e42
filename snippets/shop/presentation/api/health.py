"""Liveness: the shop's process is up and answering HTTP."""

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """The answer of a live process."""

    status: Literal["ok"] = "ok"


@router.get("/health")
async def health() -> Health:
    """Answer while the process can serve requests.

    It deliberately touches no database: a liveness probe that fails when the database
    is down would have the orchestrator restart healthy processes in a loop.
    """
    return Health()
