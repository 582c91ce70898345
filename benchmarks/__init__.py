"""sdkgen's benchmarks against its peers (issue #7): ``nox -s bench`` or ``python -m benchmarks``.

Everything runs side by side in one process tree on one machine and is reported as ratios in
``benchmarks/RESULTS.md``.  Peers live in their own virtual environments (``envs``), spec
documents come from npm (``specs``), and code that must run inside another environment is a
standalone script in ``workers/``.
"""
