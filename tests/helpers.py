"""Random networks and data for the engine tests, all from explicit seeds."""


import glassnet as gn

HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu", "identity", "softmax"]
# Each loss with the output activations it is valid for.
LOSS_OUTPUTS = {
    "squared_error": ["sigmoid", "tanh", "relu", "leaky_relu", "identity", "softmax"],
    "mse": ["sigmoid", "tanh", "relu", "leaky_relu", "identity", "softmax"],
    "binary_cross_entropy": ["sigmoid"],
    "cross_entropy": ["softmax"],
}


def random_network(rng, loss, output, depth=None, hidden=None, dtype="float64"):
    depth = depth or int(rng.integers(1, 5))
    widths = [int(w) for w in rng.integers(1, 9, size=depth + 1)]
    if loss == "cross_entropy":
        widths[-1] = max(widths[-1], 2)
    layers = []
    for i in range(depth):
        act = output if i == depth - 1 else (hidden or HIDDEN[int(rng.integers(len(HIDDEN)))])
        layers.append(gn.Dense(widths[i], widths[i + 1], activation=act, init="xavier_normal",
                               seed=rng))
    for layer in layers:  # non-zero biases, so that bias gradients are exercised
        layer.b.value = rng.normal(0, 0.5, size=layer.n_out)
    return gn.Network(layers, loss=loss, dtype=dtype)


def random_targets(rng, net, n):
    k = net.n_out
    name = net.loss_fn.name
    if name == "cross_entropy":
        return rng.integers(0, k, size=n)
    if name == "binary_cross_entropy":
        return rng.uniform(0, 1, size=(n, k))
    return rng.normal(0, 1, size=(n, k))
