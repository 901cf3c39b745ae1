"""A dimension's per-respondent definitions, written over float columns of item values.

:func:`respondent_dimension_means` and :func:`cronbach_alpha` state the
definitions the methodology page gives, over one float column per item (NaN:
no valid answer). :func:`cxsite.score.dimension_rows` computes the same
figures from the answer codes in integers, without those columns: the means
to the last digit (a respondent's sum of whole points is exact either way),
alpha to rounding (its item variances from how many gave each point).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


def respondent_dimension_means(columns: Sequence[np.ndarray]) -> np.ndarray:
    """Each respondent's mean over a dimension's items, where it counts.

    Parameters
    ----------
    columns : sequence of k ndarrays of float64
        The dimension's item values (:func:`item_values`), NaN for no valid answer.

    Returns
    -------
    ndarray of float64
        Per respondent, the mean of their valid answers when they gave at
        least ``ceil(k / 2)`` of them (and at least one); NaN otherwise.
    """
    k = len(columns)
    answered = np.zeros(len(columns[0]), dtype=np.intp)
    sums = np.zeros(len(columns[0]))
    for col in columns:  # column by column: k passes over contiguous memory
        valid = ~np.isnan(col)
        answered += valid
        sums += np.where(valid, col, 0.0)  # whole points: exact
    counted = answered >= max(math.ceil(k / 2), 1)
    means = np.full(len(sums), np.nan)
    means[counted] = sums[counted] / answered[counted]
    return means


def cronbach_alpha(columns: Sequence[np.ndarray]) -> float | None:
    """Cronbach's alpha of a dimension, listwise.

    .. math:: \\alpha = \\frac{k}{k-1}\\left(1 - \\frac{\\sum_i s^2_i}{s^2_{\\text{sum}}}\\right)

    with :math:`s^2` the sample variance (denominator ``m - 1``) over the
    ``m`` respondents who gave a valid answer to all ``k`` items
    (``columns``: the k items' values, NaN for no valid answer).

    Returns None when ``k < 2``, ``m < 3`` or the summed scores do not vary.
    Checked against ``pingouin.cronbach_alpha`` (listwise) on the fixtures of
    ``tests/test_score.py``.
    """
    if len(columns) < 2:
        return None
    complete = np.ones(len(columns[0]), dtype=bool)
    for col in columns:
        complete &= ~np.isnan(col)
    rows = [col[complete] for col in columns]
    if len(rows[0]) < 3:
        return None
    item_vars = sum(float(r.var(ddof=1)) for r in rows)
    total_var = float(np.sum(rows, axis=0).var(ddof=1))
    if total_var == 0:
        return None
    k = len(rows)
    return k / (k - 1) * (1 - item_vars / total_var)
