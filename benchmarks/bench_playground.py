"""The playground keeps up: one training-step request for a 2-8-8-1 network on 500 points.

``python -m benchmarks.bench_playground [--quick]`` prints one JSON line (the format of
``benchmarks/runner.py``'s extras).

A request is what the page sends while playing: ``POST /api/train/{id}/step`` with
``{"steps": 1}``; its answer carries the train and test loss and accuracy over all 500
points, the 48 × 48 decision-boundary map and the 16 hidden neurons' 24 × 24 maps. It is
timed two ways: over HTTP to a real uvicorn server on 127.0.0.1 (what the browser sees,
with a kept-alive connection as the browser keeps one), and in-process through Starlette's
TestClient (the application alone). Target: under 20 ms.
A step-through request (the lecture's network, and the largest one the page allows) is timed
too, for scale: its cost is latex2mathml turning each derivation line into MathML.
"""

from __future__ import annotations

import argparse
import json
import statistics
import threading
import time
import warnings

import httpx
import uvicorn

from glassnet.playground import create_app
from glassnet.playground.server import bind

SETUP = {"dataset": "moons", "n_samples": 500, "test_fraction": 0.0, "hidden": [8, 8],
         "activation": "tanh", "optimizer": "adam", "lr": 0.03, "seed": 0}
CASES = {"mini-batch 32": {"batch_size": 32}, "full batch 500": {"batch_size": 500}}


def _time(post, sid: str, repeats: int) -> list[float]:
    for _ in range(5):  # warm-up: first calls import and allocate
        post(f"/api/train/{sid}/step", json={"steps": 1})
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        response = post(f"/api/train/{sid}/step", json={"steps": 1})
        times.append(time.perf_counter() - start)
        response.raise_for_status()
    return times


def _row(where: str, case: str, times: list[float]) -> dict:
    ms = sorted(t * 1e3 for t in times)
    return {"where": where, "case": case, "median ms": round(statistics.median(ms), 2),
            "p90 ms": round(ms[int(0.9 * (len(ms) - 1))], 2), "min ms": round(ms[0], 2),
            "requests": len(ms)}


def _over_http(repeats: int) -> list[dict]:
    sock = bind("127.0.0.1", 0)
    server = uvicorn.Server(uvicorn.Config(create_app(), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    rows = []
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{sock.getsockname()[1]}") as client:
            for case, extra in CASES.items():
                sid = client.post("/api/train", json={**SETUP, **extra}).json()["id"]
                rows.append(_row("HTTP (uvicorn)", case, _time(client.post, sid, repeats)))
    finally:
        server.should_exit = True
        thread.join()
    return rows


def _in_process(repeats: int) -> list[dict]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
    rows = []
    with TestClient(create_app(), base_url="http://127.0.0.1") as client:  # the guard's own host
        for case, extra in CASES.items():
            sid = client.post("/api/train", json={**SETUP, **extra}).json()["id"]
            rows.append(_row("in-process (TestClient)", case, _time(client.post, sid, repeats)))
        rows += _step_through(client, max(repeats // 10, 5))
    return rows


def _step_through(client, repeats: int) -> list[dict]:
    """A step-through request: explain's trace plus every derivation line as MathML.

    The input changes every request, so that no converted line is served from the cache.
    """
    lecture = client.get("/api/step/example").json()
    largest = client.post("/api/step/network", json={
        "sizes": [8, 8, 8, 8, 8], "activations": ["tanh"] * 3 + ["sigmoid"]}).json()
    rows = []
    for case, setup in (("step-through, lecture 2-2-1", lecture),
                        ("step-through, largest 8-8-8-8-8", largest)):
        times = []
        for k in range(repeats):
            setup["x"][0] = 0.05 + 1e-4 * k
            start = time.perf_counter()
            client.post("/api/step", json=setup).raise_for_status()
            times.append(time.perf_counter() - start)
        rows.append(_row("in-process (TestClient)", case, times))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer requests, for a smoke test")
    args = parser.parse_args()
    repeats = 30 if args.quick else 300
    rows = _over_http(repeats) + _in_process(repeats)
    checks = {f"{row['where']}, {row['case']}": {"value": row["median ms"], "target": "< 20 ms",
                                                 "met": row["median ms"] < 20}
              for row in rows if row["where"].startswith("HTTP")}
    print(json.dumps({"name": "playground", "title": "Playground: one training-step request, "
                      "2-8-8-1 on 500 points (median of requests)", "rows": rows,
                      "checks": checks}))


if __name__ == "__main__":
    main()
