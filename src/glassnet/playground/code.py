"""Copy as code: a Train session's set-up as a short glassnet script and as a PyTorch script.

Both scripts make the same data (the same loader, seed and train/test split), start from the
same weights (glassnet's seeded initialisation), use the same optimizer and visit the rows in
the same order as the session (``train_session.TrainSession.train``: a fresh permutation from
``np.random.default_rng(seed)`` at each epoch's start), and print the training loss the page
shows after the same number of steps. The glassnet script reproduces it bit for bit (as one
``net.fit`` call when the steps make whole epochs, since fit shuffles the same way); the PyTorch
script agrees to the digits float64 arithmetic in another order allows (about 1e-12).

Everything here is a pure function of :func:`setup`'s dictionary, so it is tested without a
browser (tests/test_playground_code.py runs both scripts in a subprocess).
"""

from __future__ import annotations

from .limits import RequestError

__all__ = ["setup", "glassnet_script", "pytorch_script"]

_TORCH_ACTIVATION = {"tanh": "torch.nn.Tanh()", "relu": "torch.nn.ReLU()",
                     "leaky_relu": "torch.nn.LeakyReLU({slope!r})", "sigmoid": "torch.nn.Sigmoid()",
                     "identity": "torch.nn.Identity()", "softmax": "torch.nn.Softmax(dim=1)"}
# Train mode's input features as numpy expressions of x1, x2, as features.py computes them.
_FEATURES = {"x1": "x1", "x2": "x2", "x1sq": "x1 * x1", "x2sq": "x2 * x2", "x1x2": "x1 * x2",
             "sinx1": "np.sin(x1)", "sinx2": "np.sin(x2)"}
_META = ("dataset", "seed", "n_test", "test_fraction")  # recipe keys that are not loader arguments
_REGRESSION = ("plane", "gaussians_regression")  # made in playground/data.py, TF Playground's
# What changes the run so that a script from the start cannot repeat it: new data and a new
# batch order (noise, test split, a clicked point) or other starting weights (the activation
# chooses the initialiser) at any step, and any setting changed once training has begun.
_NEVER_AT_START = {"noise", "test_fraction", "point", "activation"}
_EMBEDDED = 300  # an uploaded CSV's training rows are written into the script up to this many
_REPLAYED = ("lr", "batch_size")  # changed at a later step, the scripts change them there too
# Changed after the last step, these changed no update: the scripts train with the old value
# (a clicked point is added after training, before the loss is computed).
_HARMLESS_AT_END = ("lr", "batch_size", "penalty", "penalty_rate")


def setup(session) -> dict:
    """What a script needs to repeat ``session``'s run, as plain data.

    The data set's recipe (``PlaygroundData.recipe``), the layers as the session built them
    (sizes and activations read from its network), the loss, input features, optimizer,
    learning rate, penalty, batch size, seed, the number of steps taken so far, and
    ``changed``: the changes made while it trained that a script from the start cannot repeat.
    """
    recipe = dict(session.data.recipe or {"dataset": "upload"})
    if recipe["dataset"] == "upload":
        d = session.data
        if len(d.X_train) > _EMBEDDED:
            raise RequestError(f"copy as code writes an uploaded CSV's training rows into the "
                               f"script only up to {_EMBEDDED}; this one has {len(d.X_train)}")
        recipe.update(X=d.X_train.tolist(), y=d.y_train.tolist(), classes=list(d.classes))
    net, settings = session.net, session.settings
    changed, schedule, first, late = [], [], {}, []
    for step, what in session.changes:  # (step, {name: (old, new)}) of each change
        for name, (old, new) in what.items():
            if old == new and name != "point":
                continue
            if step == session.steps and name == "point":
                late.append(new)
            elif step == session.steps and name in _HARMLESS_AT_END:
                first.setdefault(name, old)
            elif name in _REPLAYED and step > 0:
                schedule.append((step, name, new))
                first.setdefault(name, old)
            elif name in _NEVER_AT_START or step > 0:
                changed.append(f"{name} at step {step}")
    return {"recipe": recipe, "problem": settings["problem"], "schedule": schedule,
            "penalty": first.get("penalty", settings["penalty"]),
            "penalty_rate": first.get("penalty_rate", settings["penalty_rate"]),
            "changed": changed, "late_points": late,
            "layers": [{"n_in": layer.n_in, "n_out": layer.n_out,
                        "activation": layer.activation.name,
                        "slope": getattr(layer.activation, "slope", None)}
                       for layer in net.layers],
            "loss": net.loss_fn.name, "n_classes": session.data.n_classes,
            "features": list(settings["features"]),
            "optimizer": settings["optimizer"], "lr": first.get("lr", settings["lr"]),
            "batch_size": first.get("batch_size", settings["batch_size"]), "seed": settings["seed"],
            "steps": session.steps, "n_train": len(session.data.X_train) - len(late)}


def _data_lines(s: dict) -> list[str]:
    """Make the points, split them as the page did, and add the input features."""
    recipe = s["recipe"]
    name, n_test = recipe["dataset"], recipe.get("n_test", 0)
    lines = [f"seed = {s['seed']}"]
    if name == "upload":  # the page's own training rows: standardised, in its order
        rows = ",\n              ".join(repr(row) for row in recipe["X"])
        lines += [f"# the uploaded CSV's {len(recipe['X'])} training rows, standardised as the "
                  f"page did; classes {', '.join(recipe['classes'])}",
                  f"X = np.array([{rows}])", f"y = np.array({recipe['y']!r})"]
    elif name in _REGRESSION:  # TF Playground's sets, as playground/data.py draws them
        n, noise = recipe["n_samples"], recipe["noise"]
        lines += ["rng = np.random.default_rng(seed)",
                  f"points = rng.uniform(-6.0, 6.0, size=({n}, 2))  # the square [-6, 6]²",
                  f"jitter = rng.uniform(-6.0, 6.0, size=({n}, 2)) * {noise!r}  # the noise",
                  f'targets = regression_target("{name}", points + jitter)']
    else:
        args = [f"{key}={value!r}" for key, value in recipe.items() if key not in _META]
        args += [] if name == "xor" else ["seed=seed"]
        lines += [f"data = gn.datasets.{name}({', '.join(args)})",
                  "points, targets = data.X, data.y"]
    if name != "upload":
        lines += ["order = np.random.default_rng(seed).permutation(len(points))",
                  f"train = order[{n_test}:]  # the first {n_test} rows of the permutation are "
                  f"the test points ({recipe['test_fraction']:.0%})",
                  "X, y = points[train], targets[train]"]
    if s["features"] != ["x1", "x2"]:
        columns = ", ".join(_FEATURES[f] for f in s["features"])
        lines += ["x1, x2 = X[:, 0], X[:, 1]",
                  f"X = np.column_stack([{columns}])  # the network's inputs"]
    return lines


def _late_points(s: dict, torch: bool = False) -> list[str]:
    """The points clicked on the plane after the last step: they changed no update, so they
    join the training rows only now, for the loss the page shows."""
    if not s["late_points"]:
        return []
    points = [[x1, x2] for x1, x2, _ in s["late_points"]]
    labels = [label for _, _, label in s["late_points"]]
    columns = ", ".join(_FEATURES[f] for f in s["features"])
    added = f"np.column_stack([{columns}])"
    return ["", f"# {len(points)} point(s) clicked on the plane after the last step: they changed "
            "no update, only the loss", f"x1, x2 = np.array({points!r}).T",
            (f"X = torch.cat([X, torch.tensor({added})])" if torch
             else f"X = np.vstack([X, {added}])"),
            f"y = np.concatenate([y, np.array({labels!r})])", _targets(s, torch)]


def _imports(s: dict) -> list[str]:
    extra = (["from glassnet.playground.data import regression_target"]
             if s["recipe"]["dataset"] in _REGRESSION else [])
    return ["import glassnet as gn", *extra]


def _targets(s: dict, torch: bool = False) -> str:
    """What the loss compares ŷ with, as the session builds it (``TrainSession._targets``)."""
    if s["problem"] == "regression":
        value, why = "y.reshape(-1, 1)", "(N, 1): the target"
    elif s["layers"][-1]["n_out"] == 1:
        value, why = "y.reshape(-1, 1).astype(float)", "(N, 1): the class, 0 or 1"
    elif s["loss"] == "cross_entropy":
        value, why = "y", "class labels, as the cross-entropy takes them"
    else:
        value, why = f"np.eye({s['n_classes']})[y]", "one-hot rows"
    return f"T = torch.tensor({value})  # {why}" if torch else f"T = {value}  # {why}"


def _loop(s: dict, update: list[str], set_lr: list[str]) -> list[str]:
    """The session's loop: a fresh order of the rows at each epoch's start, ``batch`` a step,
    and the learning rate and batch size changed at the steps where the page changed them."""
    changes = []
    for step, name, value in s["schedule"]:
        changes += [f"    if step == {step}:  # changed on the page"]
        changes += ([f"        {line.format(lr=value)}" for line in set_lr] if name == "lr"
                    else [f"        batch = {value}"])
    return ["rng = np.random.default_rng(seed)  # the order of the rows, as the page draws it",
            f"order, cursor, batch = rng.permutation(len(X)), 0, {s['batch_size']}",
            f"for step in range({s['steps']}):",
            *changes,
            "    if cursor >= len(X):  # an epoch is over: shuffle again",
            "        order, cursor = rng.permutation(len(X)), 0",
            "    rows = order[cursor:cursor + batch]",
            "    cursor += batch",
            *("    " + line for line in update)]


def _docstring(s: dict, what: str) -> list[str]:
    sizes = "-".join(str(n) for n in [s["layers"][0]["n_in"]] + [l["n_out"] for l in s["layers"]])
    penalty = ("" if s["penalty"] == "none"
               else f", {s['penalty'].upper()} λ = {s['penalty_rate']!r}")
    data = "uploaded CSV" if s["recipe"]["dataset"] == "upload" else s["recipe"]["dataset"]
    lines = [f'"""The glassnet playground\'s run in {what}: {data} data, a '
             f'{sizes} network,', f'{s["optimizer"]} with learning rate {s["lr"]!r}{penalty}, '
             f'{s["steps"]} steps of {s["batch_size"]} rows.', "",
             'Made by the playground\'s "Copy as code"; it prints the training loss the page '
             'showed.']
    if s["schedule"]:
        lines += ["", "As on the page, " + "; ".join(
            f"{'the learning rate' if name == 'lr' else 'the batch size'} becomes {value!r} at "
            f"step {step}" for step, name, value in s["schedule"]) + "."]
    if s["changed"]:
        lines += ["", "Not exactly the page's run: it changed while training "
                  f"({'; '.join(s['changed'])}).", "This script trains with the final settings "
                  "from the start, so its loss differs."]
    return lines[:-1] + [lines[-1] + '"""']


def _network(s: dict, name: str = "net") -> str:
    """``name = gn.Network([...], loss=..., seed=seed)``, one layer a line."""
    indent = " " * (len(name) + len(" = gn.Network(["))
    layers = [f'gn.Dense({l["n_in"]}, {l["n_out"]}, activation="{l["activation"]}")'
              for l in s["layers"]]
    joined = f",\n{indent}".join(layers)
    return f'{name} = gn.Network([{joined}],\n{indent[:-1]}loss="{s["loss"]}", seed=seed)'


def glassnet_script(s: dict) -> str:
    """A script that repeats the session's run with glassnet and prints its training loss."""
    optimizer = {"sgd": f"gn.SGD(net.parameters(), lr={s['lr']!r})",
                 "momentum": f"gn.SGD(net.parameters(), lr={s['lr']!r}, momentum=0.9)",
                 "adam": f"gn.Adam(net.parameters(), lr={s['lr']!r})"}[s["optimizer"]]
    penalty, update = [], []
    if s["penalty"] != "none":
        kind = s["penalty"].upper()
        penalty = [f"penalty = gn.{kind}({s['penalty_rate']!r})  # on the weights, not the biases"]
        update = [f"penalty.add_grads(net)               # + ∂R/∂W "
                  f"({'λ sign(w)' if kind == 'L1' else 'λ w'})"]
    per_epoch = -(-s["n_train"] // s["batch_size"])  # batches in one pass over the rows
    if s["steps"] and s["steps"] % per_epoch == 0 and not s["schedule"]:  # fit shuffles alike
        extra = ", penalty=penalty" if penalty else ""
        training = [f"# {s['steps']} steps = {s['steps'] // per_epoch} epochs of {per_epoch} "
                    f"batches, each epoch's rows in a fresh order from seed",
                    f"net.fit(X, T, epochs={s['steps'] // per_epoch}, "
                    f"batch_size={s['batch_size']}, optimizer=optimizer, seed=seed{extra},",
                    "        progress=False)"]
    else:
        training = _loop(s, ["y_hat = net.forward(X[rows])         # 1. forward",
                             "net.loss(y_hat, T[rows]).backward()  # 2. loss, 3. backward",
                             *update,
                             "optimizer.step()                     # 4. update"],
                         ["optimizer.lr = {lr!r}"])
    lines = [*_docstring(s, "glassnet"), "", "import numpy as np", "", *_imports(s),
             "", *_data_lines(s), _targets(s), "", _network(s),
             f"optimizer = {optimizer}", *penalty, "", *training, *_late_points(s),
             "",
             "loss = net.loss_fn(net.forward(X), T)  # all the training points, as the page scores",
             f'print(f"step {s["steps"]}: training loss {{loss:.6g}}")']
    return "\n".join(lines) + "\n"


def _torch_model(s: dict) -> list[str]:
    """``Sequential(Linear, activation, …, Linear[, output activation]).``

    A sigmoid or softmax output that the loss fuses (binary or categorical cross-entropy) is
    left to the loss, which takes the logits, as in PyTorch's own examples.
    """
    fused = s["loss"] in ("binary_cross_entropy", "cross_entropy")
    modules = []
    for k, layer in enumerate(s["layers"]):
        modules.append(f"torch.nn.Linear({layer['n_in']}, {layer['n_out']})")
        last = k == len(s["layers"]) - 1
        if not (last and fused):
            modules.append(_TORCH_ACTIVATION[layer["activation"]].format(slope=layer["slope"]))
    return ["model = torch.nn.Sequential(", *(f"    {m}," for m in modules), ")",
            "with torch.no_grad():  # glassnet's seeded starting weights; its W is (n_in, n_out)",
            "    for linear, layer in zip(model[::2], start.layers):",
            "        linear.weight.copy_(torch.tensor(layer.W.value.T))",
            "        linear.bias.copy_(torch.tensor(layer.b.value))"]


def _torch_loss(s: dict) -> str:
    return {"binary_cross_entropy": "loss_fn = torch.nn.BCEWithLogitsLoss()  # sigmoid + "
                                    "binary cross-entropy, from the logits",
            "cross_entropy": "loss_fn = torch.nn.CrossEntropyLoss()  # softmax + cross-entropy, "
                             "from the logits",
            "mse": "loss_fn = torch.nn.MSELoss()",
            "squared_error": "def loss_fn(y_hat, t):  # the lecture's ½ Σ_k (t − ŷ)², mean "
                             "over the rows\n    return 0.5 * ((y_hat - t) ** 2).sum(dim=1)"
                             ".mean()"}[s["loss"]]


def pytorch_script(s: dict) -> str:
    """The same run in PyTorch (float64); glassnet only makes the data and starting weights."""
    params, groups, step_loss = "model.parameters()", [], "loss_fn(model(X[rows]), T[rows])"
    if s["penalty"] == "l2":  # (λ/2) Σw² is weight decay λ on the weights' group
        decay = f'{{"params": weights, "weight_decay": {s["penalty_rate"]!r}}}'
        params = f'[{decay}, {{"params": biases}}]'
        groups = ["linears = [m for m in model if isinstance(m, torch.nn.Linear)]",
                  "weights, biases = [m.weight for m in linears], [m.bias for m in linears]"]
    elif s["penalty"] == "l1":  # λ Σ|w| added to the loss; autograd gives λ sign(w)
        groups = ["weights = [m.weight for m in model if isinstance(m, torch.nn.Linear)]"]
        step_loss += f" + {s['penalty_rate']!r} * sum(w.abs().sum() for w in weights)"
    optimizer = {"sgd": f"torch.optim.SGD({params}, lr={s['lr']!r})",
                 "momentum": f"torch.optim.SGD({params}, lr={s['lr']!r}, momentum=0.9)",
                 "adam": f"torch.optim.Adam({params}, lr={s['lr']!r})"}[s["optimizer"]]
    lines = [*_docstring(s, "PyTorch"), "", "import numpy as np", "import torch", "",
             *[f"{line}  # the same data and starting weights as the page"
               if line == "import glassnet as gn" else line for line in _imports(s)], "",
             "torch.set_default_dtype(torch.float64)",
             *_data_lines(s), _targets(s, torch=True), "X = torch.tensor(X)", "",
             _network(s, "start"),
             *_torch_model(s), _torch_loss(s), *groups, f"optimizer = {optimizer}", "",
             *_loop(s, ["rows = torch.tensor(rows)",
                        "optimizer.zero_grad()",
                        f"({step_loss}).backward()" if s["penalty"] == "l1"
                        else f"{step_loss}.backward()",
                        "optimizer.step()"],
                    ["for group in optimizer.param_groups:", "    group[\"lr\"] = {lr!r}"]),
             *_late_points(s, torch=True), "", "with torch.no_grad():",
             "    loss = loss_fn(model(X), T).item()",
             f'print(f"step {s["steps"]}: training loss {{loss:.6g}}")']
    return "\n".join(lines) + "\n"
