"""Serve the playground with uvicorn on this machine, and open it in the browser."""

from __future__ import annotations

import socket
import threading
import webbrowser

from .guard import LOOPBACK
from .limits import Limits

__all__ = ["serve", "bind", "served_hosts"]


def bind(host: str = "127.0.0.1", port: int = 8000) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: any free port), or one clear error."""
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        raise ValueError(f"port must be an integer from 0 to 65535, got {port!r}")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise OSError(f"cannot listen on {host}:{port} ({error.strerror}); choose another "
                      "port with --port") from None
    # Accepted connections inherit this. Without it, a response written as headers then
    # body waits for the browser's delayed ACK: every request took 44 ms instead of 1.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.listen(128)
    return sock


def served_hosts(host: str, port: int) -> set[str]:
    """The ``Host`` values a server on ``host:port`` answers: this machine's names and
    ``host``, on that port only (a rebound DNS name is none of them)."""
    shown = f"[{host}]" if ":" in host else host
    return {f"{name}:{port}" for name in (*LOOPBACK, shown)}


def serve(port: int = 8000, open_browser: bool = True, host: str = "127.0.0.1",
          limits: Limits | None = None) -> None:
    """Run the playground until interrupted (Ctrl+C).

    Parameters
    ----------
    port : int
        TCP port; 0 picks a free one (the address is printed either way).
    open_browser : bool
        Open the page in the default web browser once the server listens.
    host : str
        Interface to bind; the default serves this machine only.
    limits : Limits, optional
        Bounds on request size and work.
    """
    import uvicorn

    from .app import create_app

    sock = bind(host, port)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{sock.getsockname()[1]}/"
    config = uvicorn.Config(create_app(limits, served_hosts(host, sock.getsockname()[1])),
                            log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    print(f"glassnet playground: {url}  (Ctrl+C to stop)", flush=True)
    if open_browser:
        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    server.run(sockets=[sock])
