"""Outgrow one machine: train in glassnet, continue with PyTorch's DistributedDataParallel,
come back to glassnet to evaluate and explain.

    torchrun --standalone --nproc_per_node=2 examples/handoff_ddp.py                 # 2 CPUs
    torchrun --standalone --nproc_per_node=gpu examples/handoff_ddp.py --device cuda  # all GPUs
    python examples/handoff_ddp.py                                                    # 1 process

The four stages, on scikit-learn's 8×8 handwritten digits (1797 × 64, bundled, no download):

1. glassnet: a 64-32-10 network (relu, softmax, cross-entropy, float32) learns for a few
   epochs with ``net.fit``. Every process runs this same seeded code, so every process
   starts from the same bits (DDP would also copy rank 0's parameters to the others).
2. ``to_torch(net)`` gives the same function as a ``torch.nn.Sequential``.
3. PyTorch: ``DistributedDataParallel`` on the logits ``model[:-1]`` (shares the weights),
   ``CrossEntropyLoss`` and SGD with momentum. A ``DistributedSampler`` gives each process
   its share of every global batch: with ``world_size`` processes each one takes
   ``global_batch / world_size`` rows, and DDP averages the gradients across processes, so
   one step is the step of one process on the whole global batch. The sampler's order comes
   from ``seed + epoch`` over the whole data set, and process r takes positions r, r + W,
   r + 2W, … of it, so the rows of global batch k are the same for any number of processes:
   the weights after training equal a one-process run's, to float32 rounding.
4. ``from_torch`` brings the trained ``Sequential`` back (rank 0 only): glassnet evaluates it
   (the same test accuracy as PyTorch's, digit for digit) and explains, with
   ``glassnet.explain.step``, its forward pass, loss and output error δ = ŷ − y on the test
   digit it finds hardest.

``--device cuda`` runs the same code on GPUs: one process per GPU with the ``nccl``
backend, or ``gloo`` when there are more processes than GPUs (CUDA tensors work with both).
"""

from __future__ import annotations

import argparse
import copy
import os
from pathlib import Path

import numpy as np
import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

import glassnet as gn
from glassnet.interop import from_torch, to_torch


def parse_args(argv=None) -> argparse.Namespace:
    summary, commands = __doc__.split("\n\n")[:2]
    parser = argparse.ArgumentParser(description=summary, epilog="run it with:\n" + commands,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--device", choices=("cpu", "cuda"), default="cpu",
                        help="where PyTorch trains: cpu (the default; gloo) or cuda (nccl; gloo "
                             "when processes share a GPU)")
    parser.add_argument("--global-batch", type=int, default=64, metavar="N",
                        help="rows per step over all processes; each takes its share (64)")
    parser.add_argument("--glassnet-epochs", type=int, default=3, metavar="N",
                        help="epochs of stage 1, in glassnet with Adam (3)")
    parser.add_argument("--torch-epochs", type=int, default=4, metavar="N",
                        help="epochs of stage 3, under DDP with SGD and momentum (4)")
    parser.add_argument("--lr", type=float, default=0.05, help="stage 3's learning rate (0.05)")
    parser.add_argument("--seed", type=int, default=0, metavar="N",
                        help="the seed of every stage (0)")
    parser.add_argument("--save", metavar="PATH",
                        help="write the network brought back to this glassnet model file")
    parser.add_argument("--explain", metavar="PATH",
                        help="write the explained step's whole derivation as Markdown")
    return parser.parse_args(argv)


def check_args(args: argparse.Namespace, world_size: int) -> None:
    """Stop with one sentence on a setting the run cannot use."""
    for name in ("global_batch", "glassnet_epochs", "torch_epochs"):
        if getattr(args, name) < 1:
            raise SystemExit(f"handoff_ddp expected --{name.replace('_', '-')} of at least 1, "
                             f"got {getattr(args, name)}")
    if args.global_batch % world_size:             # each process takes global / world_size rows
        raise SystemExit(f"handoff_ddp expected --global-batch to be a multiple of the "
                         f"{world_size} processes, got {args.global_batch}")
    if not args.lr > 0:
        raise SystemExit(f"handoff_ddp expected --lr > 0, got {args.lr}")


def start_processes(device: str) -> tuple[int, int, torch.device]:
    """Join the process group torchrun set up, or make a group of one; (rank, size, device)."""
    if device == "cuda" and not torch.cuda.is_available():
        raise SystemExit("handoff_ddp expected a CUDA GPU for --device cuda, but PyTorch finds "
                         "none; leave out --device to train on the CPU")
    launched = "WORLD_SIZE" in os.environ          # torchrun sets RANK, WORLD_SIZE, LOCAL_RANK
    world_size = int(os.environ.get("WORLD_SIZE", 1))
    if device == "cuda":
        gpu = int(os.environ.get("LOCAL_RANK", 0)) % torch.cuda.device_count()
        torch.cuda.set_device(gpu)
        # nccl needs a GPU of its own per process; with gloo, processes may share one
        backend = "nccl" if world_size <= torch.cuda.device_count() else "gloo"
        where = torch.device("cuda", gpu)
    else:
        backend, where = "gloo", torch.device("cpu")
    if launched:
        dist.init_process_group(backend)
    else:                                          # `python handoff_ddp.py`: a group of one
        dist.init_process_group(backend, store=dist.HashStore(), rank=0, world_size=1)
    return dist.get_rank(), dist.get_world_size(), where


def digits(seed: int, global_batch: int):
    """Standardised train and test splits; the training rows are cut to whole global batches,
    so no step is partial and the sampler never pads (both would differ between world sizes)."""
    X, y = gn.datasets.digits()
    X_train, X_test, y_train, y_test = gn.datasets.train_test_split(
        X, y, test_size=0.2, seed=seed, stratify=y)
    keep = len(X_train) - len(X_train) % global_batch
    X_train, y_train = X_train[:keep], y_train[:keep]
    scaler = gn.datasets.Standardizer().fit(X_train)
    f32 = np.float32                               # the network's dtype, and torch's default
    return (scaler.transform(X_train).astype(f32), scaler.transform(X_test).astype(f32),
            y_train, y_test)


def train_in_glassnet(X, y, args) -> gn.Network:
    """Stage 1: a few epochs in glassnet, the same bits in every process (seeded)."""
    net = gn.Network([gn.Dense(64, 32, "relu"), gn.Dense(32, 10, "softmax")],
                     loss="cross_entropy", dtype="float32", seed=args.seed)
    history = net.fit(X, y, epochs=args.glassnet_epochs, batch_size=args.global_batch,
                      lr=0.01, seed=args.seed, progress=False)
    say(f"1. glassnet, {args.glassnet_epochs} epochs with Adam: loss {history['loss'][-1]:.4f}")
    return net


def train_in_torch(model: torch.nn.Sequential, X, y, args, rank: int, world_size: int,
                   device: torch.device) -> torch.nn.Sequential:
    """Stage 3: DDP on the logits. Every process trains its own copy of ``model``; DDP keeps
    the copies equal, and rank 0's is the one brought back."""
    model.to(device)
    logits = DistributedDataParallel(model[:-1])   # model[:-1]: no softmax, the same weights
    data = TensorDataset(torch.from_numpy(X), torch.from_numpy(y))
    sampler = DistributedSampler(data, num_replicas=world_size, rank=rank, shuffle=True,
                                 seed=args.seed)
    loader = DataLoader(data, batch_size=args.global_batch // world_size, sampler=sampler)
    optimizer = torch.optim.SGD(logits.parameters(), lr=args.lr, momentum=0.9)
    loss_fn = torch.nn.CrossEntropyLoss()          # mean over this process's rows
    for epoch in range(args.torch_epochs):
        sampler.set_epoch(epoch)                   # a new order each epoch, the same everywhere
        seen = torch.zeros(2, device=device)       # (Σ loss · rows, Σ rows) of this process
        for x_batch, y_batch in loader:
            x_batch, y_batch = x_batch.to(device), y_batch.to(device)
            optimizer.zero_grad()
            loss = loss_fn(logits(x_batch), y_batch)
            loss.backward()                        # DDP averages the gradients here
            optimizer.step()
            seen += torch.tensor([loss.item() * len(y_batch), len(y_batch)], device=device)
        dist.all_reduce(seen)                      # summed over the processes
    say(f"3. PyTorch DDP, {world_size} process{'es' * (world_size > 1)} on {device.type}, "
        f"{args.torch_epochs} epochs: loss {(seen[0] / seen[1]).item():.4f}")
    return model


def evaluate_and_explain(model: torch.nn.Sequential, net: gn.Network, X_test, y_test,
                         explain_path: str | None = None) -> None:
    """Stage 4: the same test digits right in both libraries, then the hardest one explained."""
    model.eval()
    device = next(model.parameters()).device
    with torch.no_grad():
        torch_labels = model(torch.from_numpy(X_test).to(device)).argmax(dim=1).cpu().numpy()
    scores = net.evaluate(X_test, y_test)          # {"loss": …, "accuracy": …}
    labels = net.predict(X_test)
    say(f"4. from_torch: {net!r}")
    say(f"   glassnet on {len(y_test)} test digits: loss {scores['loss']:.4f}, accuracy "
        f"{scores['accuracy']:.4f} ({(labels == y_test).sum()} right); PyTorch: "
        f"{(torch_labels == y_test).sum()} right, different labels on "
        f"{(torch_labels != labels).sum()}")
    p_true = net.predict_proba(X_test)[np.arange(len(y_test)), y_test]   # ŷ of the true digit
    n = int(p_true.argmin())
    # explain.step takes a real SGD step: on a copy, so that net keeps its trained weights
    trace = gn.explain.step(copy.deepcopy(net), X_test[n], y_test[n], lr=0.1)
    y_hat, delta = trace.y_hat[0], trace.layers[-1].delta[0]       # (10,) each
    say(f"   the hardest test digit, #{n}, a {y_test[n]}, explained (glassnet.explain.step):")
    say("   forward   ŷ: " + ", ".join(f"digit {k} {y_hat[k]:.3f}"
                                        for k in np.argsort(y_hat)[::-1][:3]))
    say(f"   loss      ℓ = −log ŷ[{y_test[n]}] = {trace.loss:.3f}")
    say("   backward  δ = ŷ − y at the output: " + ", ".join(
        f"digit {k} {delta[k]:+.3f}" for k in np.argsort(np.abs(delta))[::-1][:2]))
    if explain_path:
        Path(explain_path).write_text(trace.to_markdown(digits=4), encoding="utf-8")
        say(f"   its whole derivation, in the lecture's notation: {explain_path}")
    else:
        say("   (--explain FILE.md writes its whole derivation, in the lecture's notation)")


def say(line: str) -> None:
    """Print on rank 0 only, so that N processes print one report."""
    if not dist.is_initialized() or dist.get_rank() == 0:
        print(line, flush=True)


def main(argv=None) -> None:
    args = parse_args(argv)
    rank, world_size, device = start_processes(args.device)
    try:
        run(args, rank, world_size, device)
    finally:
        dist.destroy_process_group()


def run(args, rank: int, world_size: int, device: torch.device) -> None:
    check_args(args, world_size)
    X_train, X_test, y_train, y_test = digits(args.seed, args.global_batch)
    net = train_in_glassnet(X_train, y_train, args)
    model = to_torch(net)                          # Sequential(Linear, ReLU, Linear, Softmax)
    say(f"2. to_torch: {len(model)} modules, {sum(p.numel() for p in model.parameters())} "
        f"parameters, {next(model.parameters()).dtype}")
    model = train_in_torch(model, X_train, y_train, args, rank, world_size, device)
    if rank == 0:
        net = from_torch(model)                    # a glassnet Network again (copied to the CPU)
        evaluate_and_explain(model, net, X_test, y_test, args.explain)
        if args.save:
            net.save(args.save)
            say(f"   saved to {args.save}")


if __name__ == "__main__":
    main()
