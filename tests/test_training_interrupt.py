"""Ctrl-C / SIGTERM mid-epoch, then resume: the same bytes as a run never interrupted."""

import signal
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import glassnet as gn

CHILD = textwrap.dedent("""
    import sys
    import glassnet as gn

    mode, checkpoint, out = sys.argv[1:4]
    X, y = gn.datasets.moons(300, noise=0.2, seed=0)
    net = gn.Network([gn.Dense(2, 16, "tanh"), gn.Dense(16, 2, "softmax")],
                     loss="cross_entropy", seed=1)

    class Handshake(gn.Callback):
        # mid-epoch 3, tell the parent we are training, and wait until it has signalled us
        def on_batch_end(self, trainer, batch, loss):
            if mode == "interrupt" and trainer.epoch == 2 and batch == 5:
                print("ready", flush=True)
                sys.stdin.readline()

    history = net.fit(X, y, epochs=5, batch_size=16, seed=3, validation_split=0.25,
                      metrics=["accuracy"], early_stopping=gn.EarlyStopping(patience=50),
                      checkpoint=checkpoint, resume=checkpoint if mode == "resume" else None,
                      callbacks=[Handshake()], progress=False)
    print(history.stopped_reason, history.epochs, flush=True)
    net.save(out)
""")


def run_child(tmp_path, mode, checkpoint, out, **popen):
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    return subprocess.Popen([sys.executable, str(script), mode, str(checkpoint), str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_signal_mid_epoch_then_resume_gives_the_bytes_of_an_uninterrupted_run(tmp_path, signum):
    full = run_child(tmp_path, "full", tmp_path / "full.ckpt", tmp_path / "full.safetensors")
    child = run_child(tmp_path, "interrupt", tmp_path / "run.ckpt", tmp_path / "run.safetensors",
                      stdin=subprocess.PIPE)
    assert child.stdout.readline() == "ready\n"
    child.send_signal(signum)
    child.stdin.write("\n")
    child.stdin.flush()
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    assert out == "interrupted 2\n"  # stopped in epoch 3, after batch 5: two epochs complete
    name = signal.Signals(signum).name
    assert f"stopped by {name} at epoch 3, batch 5 of 15" in err
    assert f"resume='{tmp_path / 'run.ckpt'}'" in err

    resumed = run_child(tmp_path, "resume", tmp_path / "run.ckpt", tmp_path / "run.safetensors")
    out, err = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, err
    assert out == "epochs 5\n"
    full_out, full_err = full.communicate(timeout=120)
    assert full.returncode == 0 and full_out == "epochs 5\n", full_err
    assert (tmp_path / "run.safetensors").read_bytes() == \
        (tmp_path / "full.safetensors").read_bytes()
    assert (tmp_path / "run.ckpt").read_bytes() == (tmp_path / "full.ckpt").read_bytes()


def test_handlers_are_restored_after_fit():
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    X, y = gn.datasets.xor()
    gn.Network([gn.Dense(2, 1, "sigmoid")], loss="bce").fit(X, y, epochs=1, batch_size=4,
                                                            progress=False)
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before


def test_resume_in_process_matches_and_rejects_different_settings(tmp_path):
    X, y = gn.datasets.moons(64, seed=1)

    def make():
        return gn.Network([gn.Dense(2, 6, "relu"), gn.Dense(6, 1, "sigmoid")], loss="bce",
                          seed=2)

    class Interrupt(gn.Callback):
        def __init__(self, active):
            self.active = active

        def on_batch_end(self, trainer, batch, loss):
            if self.active and trainer.epoch == 1 and batch == 3:
                signal.raise_signal(signal.SIGINT)  # as Ctrl-C in epoch 2, after batch 3

    options = {"batch_size": 8, "seed": 0, "progress": False, "optimizer": "sgd", "lr": 0.3}
    stopped = make().fit(X, y, epochs=4, callbacks=[Interrupt(True)], **options,
                         checkpoint=tmp_path / "whole.ckpt")
    assert (stopped.stopped_reason, stopped.epochs) == ("interrupted", 1)
    uninterrupted = make()
    uninterrupted.fit(X, y, epochs=4, callbacks=[Interrupt(False)], **options)

    resumed = make()
    history = resumed.fit(X, y, epochs=4, callbacks=[Interrupt(False)], **options,
                          resume=tmp_path / "whole.ckpt")
    assert history.epochs == 4 and history.stopped_reason == "epochs"
    for p, q in zip(resumed.parameters(), uninterrupted.parameters()):
        assert p.value.tobytes() == q.value.tobytes()

    with pytest.raises(ValueError, match="batch_size=8.*batch_size=4"):
        make().fit(X, y, epochs=4, **{**options, "batch_size": 4}, callbacks=[Interrupt(False)],
                   resume=tmp_path / "whole.ckpt")
    with pytest.raises(ValueError, match="seed=0, but fit got seed=1"):
        make().fit(X, y, epochs=4, **{**options, "seed": 1}, callbacks=[Interrupt(False)],
                   resume=tmp_path / "whole.ckpt")
    with pytest.raises(ValueError, match="'lr': 0.3.*'lr': 0.1"):
        make().fit(X, y, epochs=4, **{**options, "lr": 0.1}, callbacks=[Interrupt(False)],
                   resume=tmp_path / "whole.ckpt")
    bigger = gn.Network([gn.Dense(2, 7, "relu"), gn.Dense(7, 1, "sigmoid")], loss="bce")
    with pytest.raises(gn.ModelFileError, match="different network"):
        bigger.fit(X, y, epochs=4, **options, callbacks=[Interrupt(False)],
                   resume=tmp_path / "whole.ckpt")
    assert np.isfinite(resumed.predict_proba(X)).all()


def test_a_checkpoint_holds_the_network_and_a_damaged_one_cannot_resume(tmp_path):
    X, y = gn.datasets.xor()
    net = gn.Network([gn.Dense(2, 3, "tanh"), gn.Dense(3, 1, "sigmoid")], loss="bce", seed=0)
    net.fit(X, y, epochs=2, batch_size=2, seed=0, progress=False, checkpoint=tmp_path / "c")
    loaded = gn.load(tmp_path / "c")
    assert loaded.layers[1].W.value.tobytes() == net.layers[1].W.value.tobytes()
    data = bytearray((tmp_path / "c").read_bytes())
    data[-1] ^= 0xFF
    (tmp_path / "c").write_bytes(bytes(data))
    with pytest.raises(gn.ModelFileError, match="checksum"):
        net.fit(X, y, epochs=3, batch_size=2, progress=False, resume=tmp_path / "c")
    net.save(tmp_path / "model")
    with pytest.raises(gn.ModelFileError, match=r"holds a 'model', expected one of"):
        net.fit(X, y, epochs=3, batch_size=2, progress=False, resume=tmp_path / "model")


def test_diverging_right_after_a_resume_keeps_the_checkpoints_weights(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))

    def make(seed):
        return gn.Network([gn.Dense(3, 4, "tanh"), gn.Dense(4, 1)], loss="mse", seed=seed)

    make(0).fit(X, X @ [1.0, 2.0, 3.0], epochs=1, batch_size=8, seed=1, progress=False,
                checkpoint=tmp_path / "c")
    saved = gn.load(tmp_path / "c")
    fresh = make(5)  # other initial weights, which the checkpoint replaces
    with pytest.raises(gn.TrainingDiverged, match="epoch 2, batch 1"):
        fresh.fit(X, np.full(40, 1e200), epochs=2, batch_size=8, seed=1, progress=False,
                  resume=tmp_path / "c")   # targets so large the first loss is infinite
    for p, q in zip(fresh.parameters(), saved.parameters()):
        assert p.value.tobytes() == q.value.tobytes()


def test_a_second_ctrl_c_interrupts_at_once(tmp_path):
    class CtrlCTwice(gn.Callback):
        def on_batch_end(self, trainer, batch, loss):
            signal.raise_signal(signal.SIGINT)  # deferred: fit waits for the batch to end
            signal.raise_signal(signal.SIGINT)  # not deferred: Python's KeyboardInterrupt

    X, y = gn.datasets.xor()
    net = gn.Network([gn.Dense(2, 1, "sigmoid")], loss="bce")
    before = signal.getsignal(signal.SIGINT)
    with pytest.raises(KeyboardInterrupt):
        net.fit(X, y, epochs=5, batch_size=1, callbacks=[CtrlCTwice()], progress=False,
                checkpoint=tmp_path / "c")
    assert signal.getsignal(signal.SIGINT) is before
    assert not (tmp_path / "c").exists()  # stopped before any epoch could be saved
