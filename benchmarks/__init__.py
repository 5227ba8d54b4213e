"""glassnet's benchmarks: the same training work timed in glassnet, PyTorch, scikit-learn
and as bare matrix multiplies (the GEMM-only floor), side by side in one run.

Run ``make bench`` or ``python -m benchmarks`` (``--help`` for options). Every library runs
in its own subprocess, several processes per figure, because PyTorch's OpenMP threads and
OpenBLAS's pthreads slow each other down when they share a process. Only ratios measured in
the same run mean anything on a shared machine; see ``docs/performance.md``.

Layout: ``cases`` (what is measured), ``steps`` and ``fits`` (the code timed in each
worker), ``worker`` (the subprocess entry point), ``runner`` (spawns workers and
aggregates), ``report`` (the Markdown table and the targets), ``machine`` (CPU and BLAS).
"""
