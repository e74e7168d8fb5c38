"""The newstrace web app (``newstrace serve``): ``create_app(settings, config=WebConfig(...))``."""

from newstrace.web.app import WebConfig, create_app

__all__ = ["WebConfig", "create_app"]
