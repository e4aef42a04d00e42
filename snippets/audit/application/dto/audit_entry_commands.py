"""What a caller may ask of the audit trail: a page of it."""

from pydantic import BaseModel, ConfigDict, Field

from shared_kernel.cursor import CURSOR_PATTERN, MAX_CURSOR_LENGTH

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class ListAuditEntries(BaseModel):
    """Which page of the tenant's trail to read, oldest entry first."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    after: str | None = Field(
        default=None,
        max_length=MAX_CURSOR_LENGTH,
        pattern=CURSOR_PATTERN,
        description="The next_cursor of the previous page; none for the first.",
    )
    limit: int = Field(default=DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Page size.")
