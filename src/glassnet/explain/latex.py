"""A LaTeX document of the derivation of a traced step (compiles with pdflatex, amsmath only).

Each line is an ``align*`` row broken after every relation, so long sums wrap the way the
slides break ``ŷ = σ(…) \\\\ = σ(1.1059) ≈ 0.75136``.
"""

from __future__ import annotations

from .derivation import derive

__all__ = ["render_latex", "escape_text"]

_PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[margin=2cm]{geometry}
\usepackage{amsmath,amssymb}
\allowdisplaybreaks
\begin{document}
"""

_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
            "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\^{}",
            "→": r"$\to$", "←": r"$\leftarrow$", "θ": r"$\theta$", "α": r"$\alpha$",
            "∂": r"$\partial$", "ŷ": r"$\hat{y}$", "−": "-", "·": r"$\cdot$", "Δ": r"$\Delta$",
            "…": r"\ldots{}", "𝓛": r"$\mathcal{L}$", "σ": r"$\sigma$", "ᵀ": r"$^{T}$",
            "δ": r"$\delta$", "φ": r"$\varphi$", "ℓ": r"$\ell$", "≈": r"$\approx$"}


def escape_text(text: str) -> str:
    """Plain text (with the few Unicode symbols the notes use) made safe for LaTeX.

    Any other non-ASCII character becomes ``?``: pdflatex stops at a character it cannot set.
    """
    return "".join(_SPECIAL.get(ch, ch if ch.isascii() else "?") for ch in text)


def _row(eq) -> str:
    if not eq.parts:
        return f"  & {eq.lhs}"
    rows = [f"  {eq.lhs} &{eq.parts[0][0]} {eq.parts[0][1]}"]
    rows += [f"  &{rel} {expr}" for rel, expr in eq.parts[1:]]
    return " \\\\\n".join(rows)


def render_latex(trace, digits: int = 5, sample: int = 0, standalone: bool = True) -> str:
    """The derivation as LaTeX; a full document when ``standalone``, else the body only."""
    body = ["\\section*{One training step, number by number}",
            escape_text(f"{trace.network} on {trace.n_samples} sample(s), loss "
                        f"{trace.loss_name}, optimizer {trace.optimizer_label}."), ""]
    for section in derive(trace, digits=digits, sample=sample):
        body += [f"\\subsection*{{{escape_text(section.title)}}}"]
        body += [escape_text(note) + "\n" for note in section.notes]
        if section.lines:
            rows = " \\\\[4pt]\n".join(_row(eq) for eq in section.lines)
            body += ["\\begin{align*}", rows, "\\end{align*}"]
    text = "\n".join(body) + "\n"
    return _PREAMBLE + text + "\\end{document}\n" if standalone else text
