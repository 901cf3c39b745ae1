"""Interval estimates and tests of the report's figures, written out plainly.

Every function is pure and takes plain numbers; the distributions come from
:mod:`scipy.stats`. 95 % everywhere (:data:`Z` is the two-sided normal
quantile). The definitions are the ones the methodology page states; each
is tested against a value computed by an independent implementation
(statsmodels, pingouin, scipy) and pinned as a literal in ``tests/test_stats.py``.
The distributions are :mod:`scipy.special`'s functions themselves (``stdtrit``,
``fdtri``, ``stdtr``, ``ndtr``: what ``scipy.stats`` calls underneath, without
its per-call overhead, which made a report's few hundred tests cost more than
its pages).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from scipy import special as _sp

LEVEL = 0.95
Z = 1.959963984540054  # the 0.975 quantile of the standard normal
ALPHA = 0.05  # a test is significant when its (adjusted) p is below this


def mean_interval(n: int, mean: float | None, sd: float | None) -> list[float] | None:
    """The t-interval of a mean.

    .. math:: m \\pm t_{0.975,\\,n-1} \\cdot s / \\sqrt{n}

    with ``s`` the sample SD (denominator ``n - 1``).

    Returns
    -------
    list of two floats, or None
        ``[low, high]``; None when ``n < 2`` or the mean or SD is unknown.
    """
    if n < 2 or mean is None or sd is None:
        return None
    half = float(_sp.stdtrit(n - 1, 0.5 + LEVEL / 2)) * sd / math.sqrt(n)
    return [mean - half, mean + half]


def wilson_interval(k: int, n: int) -> list[float] | None:
    """Wilson's score interval of a proportion ``k / n`` (fractions 0-1).

    .. math:: \\frac{\\hat p + z^2/2n \\pm z\\sqrt{\\hat p(1-\\hat p)/n + z^2/4n^2}}{1 + z^2/n}

    None when ``n`` is 0. The same as ``statsmodels`` ``proportion_confint(method='wilson')``.
    """
    if n <= 0:
        return None
    p = k / n
    z2 = Z * Z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return [max(0.0, centre - half), min(1.0, centre + half)]


def alpha_interval(alpha: float | None, n: int, k: int) -> list[float] | None:
    """Feldt's interval of Cronbach's alpha (pingouin's definition).

    With :math:`df_1 = n - 1` and :math:`df_2 = (n - 1)(k - 1)`, ``n`` the
    complete cases and ``k`` the items:

    .. math:: [\\,1 - (1 - \\alpha) F_{0.975}(df_1, df_2),\\; 1 - (1 - \\alpha) F_{0.025}(df_1, df_2)\\,]

    None when alpha is None (see :func:`cxsite.score.cronbach_alpha`).
    """
    if alpha is None or n < 2 or k < 2:
        return None
    df1, df2 = n - 1, (n - 1) * (k - 1)
    return [1 - (1 - alpha) * float(_sp.fdtri(df1, df2, 0.975)),
            1 - (1 - alpha) * float(_sp.fdtri(df1, df2, 0.025))]


def nps_variance(promoters: int, detractors: int, n: int) -> float:
    """``V = P + D - (P - D)^2``, P and D the promoter and detractor shares (n > 0)."""
    p, d = promoters / n, detractors / n
    return p + d - (p - d) ** 2


def nps_interval(promoters: int, detractors: int, n: int) -> list[float] | None:
    """The normal interval of an NPS, clipped to [-100, 100].

    .. math:: \\text{NPS} \\pm z \\cdot 100 \\sqrt{V / n}, \\quad V = P + D - (P - D)^2

    None when ``n`` is 0.
    """
    if n <= 0:
        return None
    nps = 100.0 * (promoters - detractors) / n
    half = Z * 100.0 * math.sqrt(max(nps_variance(promoters, detractors, n), 0.0) / n)
    return [max(-100.0, nps - half), min(100.0, nps + half)]


def nps_change_p(now: tuple[int, int, int], before: tuple[int, int, int]) -> float | None:
    """Two-sided z-test of the change of NPS between two independent waves.

    ``now`` and ``before`` are (promoters, detractors, n).

    .. math:: z = \\frac{\\text{NPS}_1 - \\text{NPS}_2}{100\\sqrt{V_1/n_1 + V_2/n_2}}, \\quad p = 2\\,(1 - \\Phi(|z|))

    None when either wave has no answer; 1 when neither varies and nothing changed, 0 when neither
    varies and something did (a change with no spread at all is certain).
    """
    (p1, d1, n1), (p2, d2, n2) = now, before
    if n1 <= 0 or n2 <= 0:
        return None
    delta = 100.0 * ((p1 - d1) / n1 - (p2 - d2) / n2)
    se = 100.0 * math.sqrt(nps_variance(p1, d1, n1) / n1 + nps_variance(p2, d2, n2) / n2)
    if se == 0:
        return 1.0 if delta == 0 else 0.0
    return float(2 * _sp.ndtr(-abs(delta) / se))


def welch_p(a: tuple[int, float, float], b: tuple[int, float, float]) -> float | None:
    """Welch's two-sided t-test from summary figures ``(n, mean, sd)`` of two independent samples.

    .. math:: t = \\frac{m_1 - m_2}{\\sqrt{s_1^2/n_1 + s_2^2/n_2}}, \\quad
              \\nu = \\frac{(s_1^2/n_1 + s_2^2/n_2)^2}{\\frac{(s_1^2/n_1)^2}{n_1-1} + \\frac{(s_2^2/n_2)^2}{n_2-1}}

    and :math:`p = 2 T_\\nu(-|t|)`, the same as ``scipy.stats.ttest_ind(equal_var=False)``.
    None when either sample has fewer than two values or neither varies (no test is possible).
    """
    (n1, m1, s1), (n2, m2, s2) = a, b
    if n1 < 2 or n2 < 2 or None in (m1, m2, s1, s2) or (s1 == 0 and s2 == 0):
        return None
    v1, v2 = s1 * s1 / n1, s2 * s2 / n2
    t = (m1 - m2) / math.sqrt(v1 + v2)
    df = (v1 + v2) ** 2 / (v1 * v1 / (n1 - 1) + v2 * v2 / (n2 - 1))
    return float(2 * _sp.stdtr(df, -abs(t)))


def holm(p_values: Sequence[float | None]) -> list[float | None]:
    """Holm's step-down adjustment of a family of p-values (None entries are not tests).

    Sorted ascending, the i-th of m p-values (from 0) becomes
    :math:`\\max_{j \\le i} \\min(1, (m - j)\\,p_{(j)})`; the same as
    ``statsmodels`` ``multipletests(method='holm')``.
    """
    tests = sorted((p, i) for i, p in enumerate(p_values) if p is not None)
    m = len(tests)
    out: list[float | None] = [None] * len(p_values)
    running = 0.0
    for rank, (p, i) in enumerate(tests):
        running = max(running, min(1.0, (m - rank) * p))
        out[i] = running
    return out


def welch_interval(a: tuple[int, float, float], b: tuple[int, float, float]) -> list[float] | None:
    """Welch's 95 % interval of the difference of two means ``m1 - m2``, from ``(n, mean, sd)`` of each sample.

    .. math:: (m_1 - m_2) \\pm t_{0.975,\\,\\nu} \\sqrt{s_1^2/n_1 + s_2^2/n_2}

    with :math:`\\nu` Welch's degrees of freedom (see :func:`welch_p`): the same as
    ``scipy.stats.ttest_ind(equal_var=False).confidence_interval()``. None where
    :func:`welch_p` is (either sample below two values, or neither varies).
    """
    (n1, m1, s1), (n2, m2, s2) = a, b
    if n1 < 2 or n2 < 2 or None in (m1, m2, s1, s2) or (s1 == 0 and s2 == 0):
        return None
    v1, v2 = s1 * s1 / n1, s2 * s2 / n2
    df = (v1 + v2) ** 2 / (v1 * v1 / (n1 - 1) + v2 * v2 / (n2 - 1))
    half = float(_sp.stdtrit(df, 0.5 + LEVEL / 2)) * math.sqrt(v1 + v2)
    return [m1 - m2 - half, m1 - m2 + half]
