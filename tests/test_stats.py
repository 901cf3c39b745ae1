"""The interval and test functions against values of independent implementations, pinned as literals.

Reference values were computed with pingouin 0.7.0, statsmodels 0.15.0,
scipy 1.17.1 and mpmath 1.3 in a scratch environment (never a dependency of
cxsite); each test names the call. Estimates to 1e-9, p-values to 1e-12.
"""

import math

import pytest
from pytest import approx

from cxsite import stats


def close(values, expected, tol=1e-9):
    assert values is not None and len(values) == len(expected)
    for v, e in zip(values, expected):
        assert v == approx(e, abs=tol)


def test_t_interval_of_a_mean():
    # statsmodels DescrStatsW([3.2, 4.0, 2.5, 4.75, 3.0, 3.5, 5.0, 1.5]).tconfint_mean()
    close(stats.mean_interval(8, 3.43125, 1.156638448262896), [2.4642760584908947, 4.398223941509105])


@pytest.mark.parametrize("n", [0, 1])
def test_t_interval_needs_two(n):
    assert stats.mean_interval(n, 3.0, 0.0) is None


@pytest.mark.parametrize("k, n, expected", [
    # statsmodels proportion_confint(k, n, method="wilson")
    (0, 10, [0.0, 0.27753279986288926]),
    (10, 10, [0.7224672001371106, 1.0]),
    (7, 20, [0.18119182410108203, 0.5671457233147638]),
    (1, 3, [0.06149194472039626, 0.7923403991979523]),
    (450, 1000, [0.4194153840742968, 0.4809672917742588]),
])
def test_wilson_interval(k, n, expected):
    close(stats.wilson_interval(k, n), expected)


def test_wilson_without_answers():
    assert stats.wilson_interval(0, 0) is None


@pytest.mark.parametrize("alpha, n, k, expected, pingouin_ci", [
    # pingouin.cronbach_alpha(table) gives alpha and its interval rounded to 3 decimals;
    # the unrounded ends are 1 - (1 - alpha) F, with the F quantiles found by bisection on
    # mpmath's regularised incomplete beta (40 digits), independently of scipy.
    (0.9333333333333333, 4, 3, [0.5600800985362359, 0.9954755384665056], [0.56, 0.995]),
    (0.9183673469387755, 10, 3, [0.7608887760715703, 0.9779459478071575], [0.761, 0.978]),
])
def test_feldt_interval_of_alpha(alpha, n, k, expected, pingouin_ci):
    got = stats.alpha_interval(alpha, n, k)
    close(got, expected)
    close(got, pingouin_ci, tol=5e-4)


def test_feldt_interval_is_null_with_alpha():
    assert stats.alpha_interval(None, 10, 3) is None


def test_nps_interval():
    # 40 promoters, 25 passives, 35 detractors: statsmodels DescrStatsW of the per-respondent
    # +100 / 0 / -100 values, mean -+ z * std (ddof 0) / sqrt(n).
    close(stats.nps_interval(40, 35, 100), [-11.945472753714661, 21.94547275371466])


def test_nps_interval_is_clipped():
    # 9 promoters, 1 passive: the same computation gives [71.406..., 108.59...]; NPS cannot pass 100.
    close(stats.nps_interval(9, 0, 10), [71.40614903086316, 100.0])


def test_nps_change_z_test():
    # 40/25/35 of 100 against 30/30/40 of 100: two-sided normal test of the difference of the
    # means of the +100/0/-100 values, variances ddof 0 (statsmodels DescrStatsW, scipy norm.sf).
    assert stats.nps_change_p((40, 35, 100), (30, 40, 100)) == approx(0.21090292605661043, abs=1e-12)
    assert stats.nps_change_p((4, 3, 0), (3, 4, 10)) is None


def test_welch_from_summaries_equals_the_test_on_the_data():
    # scipy.stats.ttest_ind([3.5, 4.0, 2.75, 4.5, 3.25, 5.0, 4.25],
    #                       [2.0, 3.0, 2.5, 3.75, 1.5, 2.25, 3.0, 2.75, 3.5], equal_var=False)
    p = stats.welch_p((7, 3.892857142857143, 0.7753647375206563), (9, 2.6944444444444446, 0.7156485015549029))
    assert p == approx(0.0077032285824761475, abs=1e-12)


@pytest.mark.parametrize("a, b", [((1, 3.0, None), (5, 3.0, 1.0)), ((5, 3.0, 0.0), (5, 4.0, 0.0))])
def test_welch_needs_two_and_spread(a, b):
    assert stats.welch_p(a, b) is None


def test_holm():
    # statsmodels multipletests([0.01, 0.04, 0.03, 0.005, 0.2, 0.04], method="holm")[1]
    got = stats.holm([0.01, 0.04, 0.03, 0.005, 0.2, 0.04])
    close(got, [0.05, 0.12, 0.12, 0.03, 0.2, 0.12], tol=1e-12)


def test_holm_skips_what_is_not_a_test():
    got = stats.holm([0.01, None, 0.04])
    assert got[1] is None
    close([got[0], got[2]], [0.02, 0.04], tol=1e-12)


def test_z_is_the_normal_quantile():
    assert stats.Z == approx(1.959963984540054, abs=1e-15)
    assert math.erf(stats.Z / math.sqrt(2)) == approx(0.95, abs=1e-15)
