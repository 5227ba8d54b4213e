"""The playground's ASGI application: a static page and a JSON API computed with glassnet.

Routes (every answer is JSON unless said otherwise; every error is ``{"error": sentence}``):

====================================  =========================================================
``GET  /``                            the page (``static/index.html``)
``GET  /api/options``                 the choices and limits the page offers
``GET  /api/step/example``            the lecture's 2-2-1 set-up, with the names of its numbers
``POST /api/step``                    one explained step of a set-up: numbers and MathML
``POST /api/step/network``            a fresh set-up of given sizes, initialised by glassnet
                                      (with its names)
``POST /api/step/setup``              a shared set-up checked, with the names of its numbers
``POST /api/step/check``              predict, then reveal: one typed value of the next step,
                                      marked by the course checker (predict.py)
``POST /api/datasets``                upload a CSV (multipart field ``file``) → a data set id
``POST /api/train``                   start a training session → its data, window and maps
``POST /api/train/{id}/step``         ``{"steps": n}`` more mini-batch updates → losses, maps
``POST /api/train/{id}/settings``     change noise, test_fraction, batch_size, lr, activation,
                                      penalty or penalty_rate while it trains → the session
``POST /api/train/{id}/points``       ``{"x1", "x2", "label"}``: add a training point → the
                                      session
``GET  /api/train/{id}``              the session again (with its whole history)
``GET  /api/train/{id}/model``        the trained network in glassnet's file format
``GET  /api/train/{id}/code``         the run as a glassnet script and a PyTorch script
``POST /api/train/{id}/inspect``      one neuron's z, a, δ and gradients for one data point
====================================  =========================================================

Everything is computed inside the request, on the event loop: a request is bounded by
:class:`~glassnet.playground.limits.Limits`, and one thread means no two requests ever
touch the same session at once. Before any of it, :class:`~glassnet.playground.guard.Guard`
turns away requests that are not for this server or not from its own page.
"""

from __future__ import annotations

import json
import secrets
import shutil
import tempfile
from collections import OrderedDict
from contextlib import asynccontextmanager
from dataclasses import asdict
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import data as data_mod
from . import features as features_mod
from . import code, inspect, predict, stepper, train_session
from .body import BodyLimit, SafeJSONResponse
from .guard import LOOPBACK, Guard
from .limits import Limits, RequestError, get_int
from .sessions import Sessions

__all__ = ["create_app"]

STATIC = Path(__file__).parent / "static"


def create_app(limits: Limits | None = None, hosts=LOOPBACK) -> Starlette:
    """The playground as a Starlette application (serve it with uvicorn, or test it in-process).

    Parameters
    ----------
    limits : Limits, optional
        Bounds on request size and work; the defaults suit one student on a laptop.
    hosts : iterable of str, optional
        The ``Host`` values to answer, such as ``"127.0.0.1:8000"``; a name without a port is
        accepted on any port. The default is this machine's names (127.0.0.1, localhost,
        [::1]); ``serve`` narrows them to the port it listens on. A test client must use one
        of them, e.g. ``TestClient(app, base_url="http://127.0.0.1")``.
    """
    limits = limits or Limits()
    sessions = Sessions(limits)
    uploads: OrderedDict[str, tuple] = OrderedDict()
    folder: dict[str, Path] = {}  # the temporary folder, made at the first download

    def session(request: Request) -> train_session.TrainSession:
        return sessions.get(request.path_params["sid"])

    async def index(request):
        return FileResponse(STATIC / "index.html")

    async def options(request):
        return {"limits": asdict(limits), "datasets": list(data_mod.TOY_SETS),
                "noise": data_mod.NOISE, "activations": list(train_session.ACTIVATIONS),
                "losses": list(train_session.LOSSES), "optimizers": list(train_session.OPTIMIZERS),
                "step_activations": list(stepper.ACTIVATIONS), "step_losses": list(stepper.LOSSES),
                # Train mode's TF Playground features (h-train)
                "problems": list(data_mod.PROBLEMS),
                "regression_datasets": list(data_mod.REGRESSION_SETS),
                "features": features_mod.LABELS, "penalties": list(train_session.PENALTIES),
                "live": list(train_session.LIVE)}

    async def step_example(request):
        return stepper.example()

    async def step_run(request):
        return stepper.run_step(await _json(request), limits)

    async def step_network(request):
        return stepper.new_network(await _json(request), limits)

    # -- h-step: predict, then reveal --
    async def step_setup(request):
        return stepper.shared_setup(await _json(request), limits)

    async def step_check(request):
        return predict.check_answer(await _json(request), limits)

    async def upload(request):
        form = await request.form()
        file = form.get("file")
        if file is None or isinstance(file, str):
            raise RequestError("expected a CSV file in the form field 'file'")
        raw = await file.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise RequestError("the CSV file is not UTF-8 text") from None
        parsed = data_mod.parse_csv(text, limits)
        key = f"upload-{secrets.token_hex(6)}"
        uploads[key] = parsed
        while len(uploads) > limits.max_uploads:
            uploads.popitem(last=False)
        X, _, classes, description, _ = parsed
        return {"dataset": key, "n_points": len(X), "classes": classes,
                "description": description}

    async def train_start(request):
        spec = await _json(request)
        if not isinstance(spec, dict):
            raise RequestError("expected a JSON object with the data set and network settings")
        new = train_session.TrainSession(spec, data_mod.make_data(spec, uploads, limits), limits)
        sessions.add(new, request.client.host if request.client else "")
        return {**new.public(), **new.report(full_history=True)}

    async def train_step(request):
        found = session(request)
        body = await _json(request)
        if not isinstance(body, dict):
            raise RequestError('expected a JSON object such as {"steps": 10}')
        steps = get_int(body, "steps", 1, 1, limits.max_steps_per_request)
        batch = found.settings["batch_size"]
        if steps * batch > limits.max_samples_per_request:
            raise RequestError(f"steps × batch size may be at most "
                               f"{limits.max_samples_per_request:,} per request, got {steps} × "
                               f"{batch}; ask for at most "
                               f"{limits.max_samples_per_request // batch} steps")
        found.train(steps)
        return found.report()

    # ---- Train mode: changes while it runs, and clicked points (h-train) ----
    async def train_settings(request):
        found = session(request)
        body = await _json(request)
        if not isinstance(body, dict):
            raise RequestError('expected a JSON object such as {"lr": 0.1}')
        found.change(body, uploads)
        return {**found.public(), **found.report(full_history=True)}

    async def train_point(request):
        found = session(request)
        body = await _json(request)
        if not isinstance(body, dict):
            raise RequestError('expected a JSON object such as {"x1": 0.5, "x2": -1, "label": 1}')
        found.add_point(body)
        return {**found.public(), **found.report(full_history=True)}

    async def train_get(request):
        found = session(request)
        return {**found.public(), **found.report(full_history=True)}

    async def train_model(request):
        found = session(request)
        if "path" not in folder:
            folder["path"] = Path(tempfile.mkdtemp(prefix="glassnet-playground-"))
        from ..persistence import save

        path = folder["path"] / f"{found.id}.safetensors"  # the id is hex: no path tricks
        save(found.model_for_download(), path)
        content = path.read_bytes()
        path.unlink()
        return Response(content, media_type="application/octet-stream", headers={
            "Content-Disposition": 'attachment; filename="glassnet-playground.safetensors"'})

    # ---- h-extras: copy as code (playground/code.py), click a neuron (inspect.py) ----
    async def train_code(request):
        found = session(request)
        setup = code.setup(found)
        return {"steps": found.steps, "exact": not setup["changed"],
                "changed": setup["changed"], "glassnet": code.glassnet_script(setup),
                "pytorch": code.pytorch_script(setup)}

    async def train_inspect(request):
        return inspect.neuron_numbers(session(request), await _json(request), limits)
    # ---- end h-extras ----

    @asynccontextmanager
    async def lifespan(app):
        yield
        if "path" in folder:
            shutil.rmtree(folder["path"], ignore_errors=True)

    routes = [
        Route("/", index),
        Route("/api/options", _json_route(options)),
        Route("/api/step/example", _json_route(step_example)),
        Route("/api/step", _json_route(step_run), methods=["POST"]),
        Route("/api/step/network", _json_route(step_network), methods=["POST"]),
        Route("/api/step/setup", _json_route(step_setup), methods=["POST"]),  # h-step
        Route("/api/step/check", _json_route(step_check), methods=["POST"]),  # h-step
        Route("/api/datasets", _json_route(upload), methods=["POST"]),
        Route("/api/train", _json_route(train_start), methods=["POST"]),
        Route("/api/train/{sid:str}/step", _json_route(train_step), methods=["POST"]),
        Route("/api/train/{sid:str}/settings", _json_route(train_settings), methods=["POST"]),
        Route("/api/train/{sid:str}/points", _json_route(train_point), methods=["POST"]),
        Route("/api/train/{sid:str}", _json_route(train_get)),
        Route("/api/train/{sid:str}/model", _json_route(train_model)),
        Route("/api/train/{sid:str}/code", _json_route(train_code)),  # h-extras
        Route("/api/train/{sid:str}/inspect", _json_route(train_inspect), methods=["POST"]),
        Mount("/static", _Static(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan,
                    exception_handlers={HTTPException: _http_error, Exception: _server_error})
    app.add_middleware(BodyLimit, max_bytes=limits.max_body_bytes)
    app.add_middleware(Guard, hosts=hosts)  # added last, so it runs first
    app.state.limits, app.state.sessions, app.state.folder = limits, sessions, folder
    return app


class _Static(StaticFiles):
    """The page's files, ``.js`` always as ``text/javascript``.

    A browser runs a module script only when it comes with a JavaScript MIME type, and the
    type Starlette guesses comes from the system's table (Windows' registry often says
    ``text/plain`` for ``.js``): without this the page would stay blank on such a machine.
    """

    def file_response(self, full_path, *args, **kwargs) -> Response:
        response = super().file_response(full_path, *args, **kwargs)
        if str(full_path).endswith(".js") and isinstance(response, FileResponse):
            response.headers["content-type"] = "text/javascript; charset=utf-8"
        return response


def _json_route(handler):
    """Wrap ``handler``: dicts become JSON, bad requests a JSON error with their status."""
    async def endpoint(request: Request):
        try:
            result = await handler(request)
        except RequestError as error:
            return JSONResponse({"error": str(error)}, status_code=error.status)
        except (ValueError, TypeError) as error:  # glassnet's own one-sentence checks
            return JSONResponse({"error": str(error)}, status_code=400)
        except RecursionError:  # JSON that parsed, but nests too deeply to walk
            return JSONResponse({"error": "the request nests too deeply to check; the "
                                 "playground's requests nest a few levels at most"},
                                status_code=400)
        return SafeJSONResponse(result) if isinstance(result, dict) else result
    endpoint.__name__ = handler.__name__
    return endpoint


async def _json(request: Request):
    body = await request.body()
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise RequestError(f"the request body is not valid JSON ({error})") from None
    except RecursionError:
        raise RequestError("the request body is JSON nested too deeply to read; the "
                           "playground's requests nest a few levels at most") from None


async def _http_error(request: Request, exc: HTTPException):
    return JSONResponse({"error": f"{exc.detail} ({request.method} {request.url.path})"},
                        status_code=exc.status_code)


async def _server_error(request: Request, exc: Exception):
    # An engine error on input the checks let through still gets a sentence, not a trace.
    return JSONResponse({"error": f"the server could not do this: {exc}"}, status_code=500)
