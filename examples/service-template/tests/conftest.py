import pytest


@pytest.fixture
def anyio_backend() -> str:
    """Run async tests on asyncio, the loop the service runs on."""
    return "asyncio"
