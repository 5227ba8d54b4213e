"""Copy as code: a Train session's set-up as a short glassnet script and as a PyTorch script.

Both scripts make the same data (the same loader, seed and train/test split), start from the
same weights (glassnet's seeded initialisation), use the same optimizer and visit the rows in
the same order as the session (``train_session.TrainSession.train``: a fresh permutation from
``np.random.default_rng(seed)`` at each epoch's start), and print the training loss the page
shows after the same number of steps. The glassnet script reproduces it bit for bit; the PyTorch
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
# The extra input features of Train mode, as numpy expressions of the points X (N, 2).
_FEATURES = {"x1": "X[:, 0]", "x2": "X[:, 1]", "x1sq": "X[:, 0] ** 2", "x2sq": "X[:, 1] ** 2",
             "x1x2": "X[:, 0] * X[:, 1]", "sinx1": "np.sin(X[:, 0])",
             "sinx2": "np.sin(X[:, 1])"}
_META = ("dataset", "seed", "n_test", "test_fraction")  # recipe keys that are not loader arguments


def setup(session) -> dict:
    """What a script needs to repeat ``session``'s run, as plain data.

    The data set's recipe (``PlaygroundData.recipe``), the layers as the session built them
    (sizes and activations read from its network), the loss, optimizer, learning rate, batch
    size, seed and the number of steps taken so far.
    """
    recipe = session.data.recipe or {}
    if recipe.get("dataset", "upload") == "upload":
        raise RequestError("copy as code needs one of the built-in data sets; an uploaded CSV "
                           "stays on this computer, so no script can make its points again")
    net, settings = session.net, session.settings
    return {"recipe": dict(recipe),
            "layers": [{"n_in": layer.n_in, "n_out": layer.n_out,
                        "activation": layer.activation.name,
                        "slope": getattr(layer.activation, "slope", None)}
                       for layer in net.layers],
            "loss": net.loss_fn.name, "n_classes": session.data.n_classes,
            "features": list(settings.get("features", ["x1", "x2"])),
            "optimizer": settings["optimizer"], "lr": settings["lr"],
            "batch_size": settings["batch_size"], "seed": settings["seed"],
            "steps": session.steps}


def _data_lines(s: dict) -> list[str]:
    """Make the points, split them as the page did, and add the input features."""
    recipe = s["recipe"]
    name = recipe["dataset"]
    args = [f"{key}={value!r}" for key, value in recipe.items() if key not in _META]
    if name != "xor":
        args.append("seed=seed")
    n_test = recipe["n_test"]
    lines = [f"seed = {s['seed']}",
             f"data = gn.datasets.{name}({', '.join(args)})",
             "order = np.random.default_rng(seed).permutation(len(data.X))",
             f"train = order[{n_test}:]  # the first {n_test} rows of the permutation are "
             f"the test points ({recipe['test_fraction']:.0%})",
             "X, y = data.X[train], data.y[train]"]
    if s["features"] != ["x1", "x2"]:
        columns = ", ".join(_FEATURES[f] for f in s["features"])
        lines.append(f"X = np.column_stack([{columns}])  # the inputs: {', '.join(s['features'])}")
    return lines


def _targets(s: dict, torch: bool = False) -> str:
    """What the loss compares ŷ with, as the session builds it (``TrainSession._targets``)."""
    if s["layers"][-1]["n_out"] == 1:
        value, why = "y.reshape(-1, 1).astype(float)", "(N, 1): the class, 0 or 1"
    elif s["loss"] == "cross_entropy":
        value, why = "y", "class labels, as the cross-entropy takes them"
    else:
        value, why = f"np.eye({s['n_classes']})[y]", "one-hot rows"
    return f"T = torch.tensor({value})  # {why}" if torch else f"T = {value}  # {why}"


def _loop(steps: int, batch: int, update: list[str]) -> list[str]:
    """The session's loop: a fresh order of the rows at each epoch's start, ``batch`` a step."""
    return ["rng = np.random.default_rng(seed)  # the order of the rows, as the page draws it",
            "order, cursor = rng.permutation(len(X)), 0",
            f"for step in range({steps}):",
            "    if cursor >= len(X):  # an epoch is over: shuffle again",
            "        order, cursor = rng.permutation(len(X)), 0",
            f"    rows = order[cursor:cursor + {batch}]",
            f"    cursor += {batch}",
            *("    " + line for line in update)]


def _docstring(s: dict, what: str) -> list[str]:
    sizes = "-".join(str(n) for n in [s["layers"][0]["n_in"]] + [l["n_out"] for l in s["layers"]])
    return [f'"""The glassnet playground\'s run in {what}: {s["recipe"]["dataset"]} data, a '
            f'{sizes} network,', f'{s["optimizer"]} with learning rate {s["lr"]!r}, '
            f'{s["steps"]} steps of {s["batch_size"]} rows.', "",
            'Made by the playground\'s "Copy as code"; it prints the training loss the page '
            'showed."""']


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
    lines = [*_docstring(s, "glassnet"), "", "import numpy as np", "", "import glassnet as gn",
             "", *_data_lines(s), _targets(s), "", _network(s),
             f"optimizer = {optimizer}", "",
             *_loop(s["steps"], s["batch_size"],
                    ["y_hat = net.forward(X[rows])         # 1. forward",
                     "net.loss(y_hat, T[rows]).backward()  # 2. loss, 3. backward",
                     "optimizer.step()                     # 4. update"]),
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
    optimizer = {"sgd": f"torch.optim.SGD(model.parameters(), lr={s['lr']!r})",
                 "momentum": f"torch.optim.SGD(model.parameters(), lr={s['lr']!r}, momentum=0.9)",
                 "adam": f"torch.optim.Adam(model.parameters(), lr={s['lr']!r})"}[s["optimizer"]]
    lines = [*_docstring(s, "PyTorch"), "", "import numpy as np", "import torch", "",
             "import glassnet as gn  # the same data and starting weights as the page", "",
             "torch.set_default_dtype(torch.float64)",
             *_data_lines(s), _targets(s, torch=True), "X = torch.tensor(X)", "",
             _network(s, "start"),
             *_torch_model(s), _torch_loss(s), f"optimizer = {optimizer}", "",
             *_loop(s["steps"], s["batch_size"],
                    ["rows = torch.tensor(rows)",
                     "optimizer.zero_grad()",
                     "loss_fn(model(X[rows]), T[rows]).backward()",
                     "optimizer.step()"]),
             "", "with torch.no_grad():",
             "    loss = loss_fn(model(X), T).item()",
             f'print(f"step {s["steps"]}: training loss {{loss:.6g}}")']
    return "\n".join(lines) + "\n"
