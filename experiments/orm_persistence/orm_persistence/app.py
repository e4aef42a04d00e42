"""The ASGI factory the benchmark serves: the shop's app on the ORM's services.

``uvicorn --factory orm_persistence.app:app_from_environment`` beside the shop's own
``shop.api.application:app_from_environment``: the same app, settings and logging.
"""

from fastapi import FastAPI

from orm_persistence.bootstrap import bootstrap
from shop.api.application import shop_app
from shop.logs import configure_logging
from shop.settings import Settings


def app_from_environment() -> FastAPI:
    """The shop's app on the ORM services, configured from the environment."""
    settings = Settings()
    configure_logging(settings.log_level)
    return shop_app(bootstrap(settings))
