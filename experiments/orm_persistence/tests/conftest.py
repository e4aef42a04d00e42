"""The shop's own test fixtures, reused: a database per backend, services, app and client.

The experiment's tests run on whichever persistence the run chose: the shop's Core units
of work by default, the ORM's with ``-p orm_persistence.pytest_switch``.
"""

import importlib.util
import sys
from pathlib import Path
from typing import Any

SHOP_TESTS = Path(__file__).resolve().parents[3] / "examples" / "shop" / "tests"


def _fixtures_of(conftest: Path, name: str) -> dict[str, Any]:
    spec = importlib.util.spec_from_file_location(name, conftest)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return {key: value for key, value in vars(module).items() if not key.startswith("_")}


globals().update(_fixtures_of(SHOP_TESTS / "conftest.py", "shop_tests_conftest"))
globals().update(
    _fixtures_of(SHOP_TESTS / "integration" / "conftest.py", "shop_integration_conftest")
)
