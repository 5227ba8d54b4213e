"""The quality bar the README states: real data sets reach their accuracies with fixed seeds.

Each recipe is a plain one (Adam, standardised inputs, a fixed stratified 25 % split from
seed 0); the comments give the spread measured over other split and network seeds, so the
bar is not passed by one lucky draw.
"""

import pytest

import glassnet as gn
from glassnet import datasets


def split_and_scale(data, seed=0):
    X_train, X_test, y_train, y_test = datasets.train_test_split(
        data.X, data.y, test_size=0.25, seed=seed, stratify=data.y)
    scaler = datasets.Standardizer().fit(X_train)  # training statistics only
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


def test_digits_64_64_10_reaches_97_percent():
    X_train, X_test, y_train, y_test = split_and_scale(datasets.digits())
    net = gn.Network([gn.Dense(64, 64, "relu"), gn.Dense(64, 10, "softmax")],
                     loss="cross_entropy", seed=0)
    net.fit(X_train, y_train, epochs=40, batch_size=32, lr=3e-3, seed=0, progress=False)
    # measured over split seeds 0-3 × network seeds 0-3: 97.3 % to 98.7 %, mean 98.0 %
    assert net.evaluate(X_test, y_test)["accuracy"] >= 0.97


def test_breast_cancer_reaches_96_percent():
    X_train, X_test, y_train, y_test = split_and_scale(datasets.breast_cancer())
    net = gn.Network([gn.Dense(30, 16, "relu"), gn.Dense(16, 1, "sigmoid")],
                     loss="binary_cross_entropy", seed=0)
    net.fit(X_train, y_train, epochs=50, batch_size=32, seed=0, progress=False,
            optimizer=lambda params: gn.Adam(params, lr=1e-3, weight_decay=1e-2))
    # 143 test tumours, so 96 % allows 5 errors. Split seed 0: 98.6-99.3 % over network
    # seeds 0-3; over split seeds 0-3 the range is 95.1-99.3 % (mean 97.0 %): some
    # splits are harder, and this bar holds for this fixed split, not for every split.
    assert net.evaluate(X_test, y_test)["accuracy"] >= 0.96


def test_xor_is_learned_exactly():
    X, y = datasets.xor()
    net = gn.Network([gn.Dense(2, 4, "tanh"), gn.Dense(4, 1, "sigmoid")],
                     loss="binary_cross_entropy", seed=0)
    history = net.fit(X, y, epochs=2000, batch_size=4, lr=0.05, seed=0, target_loss=0.01,
                      progress=False)
    assert history.stopped_reason == "target_loss"
    assert net.predict(X).tolist() == [0, 1, 1, 0]
    assert net.evaluate(X, y)["accuracy"] == 1.0


@pytest.mark.slow
def test_mnist1d_mlp_reaches_65_percent():
    data = datasets.mnist1d()
    net = gn.Network([gn.Dense(40, 100, "relu"), gn.Dense(100, 100, "relu"),
                      gn.Dense(100, 10, "softmax")], loss="cross_entropy", seed=0)
    # the MNIST-1D repository trains with Adam, lr 1e-2 and batches of 100 (there with 256
    # hidden units for 8000 steps; the paper reports 68 % for its MLP). Here 2 × 100 ReLU
    # units and 40 epochs = 1600 steps, measured at 67.6 % (66-68 % over epochs 30-40)
    net.fit(data.X, data.y, epochs=40, batch_size=100, lr=1e-2, seed=0, progress=False)
    assert net.evaluate(data.X_test, data.y_test)["accuracy"] >= 0.65
