"""Disclosure control: which figures of an engagement may be published.

Every output (pages, charts, the search index, ``cxsite score`` JSON and CSV,
the PDF) is made from the results :func:`cxsite.score.score_engagement`
returns, and those hold only what :func:`decide` allowed; nothing else
decides what a reader may see.

The rules, for a threshold *k* (``min_group_size``):

1. **Enough people for each figure.** A figure is published only when at
   least *k* respondents contribute to it: a group's head count, and within
   it each dimension's counted respondents (for its mean and score) and the
   respondents with any valid answer to it (for its favourable shares); an
   item's or outcome's valid answers; Cronbach's alpha's complete cases.
2. **Nothing by subtraction.** A reader holding counts and totals (mean × n)
   of published groups can add and subtract them: ``G - H`` for a group
   inside another, the whole minus the groups of a segment shown, a division
   minus the teams in it, ``A + B - whole`` where ``A`` and ``B`` together
   cover everyone. Any set of people whose indicator is a linear combination
   of the published groups' indicators is *derivable*; no derivable set may
   hold 1 to *k*-1 contributors. Where one does, a published group needed to
   derive it (the smallest such) is withheld, and the check runs again until
   none does. In one segment this is the rule that the suppressed groups
   together reach *k* or are none; across segments it catches nested and
   sparsely crossed groups.
3. **Nothing individual**: data-quality findings give row numbers, never
   answers.

The work runs on *atoms*, the sets of respondents who share a value in every
segment: every group is a union of atoms, so a figure's contributors are one
count per atom. A derivable set is a union of *blocks*, the atoms that no
published group tells apart; it lies in the row space of the published
groups' block matrix, which a search over the small blocks tests (at most
*k*-1 of them can make up a small set).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .blas import one_blas_thread

WHOLE = ("", "")  # the key of the whole engagement among the groups

# Candidate small sets the search may test per level before it stops and
# withholds the smallest published group instead: over-suppression, never a leak.
SEARCH_BUDGET = 200_000
_TOL = 1e-9


@dataclass
class Universe:
    """The published-group candidates of an engagement, as unions of atoms.

    ``atom`` gives each respondent's atom; ``keys[g]`` names group ``g``
    (``WHOLE`` first, then ``(segment, value)``); ``member[g, a]`` says
    whether atom ``a`` belongs to group ``g``.
    """

    atom: np.ndarray
    keys: list[tuple[str, str]]
    member: np.ndarray

    @property
    def n_atoms(self) -> int:
        return self.member.shape[1]

    def counts(self, contributes: np.ndarray | None = None) -> np.ndarray:
        """Per atom, how many respondents contribute (all, or where ``contributes``)."""
        atoms = self.atom if contributes is None else self.atom[contributes]
        return np.bincount(atoms, minlength=self.n_atoms)


def universe(segment_codes: Mapping[str, np.ndarray], segment_values: Mapping[str, Sequence[str]],
             n: int) -> Universe:
    """The whole and every group of every segment over ``n`` respondents.

    Parameters
    ----------
    segment_codes : mapping
        Segment name -> each respondent's group, an index into ``segment_values[name]``.
    segment_values : mapping
        Segment name -> its groups' values.
    n : int
        Number of respondents.
    """
    names = sorted(segment_codes)
    if names:
        widths = [max(len(segment_values[s]), 1) for s in names]
        columns = [np.asarray(segment_codes[s], dtype=np.int64) for s in names]
        if np.prod(np.array(widths, dtype=np.float64)) < 2 ** 62:
            # One integer per respondent (its segment values in mixed radix): a 1-D unique.
            flat = np.ravel_multi_index(columns, widths) if n else np.zeros(0, dtype=np.int64)
            codes, atom = np.unique(flat, return_inverse=True)
            combos = np.stack(np.unravel_index(codes, widths), axis=1).reshape(len(codes), len(names))
        else:
            combos, atom = np.unique(np.stack(columns, axis=1), axis=0, return_inverse=True)
        atom = atom.reshape(-1)
    else:
        combos, atom = np.zeros((1 if n else 0, 0), dtype=np.intp), np.zeros(n, dtype=np.intp)
    keys: list[tuple[str, str]] = [WHOLE]
    rows = [np.ones(len(combos), dtype=bool)]
    for col, s in enumerate(names):
        for g, value in enumerate(segment_values[s]):
            inside = combos[:, col] == g
            if inside.any():
                keys.append((s, value))
                rows.append(inside)
    return Universe(atom, keys, np.array(rows, dtype=bool).reshape(len(rows), len(combos)))


def decide(u: Universe, counts: np.ndarray, k: int, candidates: np.ndarray | None = None) -> np.ndarray:
    """Which groups may publish a figure whose contributors per atom are ``counts``.

    Parameters
    ----------
    u : Universe
    counts : ndarray of int
        Contributors to the figure in each atom (:meth:`Universe.counts`).
    k : int
        The threshold, ``min_group_size``.
    candidates : ndarray of bool, optional
        Groups allowed at all (e.g. those whose head count passed); default every group.

    Returns
    -------
    ndarray of bool
        Per group of ``u.keys``, True where the figure may be published:
        rules 1 and 2 of the module docstring hold over the published groups.
        The whole is never withheld by rule 2, only by rule 1.
    """
    sizes = u.member.astype(np.int64) @ counts
    shown = (sizes >= k) if candidates is None else (candidates & (sizes >= k))
    if not shown[0]:
        return np.zeros_like(shown)  # below the threshold as a whole: nothing at all
    live = counts > 0
    member, weight = u.member[:, live], counts[live]
    with one_blas_thread():
        while True:
            found = small_derivable_set(member[shown], weight, k)
            if found is None:
                return shown
            shown[_victim(member, shown, sizes, found)] = False


def small_derivable_set(rows: np.ndarray, weight: np.ndarray, k: int) -> np.ndarray | None:
    """A set of 1 to k-1 contributors derivable from the published ``rows``, or None.

    Parameters
    ----------
    rows : ndarray of bool, shape (groups, atoms)
        The published groups over the atoms that hold contributors.
    weight : ndarray of int
        Contributors per atom (all positive).
    k : int

    Returns
    -------
    ndarray of bool or None
        Over the atoms, a union of blocks in the row space of ``rows`` with
        ``0 < sum(weight) < k``. When the search would exceed
        :data:`SEARCH_BUDGET` candidates, every atom (the caller then
        withholds a group, never publishes unchecked).
    """
    if not len(rows):
        return None
    signatures, block = np.unique(rows.T, axis=0, return_inverse=True)
    block = block.reshape(-1)
    sizes = np.bincount(block, weights=weight).astype(np.int64)
    # An orthonormal basis of the row space (over blocks): a 0/1 vector x with
    # j ones lies in it exactly when its projection keeps all of it, |B x|^2 = j.
    _, sv, vt = np.linalg.svd(signatures.T.astype(np.float64), full_matrices=False)
    basis = vt[: int(np.count_nonzero(sv > _TOL * max(signatures.shape)))]
    small = _candidates(basis, np.flatnonzero(sizes < k))
    combos = _search(basis, sizes, small, k)
    if combos is None:
        return None
    if combos is _EXHAUSTED:
        return np.ones(len(weight), dtype=bool)
    return np.isin(block, combos)


_EXHAUSTED = object()


def _candidates(basis: np.ndarray, small: np.ndarray) -> np.ndarray:
    """The small blocks that can be part of a derivable set made of small blocks only.

    Such a set is a row-space vector ``B.T @ c`` that is zero on every other
    block, so ``c`` lies in the null space of the other blocks' columns of the
    basis; that leaves at most ``rank`` dimensions, and a block on which all
    of them vanish can take part in no such set. With many one-person atoms
    (sparsely crossed segments) this prunes the search to the few blocks that
    matter.
    """
    if not len(small):
        return small
    others = np.ones(basis.shape[1], dtype=bool)
    others[small] = False
    rest = basis[:, others]
    gram = rest @ rest.T                               # rank x rank
    values, vectors = np.linalg.eigh(gram)
    free = vectors[:, values < 1e-9]                   # c with rest.T @ c = 0
    if not free.shape[1]:
        return small[:0]
    reach = np.abs(free.T @ basis[:, small]).max(axis=0) > 1e-9
    return small[reach]


def _search(basis: np.ndarray, sizes: np.ndarray, small: np.ndarray, k: int):
    """The first combination of small blocks (fewest first) totalling under k and in the row space."""
    coords = basis[:, small].T                         # each small block's coordinates in the basis
    own = sizes[small]
    combos, totals, projected = np.arange(len(small))[:, None], own, coords
    while len(combos):
        kept = np.einsum("ij,ij->i", projected, projected)
        hit = np.flatnonzero(np.abs(kept - combos.shape[1]) < 1e-7)
        if len(hit):
            return small[combos[hit[0]]]
        if len(combos) * len(small) > 50 * SEARCH_BUDGET:
            return _EXHAUSTED  # the extension table alone would be too large
        # Extend each combination by a later block while the total stays under k.
        grow = (np.arange(len(small))[None, :] > combos[:, -1:]) & (totals[:, None] + own[None, :] < k)
        which, extra = np.nonzero(grow)
        if len(which) > SEARCH_BUDGET:
            return _EXHAUSTED
        combos = np.column_stack([combos[which], extra])
        totals, projected = totals[which] + own[extra], projected[which] + coords[extra]
    return None


def _victim(member: np.ndarray, shown: np.ndarray, sizes: np.ndarray, found: np.ndarray) -> int:
    """The group to withhold so that ``found`` is no longer derivable: the smallest one it needs.

    Without a single group whose loss makes ``found`` underivable (it follows
    in more than one way), the smallest published group goes, and the check
    runs again.
    """
    published = [int(g) for g in np.flatnonzero(shown) if g != 0]
    by_size = sorted(published, key=lambda g: (int(sizes[g]), g))
    x = found.astype(np.float64)
    for g in by_size:
        rest = member[[h for h in np.flatnonzero(shown) if h != g]].astype(np.float64)
        if not _in_row_space(rest, x):
            return g
    return by_size[0]


def _in_row_space(rows: np.ndarray, x: np.ndarray) -> bool:
    if not len(rows):
        return False
    coefficients, *_ = np.linalg.lstsq(rows.T, x, rcond=None)
    return bool(np.abs(rows.T @ coefficients - x).max() < 1e-7)


def decide_more(member: np.ndarray, counts: np.ndarray, k: int, fixed: np.ndarray, extra: np.ndarray) -> np.ndarray:
    """Which of the ``extra`` groups may also be published beside the ``fixed`` ones, already published.

    Parameters
    ----------
    member : ndarray of bool, shape (groups, atoms)
        Each group over the atoms.
    counts : ndarray of int
        Contributors to the figure per atom.
    k : int
    fixed : ndarray of bool
        Groups already published (a leader's line, a department): never withheld here.
    extra : ndarray of bool
        Candidate groups (e.g. the departments within a leader's line).

    Returns
    -------
    ndarray of bool
        The extra groups that may be published: each of at least ``k``
        contributors, and with them no set of 1 to ``k``-1 contributors
        derivable (rule 2, by the same search as :func:`decide`). Where a
        small set follows, the smallest extra group it needs is withheld and
        the check runs again (where no single one is needed, or the search
        runs out of budget, the smallest one touching it); where it follows
        from the fixed groups alone,
        every extra group is withheld (nothing is added beside such a set).
    """
    sizes = member.astype(np.int64) @ counts
    shown = extra & (sizes >= k) & ~fixed
    live = counts > 0
    rows, weight = member[:, live], counts[live]
    with one_blas_thread():
        if shown.any() and small_derivable_set(rows[fixed], weight, k) is not None:
            # The published groups alone already give a small set, or are too many for the search
            # to go through: nothing can be checked, so nothing is added.
            return np.zeros_like(shown)
        return _withhold_more(rows, weight, sizes, k, fixed, shown)


def _withhold_more(rows: np.ndarray, weight: np.ndarray, sizes: np.ndarray, k: int, fixed: np.ndarray,
                   shown: np.ndarray) -> np.ndarray:
    """:func:`decide_more`'s loop over the atoms holding contributors."""
    while shown.any():
        found = small_derivable_set(rows[fixed | shown], weight, k)
        if found is None:
            break
        by_size = sorted(np.flatnonzero(shown), key=lambda g: (int(sizes[g]), g))
        if found.all():  # the search ran out of budget: the smallest extra group goes, unchecked
            shown[by_size[0]] = False
            continue
        x = found.astype(np.float64)
        if _in_row_space(rows[fixed].astype(np.float64), x):
            return np.zeros_like(shown)
        # The smallest extra group touching the set that it needs; where it follows in more than
        # one way, the smallest touching it.
        touching = [g for g in by_size if (rows[g] & found).any()] or by_size
        needed = next((g for g in touching if not _in_row_space(
            rows[(fixed | shown) & (np.arange(len(shown)) != g)].astype(np.float64), x)), touching[0])
        shown[needed] = False
    return shown


# --------------------------------------------------------------------------- an engagement's decision

@dataclass
class Decision:
    """What may be published of one engagement (see the module docstring).

    ``groups[g]``: group ``g``'s head count passed; ``dimensions[d][g]``:
    dimension ``d``'s figures may be shown for group ``g``.
    """

    universe: Universe
    k: int
    groups: np.ndarray
    dimensions: dict[str, np.ndarray]

    def __post_init__(self) -> None:
        # Each group's row, looked up once per figure asked about, not searched for.
        self._row = {key: g for g, key in enumerate(self.universe.keys)}

    def group(self, key: tuple[str, str]) -> bool:
        g = self._row.get(key)
        return g is not None and bool(self.groups[g])

    def dimension(self, key: tuple[str, str], dim_id: str) -> bool:
        g = self._row.get(key)
        return g is not None and bool(self.dimensions[dim_id][g])

    def enough(self, n: int | None) -> bool:
        """Rule 1 for a figure of the whole alone (an item, an outcome, alpha's complete cases)."""
        return enough(n, self.k)


def enough(n: int | None, k: int) -> bool:
    """Rule 1 for a figure of the whole alone: it rests on at least ``k`` people."""
    return n is not None and n >= k


def decide_engagement(u: Universe, k: int, dimension_counts: Mapping[str, Sequence[np.ndarray]]
                      ) -> Decision:
    """Head counts first, then each dimension within the groups that passed.

    ``dimension_counts``: dimension id -> per-atom contributor counts of each of
    its figures (the counted respondents; those with any valid answer). A
    dimension is shown for a group when every one of its figures may be:
    withholding more never makes another family's remainder small.
    """
    groups = decide(u, u.counts(), k)
    dims = {}
    for dim_id, figures in dimension_counts.items():
        shown = groups.copy()
        for counts in figures:
            shown &= decide(u, counts, k, groups)
        dims[dim_id] = shown
    return Decision(u, k, groups, dims)


def decide_nested(sizes: np.ndarray, parent: np.ndarray, k: int, candidates: np.ndarray | None = None) -> np.ndarray:
    """Which of a family of nested groups may publish a figure (leader lines of a hierarchy).

    Parameters
    ----------
    sizes : ndarray of int
        Contributors to the figure in each group; group 0 is the whole.
    parent : ndarray of int
        Each group's nearest enclosing group (``parent[0]`` = -1), always of a
        lower index: the groups form a tree, any two either nested or disjoint.
    k : int
        The threshold, ``min_group_size``.
    candidates : ndarray of bool, optional
        Groups allowed at all (e.g. those whose head count passed).

    Returns
    -------
    ndarray of bool
        Rule 1 (at least ``k`` each), and rule 2 in the form it takes for
        nested groups: for every published group, the published groups inside
        it that lie in no other published one leave a remainder of 0 or at
        least ``k``; where they do not, the smallest of them is withheld and
        the group checked again. In a tree every set derivable from sums and
        differences is such a remainder (or a union of them), so this is rule 2
        itself, at a cost linear in the number of groups rather than a search.
    """
    shown = sizes >= k if candidates is None else candidates & (sizes >= k)
    if not shown[0]:
        return np.zeros_like(shown)
    children: list[list[int]] = [[] for _ in range(len(sizes))]
    for g in range(1, len(sizes)):
        children[parent[g]].append(g)

    def inside(g: int) -> list[int]:  # the published groups in g lying in no other published one
        found, stack = [], list(children[g])
        while stack:
            c = stack.pop()
            if shown[c]:
                found.append(c)
            else:
                stack.extend(children[c])
        return found

    for g in range(len(sizes)):  # a group's parent is decided before it
        while shown[g]:
            kids = inside(g)
            rest = int(sizes[g]) - int(sum(int(sizes[c]) for c in kids))
            if rest == 0 or rest >= k or not kids:
                break
            shown[min(kids, key=lambda c: (int(sizes[c]), c))] = False
    return shown


DIMENSION_FIGURES = ("n", "mean", "sd", "score", "ci", "band", "favorable", "neutral", "unfavorable", "alpha",
                     "alpha_ci")
ITEM_FIGURES = ("n", "mean", "favorable", "favorable_ci", "neutral", "unfavorable", "not_applicable", "counts")
OUTCOME_FIGURES = ITEM_FIGURES + ("score", "promoters", "passives", "detractors", "nps", "nps_ci", "ces", "easy")


def withhold(entry: dict, figures: Sequence[str]) -> dict:
    """The entry with ``figures`` set to null and ``withheld`` true (ids and texts stay)."""
    return {**entry, **{f: None for f in figures if f in entry}, "withheld": True}


def comments_shown(usable: int, min_group_size_comments: int) -> bool:
    """Open comments are shown only for at least ``min_group_size_comments`` usable respondents."""
    return usable >= min_group_size_comments


def published(entry: dict | None, figure: str) -> bool:
    """Whether ``entry`` (a dimension or item of published results) shows ``figure``.

    The mirror and the assessor's comparison put two waves' published figures
    side by side and compute nothing from a figure either wave withheld (each
    wave under its own ``min_group_size``), so a difference can never reveal
    what one of them kept back.
    """
    return entry is not None and not entry.get("withheld") and entry.get(figure) is not None
