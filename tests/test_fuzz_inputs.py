"""Mutated inputs: ``cxsite validate`` says ok or lists problems, never crashes (property-based).

Each example takes the valid tiny project, replaces (or removes) one value
anywhere in its questionnaire or engagement, or one cell of its responses,
with a random scalar, list, mapping, huge or non-finite number, date,
unicode or empty text, and runs the CLI in-process. Validation must exit 0
or 1 without a traceback; when it passes, scoring must succeed and its JSON
hold no NaN or Infinity.
"""

import csv
import datetime as dt
import io
import json
import shutil

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import PROJECTS

TINY = PROJECTS / "tiny"
Q = "assessments/tiny.yml"
E = "engagements/tiny-2026/engagement.yml"
R = "engagements/tiny-2026/responses.csv"

numbers = st.one_of(
    st.integers(), st.integers(min_value=-10**45, max_value=10**45), st.sampled_from([0, 1, -1, 2, 10**10]),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([1e308, -1e-308, 0.5, 2026.10]),
)
texts = st.one_of(st.text(max_size=12), st.sampled_from(["", " ", "N/A", "Agree", "0", "yes", "2026-02-30",
                                                         "1e400", "é", "\u202e", "x" * 300]))
scalars = st.one_of(st.none(), st.booleans(), numbers, texts, st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(texts | st.integers(), inner, max_size=3)),
                      max_leaves=6)


def paths(node, prefix=()):
    """Every place in a loaded YAML document: key paths to mappings' values and list entries."""
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from paths(v, prefix + (i,))


def mutate(doc, path, value, delete: bool):
    if not path:
        return value
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return doc


# Written into the YAML text unquoted, as a person would type them: what YAML
# makes of these (a float, an octal, base 60, a bad date, a tag) is the point.
RAW = ["2026-02-30", "2026-13-01", "2026-06-30 25:00:00", "1e400", "1.0e+400", ".nan", "-.inf", "0x1F", "007",
       "1:30", "~", "yes", "off", "2026.10", "[]", "{}", "[1, [2]]", "!!binary eHg=", "!!float 3", "1" * 5000,
       "-1", "0", "10000000000", "'  '", "\"\\x00\"", "é", "&a x", "*a"]


@st.composite
def mutations(draw):
    target = draw(st.sampled_from([Q, E, R]))
    if target != R and draw(st.booleans()):
        lines = (TINY / target).read_text().splitlines()
        places = [i for i, line in enumerate(lines) if ": " in line and not line.lstrip().startswith("#")]
        i = draw(st.sampled_from(places))
        key, _, rest = lines[i].partition(": ")
        if rest.startswith("{") and ", " in rest:  # one entry of a flow mapping: {1: a, 2: b}
            parts = rest.split(", ")
            j = draw(st.integers(0, len(parts) - 1))
            k, _, v = parts[j].partition(": ")
            parts[j] = f"{k}: {draw(st.sampled_from(RAW))}" + ("}" if v.endswith("}") else "")
            lines[i] = f"{key}: {', '.join(parts)}"
        else:
            lines[i] = f"{key}: {draw(st.sampled_from(RAW))}"
        return target, "\n".join(lines) + "\n"
    if target == R:
        rows = list(csv.reader(io.StringIO((TINY / R).read_text())))
        r = draw(st.integers(0, len(rows) - 1))
        c = draw(st.integers(0, len(rows[0]) - 1))
        rows[r][c] = str(draw(scalars))
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        return target, out.getvalue()
    doc = yaml.safe_load((TINY / target).read_text())
    path = draw(st.sampled_from(sorted(paths(doc), key=repr)))
    delete = bool(path) and draw(st.booleans()) and draw(st.booleans())
    doc = mutate(doc, path, draw(values), delete)
    return target, yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def no_nan(text):
    def refuse(name):
        raise AssertionError(f"{name} in the results JSON")
    return json.loads(text, parse_constant=refuse)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(change=mutations())
def test_mutated_inputs_are_accepted_or_refused_never_crash(tmp_path_factory, cli, change):
    root = tmp_path_factory.mktemp("fuzz") / "tiny"
    shutil.copytree(TINY, root)
    target, content = change
    (root / target).write_text(content, encoding="utf-8")
    code, _, err = cli("--project", root, "validate")
    assert code in (0, 1) and "Traceback" not in err, err
    if code == 1:
        assert err.splitlines()[0].split(":")[0] in (Q, E, R), err
        return
    code, out, err = cli("--project", root, "score", "tiny-2026")
    assert code == 0, err
    no_nan(out)
