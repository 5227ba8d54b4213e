"""``make demo``: the lecture's worked example, one training step, every number shown.

Run as ``python -m glassnet.demo``.
"""

from __future__ import annotations

import numpy as np

import glassnet as gn


def lecture_network() -> gn.Network:
    """The slides' 2-2-1 sigmoid network with the weights that give their printed numbers."""
    net = gn.Network([gn.Dense(2, 2, "sigmoid"), gn.Dense(2, 1, "sigmoid")], loss="squared_error")
    hidden, output = net.layers
    hidden.W.value = np.array([[0.15, 0.25], [0.20, 0.30]])
    hidden.b.value = np.array([0.35, 0.35])
    output.W.value = np.array([[0.40], [0.45]])
    output.b.value = np.array([0.60])
    return net


def worked_example() -> None:
    net = lecture_network()
    hidden, output = net.layers
    x, y, lr = np.array([[0.05, 0.10]]), np.array([[0.01]]), 0.5
    print(f"{net}\nx = {x[0].tolist()}, y = {y[0, 0]}, α = {lr}\n")

    y_hat = net.forward(x)
    print("1. Forward pass")
    for i in range(2):
        print(f"   z{i + 1}[1] = {hidden.z[0, i]:.4f}   a{i + 1}[1] = σ(z) = {hidden.a[0, i]:.5f}")
    print(f"   z[2] = {output.z[0, 0]:.5f}   ŷ = σ(z) = {y_hat[0, 0]:.8f}\n")

    loss = net.loss(y_hat, y)
    print(f"2. Loss  L = ½(y − ŷ)² = {loss:.8f}\n")

    loss.backward()
    print("3. Backward pass")
    print(f"   δ_out = (ŷ − y)·ŷ(1 − ŷ) = {output.dz[0, 0]:.6f}")
    print(f"   δ1 = {hidden.dz[0, 0]:.6f}   δ2 = {hidden.dz[0, 1]:.6f}")
    names, grad = net.gradient_vector()
    for name, value in zip(names, grad):
        print(f"   ∂L/∂{name:<7} = {value: .8f}")

    old = np.concatenate([p.value.ravel() for p in net.parameters()])
    gn.SGD(net.parameters(), lr=lr).step()
    new = np.concatenate([p.value.ravel() for p in net.parameters()])
    print(f"\n4. Update  θ ← θ − α∇θL  (α = {lr})")
    for name, before, gradient, after in zip(names, old, grad, new):
        print(f"   {name:<7} {before:.5f} − {lr} · {gradient:.8f} = {after:.8f}")


def train_digits(epochs: int = 40, seed: int = 0) -> float:
    """The same four steps on real data: a 64-64-10 network on 8×8 handwritten digits.

    Prints a progress bar (on a terminal) and the test accuracy, which it returns.
    """
    data = gn.datasets.digits()
    X_train, X_test, y_train, y_test = gn.datasets.train_test_split(
        data.X, data.y, test_size=0.25, seed=seed, stratify=data.y)
    scaler = gn.datasets.Standardizer().fit(X_train)  # statistics of the training split only
    net = gn.Network([gn.Dense(64, 64, "relu"), gn.Dense(64, 10, "softmax")],
                     loss="cross_entropy", seed=seed)
    print(f"\nTraining {net} on {len(X_train)} handwritten digits "
          f"({epochs} epochs, Adam, batches of 32)")
    net.fit(scaler.transform(X_train), y_train, epochs=epochs, batch_size=32, lr=3e-3,
            seed=seed, metrics=["accuracy"])
    accuracy = net.evaluate(scaler.transform(X_test), y_test)["accuracy"]
    print(f"Test accuracy on {len(X_test)} unseen digits: {accuracy:.1%}")
    return accuracy


def main() -> None:
    # The course's worked example: the engine's step rendered by explain, the full gradient
    # vector and update, and the slides' errata (worked_example() above is the bare engine).
    print(gn.course.worked_example().to_text())
    train_digits()


if __name__ == "__main__":
    main()
