"""Shared formatting for the course: numbers, tables, LaTeX documents and PDFs."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from .._files import atomic_write

__all__ = ["num", "md_table", "text_table", "latex_table", "latex_document",
           "tex_engine", "latex_to_pdf", "strip_math"]


def num(value: float, digits: int = 8) -> str:
    """``value`` to ``digits`` significant digits, without an exponent for ordinary sizes."""
    if value == 0:
        return "0"
    text = f"{value:.{digits}g}"
    if "e" in text:
        exponent = int(text.split("e")[1])
        if -7 <= exponent < 0:
            text = f"{value:.{digits - 1 - exponent}f}".rstrip("0")
    return text


def strip_math(text: str) -> str:
    """Markdown/LaTeX note → plain text: drop the ``$`` delimiters and a few commands."""
    for tex, plain in ((r"\tfrac{1}{2}", "½"), (r"\hat{y}", "ŷ"), (r"\theta", "θ"),
                       (r"\nabla", "∇"), (r"\in ", "∈ "), (r"\alpha", "α"), (r"\delta", "δ"), (r"\sigma", "σ"),
                       (r"\cdot", "·"), (r"\times", "×"), (r"\approx", "≈"), (r"\neq", "≠"),
                       (r"\to", "→"), (r"\leftarrow", "←"), (r"\partial ", "∂"), (r"\mathcal{L}", "L"),
                       (r"\mathbb{R}", "R"), (r"\ ", " ")):
        text = text.replace(tex, plain)
    return text.replace("$", "").replace("{", "").replace("}", "")


def md_table(header: list[str], rows: list[list[str]]) -> str:
    cells = [[str(c).replace("|", r"\|").replace("\n", " ") for c in row] for row in rows]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in cells]
    return "\n".join(lines)


def text_table(header: list[str], rows: list[list[str]], width: int = 60) -> str:
    """A fixed-width table; cells longer than ``width`` are cut with an ellipsis."""
    cut = [[c if len(c) <= width else c[: width - 1] + "…" for c in map(str, row)]
           for row in [header, *rows]]
    widths = [max(len(row[k]) for row in cut) for k in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cut]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


_LATEX_SPECIAL = {"&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_", "→": r"$\to$",
                  "×": r"$\times$", "·": r"$\cdot$", "−": "-", "–": "--", "—": "---",
                  "“": "``", "”": "''", "δ": r"$\delta$", "ŷ": r"$\hat{y}$", "α": r"$\alpha$",
                  "σ": r"$\sigma$", "θ": r"$\theta$", "½": r"$\frac{1}{2}$", "₁": r"$_1$",
                  "₂": r"$_2$", "≈": r"$\approx$", "…": r"\ldots{}", "∂": r"$\partial$"}


def latex_text(text: str) -> str:
    """Escape prose for LaTeX, leaving ``$…$`` math untouched."""
    parts = text.split("$")
    for k in range(0, len(parts), 2):
        for ch, rep in _LATEX_SPECIAL.items():
            parts[k] = parts[k].replace(ch, rep)
    return "$".join(parts)


def latex_table(header: list[str], rows: list[list[str]], spec: str | None = None) -> str:
    spec = spec or "l" * len(header)
    lines = [rf"\begin{{longtable}}{{{spec}}}", r"\hline",
             " & ".join(latex_text(h) for h in header) + r" \\ \hline"]
    lines += [" & ".join(latex_text(str(c)) for c in row) + r" \\" for row in rows]
    lines += [r"\hline", r"\end{longtable}"]
    return "\n".join(lines)


def latex_document(title: str, body: str) -> str:
    """A complete pdflatex-ready document (amsmath, longtable)."""
    return "\n".join([
        r"\documentclass[11pt]{article}",
        r"\usepackage[margin=2cm]{geometry}",
        r"\usepackage{amsmath,amssymb,longtable}",
        r"\begin{document}",
        rf"\section*{{{latex_text(title)}}}",
        body,
        r"\end{document}",
        "",
    ])


def tex_engine() -> str | None:
    """The first of pdflatex, lualatex, xelatex on PATH, or None."""
    for name in ("pdflatex", "lualatex", "xelatex"):
        if shutil.which(name):
            return name
    return None


def latex_to_pdf(source: str, path, timeout: float = 120) -> Path:
    """Compile a LaTeX document to ``path`` with the local TeX engine."""
    engine = tex_engine()
    if engine is None:
        raise RuntimeError("no TeX engine (pdflatex, lualatex or xelatex) found on PATH; "
                           "use to_latex() and compile it elsewhere")
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "sheet.tex").write_text(source, encoding="utf-8")
        for _ in range(2):  # longtable settles its column widths on the second run
            done = subprocess.run([engine, "-interaction=nonstopmode", "-halt-on-error",
                                   "sheet.tex"], cwd=tmp, capture_output=True, timeout=timeout,
                                  stdin=subprocess.DEVNULL)
        pdf = Path(tmp) / "sheet.pdf"
        if done.returncode != 0 or not pdf.exists():
            log = done.stdout.decode("utf-8", "replace")[-1500:]
            raise RuntimeError(f"{engine} failed to compile the sheet:\n{log}")
        return atomic_write(path, pdf.read_bytes(), parents=True)
