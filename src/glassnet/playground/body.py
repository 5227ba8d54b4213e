"""A request-body size limit, as plain ASGI middleware in front of the application.

Starlette reads bodies of any size; this refuses one early with 413 when its declared
``Content-Length`` is too large, and stops reading a chunked body once it grows too large.
"""

from __future__ import annotations

import json
import math

from starlette.responses import JSONResponse

__all__ = ["BodyLimit", "SafeJSONResponse"]


class BodyLimit:
    """Answer 413 to any request whose body exceeds ``max_bytes``."""

    def __init__(self, app, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        message = (f"the request body is larger than the playground's limit of "
                   f"{self.max_bytes:,} bytes")
        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            return await JSONResponse({"error": message}, status_code=413)(scope, receive, send)
        seen = 0

        async def counted_receive():
            nonlocal seen
            event = await receive()
            if event["type"] == "http.request":
                seen += len(event.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLarge(message)
            return event

        try:
            await self.app(scope, counted_receive, send)
        except BodyTooLarge:
            await JSONResponse({"error": message}, status_code=413)(scope, receive, send)


class BodyTooLarge(Exception):
    """Raised inside the app's ``receive`` to abandon an oversized body."""


class SafeJSONResponse(JSONResponse):
    """JSON where a NaN or infinity (a diverged network) becomes ``null`` instead of an error."""

    def render(self, content) -> bytes:
        try:
            text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        except ValueError:
            text = json.dumps(_finite(content), ensure_ascii=False, separators=(",", ":"))
        return text.encode("utf-8")


def _finite(value):
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value
