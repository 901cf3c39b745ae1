"""cxsite.blas: one BLAS thread inside the contexts, the original count after the last one, in any order."""

from __future__ import annotations


import numpy  # noqa: F401 (loads the BLAS library threadpoolctl steers)
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from cxsite import blas


def _blas_threads() -> set[int]:
    return {lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"}


@pytest.fixture
def two_threads():
    if not _blas_threads():
        pytest.skip("no BLAS library that threadpoolctl can steer")
    with threadpool_limits(limits=2, user_api="blas"):
        if _blas_threads() != {2}:
            pytest.skip("this BLAS cannot run on two threads here")
        yield


def test_contexts_that_overlap_restore_the_count_once_the_last_is_out(two_threads):
    """A enters, B enters, A leaves (B is still inside: one thread), B leaves: two threads again.

    Plain threadpoolctl limits restore in the wrong order here and leave BLAS
    on one thread. (Entered and left by hand, in one thread: OpenBLAS ignores
    a count set from another thread once the main thread has set one.)
    """
    a, b = blas.one_blas_thread(), blas.one_blas_thread()
    a.__enter__()
    b.__enter__()
    assert _blas_threads() == {1}
    a.__exit__(None, None, None)
    assert _blas_threads() == {1}
    b.__exit__(None, None, None)
    assert _blas_threads() == {2}


def test_an_error_inside_still_restores_the_count(two_threads):
    with pytest.raises(ZeroDivisionError):
        with blas.one_blas_thread():
            assert _blas_threads() == {1}
            1 / 0
    assert _blas_threads() == {2}


def _bootstrap(resamples: int = 400):
    import numpy as np

    from cxsite import drivers

    x = np.random.default_rng(5).normal(size=(80, 3))
    return drivers.bootstrap_shares(x, x @ [1.0, 0.5, 0.2] + x[::-1, 0], resamples=resamples).shape


def _drivers_in_a_child(out) -> None:
    out.put(_bootstrap())


def test_a_forked_worker_runs_its_own_bootstrap_threads():
    """--jobs forks workers after the parent has scored: they inherit the bootstrap's pool, not its threads."""
    import multiprocessing
    import queue

    assert _bootstrap() == (400, 3)  # the parent's pool exists now (resamples split between threads)
    fork = multiprocessing.get_context("fork")
    out = fork.Queue()
    child = fork.Process(target=_drivers_in_a_child, args=(out,))
    child.start()
    try:
        assert out.get(timeout=60) == (400, 3)
    except queue.Empty:
        pytest.fail("the forked worker waited for a thread it does not have")
    finally:
        child.kill()
        child.join()
