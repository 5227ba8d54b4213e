"""Per-sample weights in the engine and in ``net.fit``: L = Σ_n w_n l_n / Σw.

Four kinds of test: finite differences of the weighted loss, PyTorch's ``reduction="none"``
loss weighted by hand, ones equal no weights and integer weights equal repeated rows, and
the boundary (one sentence per bad input).
"""

import zlib

import numpy as np
import pytest

import glassnet as gn
from helpers import LOSS_OUTPUTS, random_network, random_targets
from test_gradcheck import relative_error

PAIRS = [(loss, out) for loss, outs in LOSS_OUTPUTS.items() for out in outs]


def weighted_setup(loss, output, seed=0, n=5):
    rng = np.random.default_rng(zlib.crc32(f"weighted-{loss}-{output}-{seed}".encode()))
    net = random_network(rng, loss, output, depth=2)
    x = rng.normal(0, 1, size=(n, net.n_in))
    y = random_targets(rng, net, n)
    w = rng.uniform(0, 3, size=n)
    w[0] = 0.0                                   # a zero weight must drop the row entirely
    return net, x, y, w


def test_golden_weighted_values_worked_by_hand():
    # squared_error, ŷ = [1, 3], y = [0, 0], w = [1, 3]: l = ½r² = [0.5, 4.5],
    # L = (1·0.5 + 3·4.5) / (1 + 3) = 14 / 4 = 3.5;  dL/dŷ = w r / Σw = [1/4, 9/4]
    se = gn.get_loss("squared_error")
    y_hat, y, w = np.array([[1.0], [3.0]]), np.zeros((2, 1)), np.array([1.0, 3.0])
    assert se(y_hat, y, sample_weight=w) == 3.5
    np.testing.assert_allclose(se.weighted_gradient(y_hat, y, w), [[0.25], [2.25]], rtol=1e-15)
    # mse, K = 2: ŷ = [[1, 1], [2, 0]], y = 0, w = [2, 1]: l = Σ_k r² / K = [1, 2],
    # L = (2·1 + 1·2) / 3 = 4/3;  dL/dŷ = 2 w r / (Σw·K) = [[2/3, 2/3], [2/3, 0]]
    mse = gn.get_loss("mse")
    y_hat, y, w = np.array([[1.0, 1.0], [2.0, 0.0]]), np.zeros((2, 2)), np.array([2.0, 1.0])
    assert mse(y_hat, y, sample_weight=w) == pytest.approx(4 / 3, rel=1e-15)
    np.testing.assert_allclose(mse.weighted_gradient(y_hat, y, w),
                               [[2 / 3, 2 / 3], [2 / 3, 0.0]], rtol=1e-15)
    # cross_entropy, ŷ = [[½, ½], [¼, ¾]], labels [0, 1], w = [1, 0]: only row 1 counts,
    # L = −log ½ = log 2;  fused dL/dz = w (ŷ − onehot) / Σw = [[−½, ½], [0, 0]]
    ce = gn.get_loss("cross_entropy")
    y_hat, y, w = np.array([[0.5, 0.5], [0.25, 0.75]]), np.array([0, 1]), np.array([1.0, 0.0])
    assert ce(y_hat, y, sample_weight=w) == pytest.approx(np.log(2), rel=1e-15)
    np.testing.assert_allclose(ce.weighted_fused_gradient(y_hat, y, w),
                               [[-0.5, 0.5], [0.0, 0.0]], rtol=1e-15)


@pytest.mark.parametrize("loss, output", PAIRS)
def test_weighted_backward_matches_finite_differences(loss, output):
    net, x, y, w = weighted_setup(loss, output)
    net.loss(net.forward(x), y, sample_weight=w).backward()
    h = 1e-5
    for p in net.parameters():
        analytic, numeric = p.grad.copy(), np.zeros_like(p.value)
        for index in np.ndindex(p.value.shape):
            original, values = p.value[index], []
            for shift in (h, -h):
                p.value[index] = original + shift
                values.append(float(net.loss(net.forward(x), y, sample_weight=w)))
            p.value[index] = original
            numeric[index] = (values[0] - values[1]) / (2 * h)
        assert relative_error(analytic, numeric) < 1e-6, (p.name, analytic, numeric)


@pytest.mark.parametrize("name", list(LOSS_OUTPUTS))
def test_weighted_gradient_in_y_hat_matches_finite_differences(name):
    """The unfused dL/dŷ too (the cross-entropies reach it only through loss_fn itself)."""
    rng = np.random.default_rng(3)
    loss = gn.get_loss(name)
    n, k = 4, 3
    y_hat = rng.uniform(0.1, 0.9, size=(n, k))
    y_hat /= y_hat.sum(axis=1, keepdims=True) if name == "cross_entropy" else 1
    y = rng.integers(0, k, size=n) if name == "cross_entropy" else rng.uniform(0, 1, (n, k))
    w = np.array([0.0, 1.0, 2.5, 4.0])
    analytic = loss.weighted_gradient(y_hat, y, w)
    numeric, h = np.zeros_like(y_hat), 1e-6
    for index in np.ndindex(y_hat.shape):
        plus, minus = y_hat.copy(), y_hat.copy()
        plus[index] += h
        minus[index] -= h
        difference = loss.weighted_value(plus, y, w) - loss.weighted_value(minus, y, w)
        numeric[index] = difference / (2 * h)
    assert relative_error(analytic, numeric) < 1e-7


@pytest.mark.parametrize("loss, output", PAIRS)
def test_weighted_loss_and_gradients_match_torch(loss, output):
    torch = pytest.importorskip("torch")
    from test_torch_parity import mirror, torch_params

    F = torch.nn.functional
    net, x, y, w = weighted_setup(loss, output, seed=1, n=6)
    model = mirror(net)
    tx, tw = torch.from_numpy(x), torch.from_numpy(w)
    if loss == "cross_entropy":        # per-row losses, then Σ w l / Σ w by hand
        per_row = F.cross_entropy(model[:-1](tx), torch.from_numpy(y), reduction="none")
    else:
        out, ty = model(tx), torch.from_numpy(y.reshape(len(x), -1))
        per_element = {"squared_error": lambda: 0.5 * (out - ty) ** 2,
                       "mse": lambda: (out - ty) ** 2,
                       "binary_cross_entropy": lambda: F.binary_cross_entropy(
                           out, ty, reduction="none")}[loss]()
        per_row = per_element.sum(dim=1) if loss == "squared_error" else per_element.mean(dim=1)
    expected = (tw * per_row).sum() / tw.sum()
    expected.backward()
    value = net.loss(net.forward(x), y, sample_weight=w)
    value.backward()
    assert float(value) == pytest.approx(expected.item(), rel=1e-12)
    for p, (_, grad) in zip(net.parameters(), torch_params(model)):
        np.testing.assert_allclose(p.grad, grad, rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("loss, output", [("squared_error", "tanh"), ("mse", "identity"),
                                          ("binary_cross_entropy", "sigmoid"),
                                          ("cross_entropy", "softmax")])
def test_weights_of_ones_are_the_plain_mean(loss, output):
    net, x, y, _ = weighted_setup(loss, output, seed=2)
    plain = net.loss(net.forward(x), y)
    plain.backward()
    grads = [p.grad.copy() for p in net.parameters()]
    ones = net.loss(net.forward(x), y, sample_weight=np.ones(len(x)))
    ones.backward()
    # the value sums the rows in another order: equal to rounding, not bit for bit
    assert float(ones) == pytest.approx(float(plain), rel=1e-14)
    for p, g in zip(net.parameters(), grads):   # the share N·1/N is 1.0 exactly
        np.testing.assert_array_equal(p.grad, g)


@pytest.mark.parametrize("loss, output", [("squared_error", "sigmoid"), ("mse", "relu"),
                                          ("binary_cross_entropy", "sigmoid"),
                                          ("cross_entropy", "softmax")])
def test_integer_weights_are_repeated_rows_for_a_full_batch_step(loss, output):
    net, x, y, _ = weighted_setup(loss, output, seed=3, n=7)
    counts = np.array([0, 1, 2, 3, 1, 0, 4])
    start = net.state_dict()
    weighted = net.fit(x, y, sample_weight=counts, epochs=1, batch_size=7, optimizer="sgd",
                       lr=0.5, seed=0, progress=False)
    after_weighted = net.state_dict()
    net.load_state_dict(start)
    repeated = net.fit(np.repeat(x, counts, axis=0), np.repeat(y, counts, axis=0), epochs=1,
                       batch_size=int(counts.sum()), optimizer="sgd", lr=0.5, seed=0,
                       progress=False)
    assert weighted["loss"][0] == pytest.approx(repeated["loss"][0], rel=1e-13)
    moved = 0.0
    for name, value in net.state_dict().items():
        np.testing.assert_allclose(after_weighted[name], value, rtol=1e-12, atol=1e-14)
        moved = max(moved, np.abs(value - start[name]).max())
    assert moved > 1e-3                          # the step did something to compare


@pytest.mark.parametrize("weights, message", [
    (np.ones(3), r"Network.loss expected sample_weight of shape \(5,\), one per sample"),
    (np.ones((5, 1)), r"shape \(5,\), one per sample, got \(5, 1\)"),
    (np.r_[1.0, np.nan, 1, 1, 1], "expected finite sample_weight, but it contains NaN"),
    (np.r_[1.0, -0.5, 1, 1, 1], "expected sample_weight >= 0, got a weight of -0.5"),
    (np.zeros(5), "got sample_weight all zero; expected at least one positive weight"),
    # five weights of 1e308 sum past the largest float64 (about 1.8e308): Σ w = inf, and the
    # weighted mean Σ w l / Σ w would be NaN
    (np.full(5, 1e308), r"expected sample_weight with a finite sum, got weights summing to inf "
                        r"\(largest 1e\+308\)"),
])
def test_bad_weights_are_refused_in_one_sentence(weights, message):
    net, x, y, _ = weighted_setup("mse", "identity")
    with pytest.raises(ValueError, match=message):
        net.loss(net.forward(x), y, sample_weight=weights)
    with pytest.raises(ValueError, match=message.replace("Network.loss", "fit")):
        net.fit(x, y, sample_weight=weights, epochs=1, progress=False)
    with pytest.raises(TypeError, match="sample_weight to be numbers, one per sample, got str"):
        net.loss(net.forward(x), y, sample_weight="heavy")


def test_complex_weights_are_refused_as_complex_data_is():
    net, x, y, _ = weighted_setup("mse", "identity")
    weights = np.ones(5) + 1j  # casting to float would keep 1 and drop the imaginary part
    for call in (lambda: net.loss(net.forward(x), y, sample_weight=weights),
                 lambda: net.fit(x, y, sample_weight=weights, epochs=1, progress=False)):
        with pytest.raises(TypeError, match="expected numeric sample_weight, got dtype complex128"):
            call()


# ---- net.fit and evaluate ------------------------------------------------------------------

def regression_data(n=24, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    return X, X @ np.array([1.0, -2.0, 0.5]) + 0.1 * rng.normal(size=n)


def small_net(seed=1):
    return gn.Network([gn.Dense(3, 4, "tanh", seed=seed), gn.Dense(4, 1, "identity",
                                                                     seed=seed + 1)], loss="mse")


def test_zero_weights_skip_rows_and_all_zero_batches_make_no_update():
    """Batches of one row in order: a zero-weight batch makes no step, so fitting with
    weights 0/1 is, bit for bit, fitting on the rows of weight 1 (share N·1/N = 1.0)."""
    X, y = regression_data()
    w = (np.arange(len(X)) % 3 != 0).astype(float)            # every third row weighs 0
    weighted, kept = small_net(), small_net()
    settings = {"epochs": 2, "batch_size": 1, "shuffle": False, "optimizer": "sgd", "lr": 0.05,
                "seed": 0, "progress": False}
    h_weighted = weighted.fit(X, y, sample_weight=w, **settings)
    h_kept = kept.fit(X[w > 0], y[w > 0], **settings)
    assert h_weighted["loss"] == h_kept["loss"]                # zero batches left out of N
    for a, b in zip(weighted.parameters(), kept.parameters()):
        np.testing.assert_array_equal(a.value, b.value)


class Recorder(gn.Callback):
    def __init__(self, function):
        self.function = function

    def on_epoch_end(self, trainer, logs):
        self.function(trainer, logs)


def test_validation_split_weights_follow_their_rows_and_weight_val_loss():
    X, y = regression_data(n=30)
    X[:, 0] = np.arange(30)                                    # row n is recognisable ...
    w = 1.0 + np.arange(30) % 4                                # ... and weighs 1 + n mod 4
    seen = {}

    def record(trainer, logs):
        seen["val"] = trainer.X_val[:, 0].astype(int), trainer.w_val
        seen["train"] = trainer.X[:, 0].astype(int), trainer.w
        seen["expected"] = trainer.net.evaluate(trainer.X_val, trainer.y_val,
                                                sample_weight=trainer.w_val)["loss"]
        seen["unweighted"] = trainer.net.evaluate(trainer.X_val, trainer.y_val)["loss"]

    net = small_net()
    history = net.fit(X, y, sample_weight=w, epochs=1, validation_split=0.3, seed=4,
                      progress=False, callbacks=[Recorder(record)])
    for part in ("val", "train"):
        rows, weights = seen[part]
        np.testing.assert_array_equal(weights, 1.0 + rows % 4)
    assert len(seen["val"][0]) == 9 and len(seen["train"][0]) == 21   # ceil(0.3 · 30) held out
    assert history["val_loss"][0] == pytest.approx(seen["expected"], rel=1e-12)
    assert history["val_loss"][0] != pytest.approx(seen["unweighted"], rel=1e-6)


def test_validation_data_takes_a_third_element_of_weights():
    X, y = regression_data()
    X_val, y_val = regression_data(n=10, seed=5)
    w_val = np.linspace(0.0, 2.0, 10)
    net = small_net()
    history = net.fit(X, y, epochs=1, validation_data=(X_val, y_val, w_val), seed=0,
                      progress=False)
    assert history["val_loss"][0] == pytest.approx(
        net.evaluate(X_val, y_val, sample_weight=w_val)["loss"], rel=1e-12)
    # by hand: the mse of each row, weighted
    per_row = (net.predict(X_val) - y_val) ** 2
    assert history["val_loss"][0] == pytest.approx(np.sum(w_val * per_row) / w_val.sum())
    with pytest.raises(ValueError, match="fit's validation_data expected sample_weight of shape"):
        net.fit(X, y, epochs=1, validation_data=(X_val, y_val, w_val[:3]), progress=False)


def test_resume_with_weights_is_bit_identical(tmp_path):
    X, y = regression_data(n=40)
    w = np.random.default_rng(2).integers(0, 3, size=40).astype(float)
    settings = {"sample_weight": w, "epochs": 4, "batch_size": 3, "seed": 9, "progress": False}
    whole = small_net()
    h_whole = whole.fit(X, y, **settings)

    class StopMidEpoch(gn.Callback):
        def on_batch_end(self, trainer, batch, loss):
            if trainer.epoch == 2 and batch == 5 and trainer.history.stopped_reason is None:
                trainer.save_checkpoint()
                trainer.stop("callback")

    checkpoint = tmp_path / "run.ckpt"
    small_net().fit(X, y, checkpoint=checkpoint, callbacks=[StopMidEpoch()], **settings)
    resumed = small_net()
    h_resumed = resumed.fit(X, y, checkpoint=checkpoint, resume=checkpoint,
                            callbacks=[StopMidEpoch()], **settings)
    assert h_resumed["loss"] == h_whole["loss"]
    for a, b in zip(resumed.parameters(), whole.parameters()):
        np.testing.assert_array_equal(a.value, b.value)
