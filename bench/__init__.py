"""The performance benchmark: ``make bench`` (``python -m bench.run``).

Seeded synthetic portfolios (:mod:`bench.portfolio`), a bare NumPy scorer to
compare against (:mod:`bench.reference`), and the measurements
(:mod:`bench.run`). Not part of ``make test``: it takes minutes, and its
figures are ratios measured side by side in one run, never asserted.
"""
