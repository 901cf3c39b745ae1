"""One BLAS thread for the many small matrix problems (disclosure control's searches, the drivers' bootstrap).

Multi-threaded BLAS splits a 100 x 150 SVD across cores and spends more time
handing the work out than doing it: on a busy two-core machine such an SVD
took 0.27 s on two threads and 0.016 s on one. The controller is made once,
as finding the BLAS libraries costs 0.3 ms a call.
"""

from __future__ import annotations

from threadpoolctl import ThreadpoolController

_CONTROLLER: list[ThreadpoolController] = []


def one_blas_thread():
    """A context in which BLAS runs on one thread."""
    if not _CONTROLLER:
        _CONTROLLER.append(ThreadpoolController())
    return _CONTROLLER[0].limit(limits=1, user_api="blas")
