"""Key drivers: relative weights of the dimensions on an outcome, with bootstrap intervals.

Johnson's (2000) relative weights split the R² of a linear regression of the
outcome on correlated predictors into one non-negative part per predictor.
With :math:`R_{xx} = V \\operatorname{diag}(\\lambda) V^\\top` the
predictors' correlation matrix and :math:`r_{xy}` their correlations with
the outcome:

.. math::

    \\Lambda = V \\operatorname{diag}(\\sqrt{\\lambda}) V^\\top, \\quad
    \\beta = \\Lambda^{-1} r_{xy}, \\quad
    \\varepsilon_j = \\sum_k \\Lambda_{jk}^2 \\beta_k^2, \\quad
    R^2 = \\sum_j \\varepsilon_j = \\lVert\\beta\\rVert^2

(:math:`\\Lambda` holds the correlations of the predictors with their
closest orthonormal counterparts, :math:`\\beta` the regression of the
outcome on those). ``share`` is :math:`\\varepsilon_j / R^2`.

The percentile bootstrap resamples respondents with replacement. A resample
is its *counts* (how often each respondent is drawn), so its correlation
matrix comes from count-weighted sums and cross-products: one matrix product
for a block of resamples over all respondents, then a batched eigen-
decomposition of small matrices. That makes 1,000 resamples of 100,000
respondents well under a second's work. The resamples come in fixed blocks,
each drawn from its own child of the seed (:class:`numpy.random.SeedSequence`)
and worked through whole by one thread (one per core, up to four): the
draws, the product and the eigen-decompositions all run in parallel, and a
block's arithmetic does not depend on which thread, or how many, did it. The
seed comes from the outcome's id, so a build is reproducible, and the same
on any number of cores.
"""

from __future__ import annotations

import os
import threading
import zlib
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from .blas import one_blas_thread

from .msgids import N_

RESAMPLES = 1000
MIN_N = 50            # withheld below max(MIN_N, PER_PREDICTOR x predictors) respondents
PER_PREDICTOR = 10
_CHUNK_CELLS = 3_200_000  # resamples x respondents per block at most: 32 resamples of 100,000: fits in cache
_BLOCK = 250  # resamples per block at most: 1,000 make four blocks, work for up to four threads
_EIG_TOL = 1e-12
_DIRECT_N = 20_000  # up to this many respondents, resamples are drawn as indices
_THREADS = min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
_POOL: list[ThreadPoolExecutor] = []  # made on first use, kept: starting threads for each bootstrap costs more


def _pool() -> ThreadPoolExecutor:
    if not _POOL:
        _POOL.append(ThreadPoolExecutor(max_workers=_THREADS, thread_name_prefix="cxsite-bootstrap"))
    return _POOL[0]


# A forked worker (--jobs) inherits the pool but not its threads, and would wait
# for them for ever: it makes its own.
os.register_at_fork(after_in_child=_POOL.clear)


def _weights_from_corr(r: np.ndarray, q: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Raw relative weights from correlation matrices of ``[predictors..., outcomes...]``.

    Parameters
    ----------
    r : ndarray, shape (..., p + q, p + q)
        One or a stack of correlation matrices, the ``q`` outcomes last.
    q : int
        How many outcomes: they share the predictors' eigen-decomposition.

    Returns
    -------
    raw : ndarray, shape (..., p, q)
    r2 : ndarray, shape (..., q)
    """
    p = r.shape[-1] - q
    rxx, rxy = r[..., :p, :p], r[..., :p, p:]
    lam, vec = np.linalg.eigh(rxx)
    # A predictor that is an exact combination of others has a zero
    # eigenvalue; its direction carries no outcome variance (pseudo-inverse).
    root = np.sqrt(np.clip(lam, 0.0, None))
    inv_root = np.where(root > _EIG_TOL, 1.0 / np.where(root > _EIG_TOL, root, 1.0), 0.0)
    vt = np.swapaxes(vec, -1, -2)
    big_lambda = (vec * root[..., None, :]) @ vt
    beta = (vec * inv_root[..., None, :]) @ (vt @ rxy)
    return (big_lambda ** 2) @ (beta ** 2), np.sum(beta ** 2, axis=-2)


def relative_weights(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float | np.ndarray]:
    """Johnson's relative weights of the columns of ``x`` on ``y`` (see the module's formula).

    Parameters
    ----------
    x : ndarray, shape (n, p)
        The predictors, one respondent a row, no NaN.
    y : ndarray, shape (n,) or (n, q)
        One outcome, or ``q`` outcomes of the same respondents.

    Returns
    -------
    raw : ndarray, shape (p,) or (p, q)
        Raw weights; they sum to ``r2``.
    r2 : float or ndarray of shape (q,)
        R² of the ordinary least-squares regression of ``y`` on ``x``.
    """
    y2 = y.reshape(len(y), -1)
    r = np.corrcoef(np.column_stack([x, y2]), rowvar=False)
    raw, r2 = _weights_from_corr(r, y2.shape[1])
    return (raw[:, 0], float(r2[0])) if y.ndim == 1 else (raw, r2)


def _moments(data: np.ndarray) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Rows ``[x_i..., x_i x_j (i <= j)...]`` of standardised ``data``, for count-weighted sums.

    Standardised (correlations do not change) so that every row is of order 1
    and single precision loses the same few digits on each. One row per
    column or product, respondents along it: the layout the resamples'
    matrix product reads, made once (no transposed copy).
    """
    c = np.ascontiguousarray(((data - data.mean(axis=0)) / data.std(axis=0)).T)
    pairs = [(i, j) for i in range(len(c)) for j in range(i, len(c))]
    products = np.empty((len(c) + len(pairs), c.shape[1]), dtype=np.float32)
    products[:len(c)] = c
    for row, (i, j) in enumerate(pairs, start=len(c)):
        np.multiply(c[i], c[j], out=products[row])
    return products, pairs


def _corr_from_sums(sums: np.ndarray, pairs: list[tuple[int, int]], m: int, n: int) -> np.ndarray:
    """Correlation matrices of a stack of resamples from their count-weighted sums (``m`` columns).

    Each full matrix is gathered from the sums in one ``take`` (both halves
    from the one cross-product of a pair), rather than written half by half:
    the same arithmetic on every entry, a third of the time. The gather reads
    whole rows of ``sums.T`` (contiguous when ``sums`` is the transpose of the
    resamples' matrix product); the matrices are a view, resamples first.
    """
    where = np.empty((m, m), dtype=np.intp)
    for col, (i, j) in enumerate(pairs, start=m):
        where[i, j] = where[j, i] = col
    mean = sums[:, :m] / n
    cov = np.moveaxis(np.take(sums.T, where.ravel(), axis=0).reshape(m, m, len(sums)), -1, 0)
    cov /= n
    cov -= mean[:, :, None] * mean[:, None, :]
    sd = np.sqrt(np.clip(np.diagonal(cov, axis1=1, axis2=2), 0.0, None))
    with np.errstate(divide="ignore", invalid="ignore"):
        cov /= sd[:, :, None] * sd[:, None, :]
    return cov


def _poisson_table() -> tuple[np.ndarray, np.ndarray]:
    """Poisson(1) by a 16-bit table: ``table[u]`` is the count for a uniform 16-bit ``u``.

    A bucket of the 65,536 that straddles two counts (at most one per count)
    is marked 255 in the table and resolved by a second, continuous draw
    (:func:`_poisson_counts`), so the counts are Poisson(1) to float precision.
    """
    k = np.arange(40)
    pmf = np.exp(-1.0 - np.cumsum(np.log(np.maximum(k, 1))))
    cdf = np.cumsum(pmf)
    lo = np.searchsorted(cdf, np.arange(65536) / 65536, side="right")
    hi = np.searchsorted(cdf, np.arange(1, 65537) / 65536, side="left")
    table = np.where(lo == hi, lo, 255).astype(np.uint8)
    return table, cdf


_TABLE, _CDF = _poisson_table()


def _poisson_counts(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    """Independent Poisson(1) counts, one uniform 16-bit draw each (see :func:`_poisson_table`)."""
    u = rng.integers(0, 65536, size=shape, dtype=np.uint16)
    counts = np.take(_TABLE, u)
    edge = counts == 255
    if edge.any():
        # Uniform within the straddling bucket, then the exact CDF decides.
        v = (u[edge] + rng.random(np.count_nonzero(edge))) / 65536
        counts[edge] = np.searchsorted(_CDF, v, side="right")
    return counts


def _multinomial_counts(rng: np.random.Generator, size: int, n: int, out: np.ndarray) -> None:
    """``size`` resamples of ``n`` respondents with replacement, as counts (rows of ``out``).

    Independent Poisson(1) counts sum to some ``S`` near ``n``; given ``S``
    they are the counts of ``S`` uniform draws. Adding ``n - S`` further
    uniform draws, or taking away ``S - n`` of the ``S`` drawn at random,
    leaves the counts of exactly ``n`` uniform draws: the multinomial of
    resampling, at one 16-bit random number per respondent instead of a
    random index and a scattered count.
    """
    if n <= _DIRECT_N:
        # Few respondents: random indices and their counts cost less than the corrections below.
        draws = rng.integers(0, n, size=(size, n))
        draws += (np.arange(size) * n)[:, None]
        out[:size] = np.bincount(draws.ravel(), minlength=size * n).reshape(size, n)
        return
    counts = _poisson_counts(rng, (size, n))
    out[:size] = counts
    for row, total in enumerate(counts.sum(axis=1, dtype=np.int64)):
        if total < n:
            np.add.at(out[row], rng.integers(0, n, size=n - total), 1.0)
        elif total > n:
            drop = rng.choice(int(total), size=int(total - n), replace=False)
            owner = np.searchsorted(np.cumsum(counts[row], dtype=np.int64), drop, side="right")
            np.subtract.at(out[row], owner, 1.0)


def bootstrap_shares(x: np.ndarray, y: np.ndarray, resamples: int = RESAMPLES,
                     seed: int = 0) -> np.ndarray:
    """The shares (raw / R²) of ``resamples`` bootstrap resamples of the respondents.

    Parameters
    ----------
    x, y : ndarray
        As for :func:`relative_weights`; outcomes of the same respondents
        share each resample and its eigen-decomposition.
    resamples : int
    seed : int
        Seeds the blocks' generators (:func:`resample_blocks`): the same
        data and seed give the same resamples.

    Returns
    -------
    ndarray, shape (resamples, p) or (resamples, p, q)
        One row per resample; a resample in which a predictor or the outcome
        does not vary has NaN shares (left out of the percentiles).
    """
    y2 = y.reshape(len(y), -1)
    n, q = y2.shape
    # (columns x respondents) times (respondents x resamples): the shape
    # OpenBLAS threads well even on a busy machine (the transpose was 50x
    # slower there). Single precision: the sums feed percentiles of 1,000
    # resamples, whose own spread is far wider than the rounding (about 1e-5
    # of a correlation); the estimate itself is computed in double precision.
    products_t, pairs = _moments(np.column_stack([x, y2]))
    blocks = resample_blocks(seed, resamples, n)
    out = np.empty((resamples, x.shape[1], q))
    # One BLAS thread: these products are too short for threads to pay, and
    # OpenBLAS's waiting threads made them several times slower on a busy
    # machine; the blocks are what runs in parallel.
    with one_blas_thread():
        _in_threads(blocks, products_t, (pairs, x.shape[1], q, n), out)
    return out[..., 0] if y.ndim == 1 else out


def resample_blocks(seed: int, resamples: int, n: int) -> list[tuple[int, int, np.random.SeedSequence]]:
    """The bootstrap's blocks of resamples of ``n`` respondents: ``(first, size, seed sequence)`` each.

    Their sizes depend on ``n`` and ``resamples`` alone, never on the number
    of threads, and each block's counts are drawn by
    ``_multinomial_counts(numpy.random.default_rng(sequence), size, n, ...)``.
    """
    size = max(1, min(resamples, _BLOCK, _CHUNK_CELLS // max(n, 1)))
    firsts = range(0, resamples, size)
    children = np.random.SeedSequence(seed).spawn(len(firsts))
    return [(first, min(size, resamples - first), child) for first, child in zip(firsts, children)]


def _in_threads(blocks: list, products_t: np.ndarray, shape: tuple, out: np.ndarray) -> None:
    """Work through ``blocks`` on this thread and up to ``_THREADS - 1`` of the pool's, each taking the next block.

    NumPy and LAPACK release the GIL for the draws, the product and the
    eigen-decompositions, so the threads' blocks run side by side; each
    writes only its own rows of ``out``.
    """
    if not blocks:
        return  # no resamples asked for
    lock = threading.Lock()
    todo = iter(blocks)

    def work() -> None:
        counts = np.empty((blocks[0][1], shape[3]), dtype=np.float32)  # one buffer a thread, reused
        while True:
            with lock:
                block = next(todo, None)
            if block is None:
                return
            _block(block, products_t, shape, counts, out)

    helpers = [_pool().submit(work) for _ in range(min(_THREADS, len(blocks)) - 1)]
    try:
        work()
    finally:
        for job in helpers:
            job.result()  # an error in a thread is raised here


def _block(block: tuple, products_t: np.ndarray, shape: tuple, counts: np.ndarray, out: np.ndarray) -> None:
    """One block of resamples: its counts drawn from its own generator, their sums and shares into ``out``."""
    first, size, sequence = block
    _multinomial_counts(np.random.default_rng(sequence), size, shape[3], counts)
    sums = (products_t @ counts[:size].T).T.astype(np.float64)
    _shares(sums, shape, out[first:first + size])


def _shares(sums: np.ndarray, shape: tuple, out: np.ndarray) -> None:
    """The shares of the resamples whose count-weighted sums are the rows of ``sums``, into ``out``."""
    pairs, p, q, n = shape
    size = len(sums)
    corr = _corr_from_sums(sums, pairs, p + q, n)
    finite = bool(np.isfinite(corr).all())  # the usual case: no resample needs mending
    if not finite:
        # A resample where a predictor does not vary has no weights; one where
        # an outcome does not, none for that outcome (its correlations with
        # the predictors, not with the other outcomes, decide: those are unused).
        bad_x = ~np.all(np.isfinite(corr[:, :p, :p]), axis=(1, 2))
        bad = bad_x[:, None] | ~np.all(np.isfinite(corr[:, :p, p:]), axis=1)
        corr[bad_x] = np.eye(p + q)
        corr[~np.isfinite(corr)] = 0.0
    raw, r2 = _weights_from_corr(corr, q)
    with np.errstate(divide="ignore", invalid="ignore"):
        np.divide(raw, r2[:, None, :], out=out[:size])
    dropped = (r2 <= 0) if finite else (bad | (r2 <= 0))
    if dropped.any():
        out[:size][np.broadcast_to(dropped[:, None, :], raw.shape)] = np.nan


def percentile_interval(samples: np.ndarray, estimate: np.ndarray) -> np.ndarray:
    """The 95 % percentile interval of each column, widened to hold ``estimate`` where it lies outside.

    A percentile interval need not contain the estimate when the resampled
    shares are skewed (a weak driver's share can only grow); the report
    shows the interval around the estimate, so its end is moved to it.

    Parameters
    ----------
    samples : ndarray, shape (resamples, ...)
    estimate : ndarray, shape (...)

    Returns
    -------
    ndarray, shape (..., 2)
        ``[low, high]`` of each column (of each outcome too, given several).
    """
    pick = np.nanpercentile if np.isnan(samples).any() else np.percentile
    low, high = pick(samples, [2.5, 97.5], axis=0)
    return np.stack([np.minimum(low, estimate), np.maximum(high, estimate)], axis=-1)


def min_respondents(predictors: int) -> int:
    """Fewest respondents for key drivers: ``max(50, 10 x predictors)``."""
    return max(MIN_N, PER_PREDICTOR * predictors)


def key_drivers(outcome: str, dims: list[str], x: np.ndarray, y: np.ndarray, k: int) -> dict:
    """One outcome's ``drivers`` entry (the JSON contract), or a withheld entry with the reason.

    Parameters
    ----------
    outcome : str
        The outcome's id (also seeds the bootstrap).
    dims : list of str
        The dimension ids, the columns of ``x``.
    x, y : ndarray
        Respondent means of the dimensions and the outcome's value, complete rows only.
    k : int
        ``min_group_size``: the analysis never rests on fewer people.
    """
    return key_drivers_shared([outcome], dims, x, y[:, None], k)[0]


def key_drivers_shared(outcomes: list[str], dims: list[str], x: np.ndarray, y: np.ndarray, k: int) -> list[dict]:
    """:func:`key_drivers` of several outcomes answered by the same respondents (``y``: one column each).

    The outcomes share the bootstrap's resamples, seeded from their ids
    together, and so each resample's eigen-decomposition: the cost of one.
    """
    entries = [{"outcome": o, "method": "relative-weights", "n": int(len(y))} for o in outcomes]
    need = max(min_respondents(len(dims)), k)
    if len(y) < need:
        # %-formatted from a marked msgid, so the pages can show it in their language (cxsite.i18n.Lang.translated).
        return [dict(e, n=None, r2=None, withheld=(
            N_("fewer than %(need)s respondents answered the outcome and every dimension "
               "(at least 50 and 10 per dimension are needed for stable weights)") % {"need": need})) for e in entries]
    flat = len(dims) < 2 or bool(np.any(np.ptp(x, axis=0) == 0))
    same = N_("the outcome or a dimension has the same value for everyone")
    ok = [j for j in range(len(outcomes)) if not flat and np.ptp(y[:, j]) > 0]
    for j in set(range(len(outcomes))) - set(ok):
        entries[j] = dict(entries[j], r2=None, withheld=same)
    if ok:
        raw, r2 = relative_weights(x, y[:, ok])
        for col, j in enumerate(list(ok)):
            if not r2[col] > 0:
                entries[j] = dict(entries[j], r2=None, withheld=N_("the dimensions do not predict the outcome at all"))
        keep = [col for col, j in enumerate(ok) if r2[col] > 0]
        if keep:
            ids = [outcomes[ok[col]] for col in keep]
            boot = bootstrap_shares(x, y[:, [ok[col] for col in keep]], seed=zlib.crc32("\0".join(ids).encode()))
            shares = raw[:, keep] / r2[keep]
            # One percentile call for every outcome; an outcome's own where some
            # resamples dropped out (NaN), so the others keep plain percentiles.
            joint = None if np.isnan(boot).any() else percentile_interval(boot, shares)
            for b, col in enumerate(keep):
                share = shares[:, b]
                ci = percentile_interval(boot[:, :, b], share) if joint is None else joint[:, b]
                entries[ok[col]] = dict(entries[ok[col]], r2=float(r2[col]), weights=[
                    {"dimension": d, "raw": float(raw[j, col]), "share": float(share[j]),
                     "ci": [float(ci[j, 0]), float(ci[j, 1])]} for j, d in enumerate(dims)])
    return entries
