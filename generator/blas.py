"""One BLAS thread for the many small matrix problems (disclosure control's searches, the drivers' bootstrap).

Multi-threaded BLAS splits a 100 x 150 SVD across cores and spends more time
handing the work out than doing it: on a busy two-core machine such an SVD
took 0.27 s on two threads and 0.016 s on one. The controller is made once,
as finding the BLAS libraries costs 0.3 ms a call.

BLAS's thread count is one setting for the whole process, and these
contexts nest (a search inside a decision inside a scoring): the limit is
therefore counted, set by the first context to enter and restored by the
last to leave. A plain ``threadpoolctl`` limit made from the one controller
restores the count the controller saw when it was made, not the one in
force when the context began.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from threadpoolctl import ThreadpoolController

_CONTROLLER: list[ThreadpoolController] = []
_LOCK = threading.Lock()
_HELD = {"depth": 0, "limit": None}  # contexts inside, and threadpoolctl's limit while any is


@contextlib.contextmanager
def one_blas_thread() -> Iterator[None]:
    """A context in which BLAS runs on one thread; contexts may overlap, in any threads."""
    with _LOCK:
        if not _CONTROLLER:
            # The controller steers the libraries loaded when it is made: SciPy's
            # own OpenBLAS is loaded first, so that its products are held too.
            import scipy.linalg  # noqa: F401

            _CONTROLLER.append(ThreadpoolController())
        if _HELD["depth"] == 0:
            _HELD["limit"] = _CONTROLLER[0].limit(limits=1, user_api="blas")
        _HELD["depth"] += 1
    try:
        yield
    finally:
        with _LOCK:
            _HELD["depth"] -= 1
            if _HELD["depth"] == 0:
                limit, _HELD["limit"] = _HELD["limit"], None
                limit.restore_original_limits()
