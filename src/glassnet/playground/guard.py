"""Which requests the playground answers at all, as plain ASGI middleware before the app.

Any web page the student visits can send requests to ``127.0.0.1``: by a form or a
``text/plain`` ``fetch`` (which need no permission from the server), or by DNS rebinding (its
own name, made to point at this machine, so that even the answers can be read). Three checks
shut both out:

- ``Host`` must name the address the playground serves (400 otherwise): a rebound name is
  refused before any work is done;
- a request that changes state (POST, PUT, PATCH, DELETE) may carry no ``Origin`` or the
  playground's own (403 otherwise): browsers add ``Origin`` to every cross-site request;
- and it must be ``application/json`` (an upload ``multipart/form-data``; 415 otherwise),
  which a foreign page cannot send without the server's CORS consent, which it never gives.
"""

from __future__ import annotations

from starlette.responses import JSONResponse

__all__ = ["Guard", "LOOPBACK"]

LOOPBACK = ("127.0.0.1", "localhost", "[::1]")
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
UPLOAD_PATHS = {"/api/datasets"}


class Guard:
    """Answer only requests for one of ``hosts`` from the playground's own page.

    ``hosts`` are ``Host`` values (``"127.0.0.1:8000"``); a name without a port accepts that
    name on any port (or none).
    """

    def __init__(self, app, hosts):
        self.app = app
        self.hosts = {h.lower() for h in hosts}

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        refusal = self.refusal(scope, headers)
        if refusal is not None:
            status, message = refusal
            return await JSONResponse({"error": message}, status_code=status)(scope, receive,
                                                                              send)
        await self.app(scope, receive, send)

    def refusal(self, scope, headers) -> tuple[int, str] | None:
        """``(status, sentence)`` for a request to refuse, ``None`` for one to serve."""
        host = headers.get("host", "").strip().lower()
        if not self.allowed_host(host):
            return 400, (f"the playground answers only requests for {', '.join(sorted(self.hosts))}"
                         f", got Host {host[:60]!r}")
        if scope["method"] not in STATE_CHANGING:
            return None
        origin = headers.get("origin")
        if origin is not None and origin.strip().lower() != f"http://{host}":
            return 403, (f"the playground accepts changes only from its own page "
                         f"(http://{host}), got Origin {origin[:60]!r}")
        wanted = ("multipart/form-data" if scope["path"] in UPLOAD_PATHS
                  else "application/json")
        given = headers.get("content-type", "").split(";")[0].strip().lower()
        if given != wanted:
            return 415, (f"{scope['method']} {scope['path']} expects a body of type {wanted}, "
                         f"got {given[:60] or 'none'!r}")
        return None

    def allowed_host(self, host: str) -> bool:
        if host in self.hosts:
            return True
        name, _, port = host.rpartition(":")
        return port.isdigit() and name in self.hosts  # "[::1]:8000" → "[::1]", "8000"
