"""glassnet's imports run one way: interfaces → course/explain → training → data → engine.

Every ``import`` in the package is read with ``ast``, at module level and inside functions
alike, so a late import cannot hide an arrow that runs upwards. The one accepted exception is
``Network``'s documented delegation of ``fit``, ``predict``, ``save`` and its Jupyter display
to the layers above it (``network.py``, "beyond the four steps").
"""

from __future__ import annotations

import ast
from pathlib import Path

import glassnet

ROOT = Path(glassnet.__file__).parent

# Lower numbers sit lower in the house; a module may import its own layer and those below.
LAYERS = {
    "engine": 0,       # the lecture's formulas: nothing above them
    "data": 1,         # metrics, evaluation, persistence, datasets: data in, scores and files out
    "training": 2,     # fit
    "uses": 3,         # explain, course, interop, sklearn: what is built on training
    "interfaces": 4,   # cli, playground
    "facade": 5,       # glassnet/__init__.py gathers the public names
}
ENGINE = {"activations", "losses", "layers", "network", "optim", "init", "parameter", "checks",
          "notation", "_files", "regularization"}
DATA = {"metrics", "evaluation", "persistence", "model_file", "datasets"}
TRAINING = {"training", "callbacks", "checkpoint", "interrupts"}  # + earlier import paths
USES = {"explain", "course", "interop", "sklearn"}
INTERFACES = {"cli", "playground", "__main__"}
DELEGATIONS = {("glassnet.network", target) for target in
               ("glassnet.training", "glassnet.evaluation", "glassnet.persistence",
                "glassnet.explain.jupyter")}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> int:
    if module == "glassnet":
        return LAYERS["facade"]
    top = module.split(".")[1]
    for names, layer in ((ENGINE, "engine"), (DATA, "data"), (TRAINING, "training"),
                         (USES, "uses"), (INTERFACES, "interfaces")):
        if top in names:
            return LAYERS[layer]
    raise AssertionError(f"{module} belongs to no layer of the house; add it to this test")


def imports_of(source: str, name: str, is_package: bool, modules: set[str]) -> set[str]:
    """The glassnet modules that module ``name`` imports anywhere in ``source``, its text
    (relative imports resolved against its package)."""
    package = name if is_package else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            while target and target not in modules:  # `from x import name`: the module x
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    paths = sorted(ROOT.rglob("*.py"))
    modules = {module_name(p) for p in paths}
    graph = {module_name(p): imports_of(p.read_text(encoding="utf-8"), module_name(p),
                                        p.name == "__init__.py", modules) for p in paths}
    for module, targets in graph.items():  # a package and its own __init__ aside
        targets -= {t for t in targets if module.startswith(t + ".")}
    return graph


def test_no_module_imports_a_layer_above_its_own():
    upward = [(a, b) for a, targets in import_graph().items() for b in targets
              if layer_of(b) > layer_of(a) and (a, b) not in DELEGATIONS]
    assert upward == []


def test_the_engine_imports_nothing_but_the_engine_and_numpy():
    graph = import_graph()
    assert {m.split(".")[1] for m in graph if m.count(".") == 1} >= ENGINE  # each is there
    for module in (f"glassnet.{name}" for name in sorted(ENGINE)):
        above = {t for t in graph[module] if layer_of(t) > 0 and (module, t) not in DELEGATIONS}
        assert above == set(), module


def test_the_import_graph_has_no_cycle():
    graph = import_graph()
    for module, target in DELEGATIONS:
        graph[module].discard(target)
    state: dict[str, str] = {}
    cycles = []

    def visit(module, path):
        state[module] = "open"
        for target in sorted(graph[module]):
            if state.get(target) == "open":
                cycles.append(path[path.index(target):] + [target])
            elif target not in state:
                visit(target, path + [target])
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_the_checker_sees_a_late_import():
    """An import inside a function counts: one planted in layers.py is found and is upward."""
    modules = {module_name(p) for p in ROOT.rglob("*.py")}
    source = (ROOT / "layers.py").read_text(encoding="utf-8")
    assert "glassnet.training" not in imports_of(source, "glassnet.layers", False, modules)
    planted = source + "\n\ndef late():\n    from .training import fit\n"
    found = imports_of(planted, "glassnet.layers", False, modules)
    assert "glassnet.training" in found and layer_of("glassnet.training") > layer_of("glassnet.layers")
