"""``cxsite diff`` and ``cxsite export``: thin subcommands over :mod:`qdiff` and :mod:`exports`.

Kept apart from :mod:`cli` so that the main command module stays small; it
registers them with :func:`add_commands`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def _root(args) -> Path:
    return Path(args.project).resolve() if args.project else Path.cwd()


def cmd_diff(args) -> int:
    """Print what changed from ``ID@A`` to ``ID@B`` and the version bump it needs."""
    from .qdiff import as_dict, as_text, compare
    from .versions import resolve

    root = _root(args)
    old, new = resolve(root, args.old, args.old), resolve(root, args.new, args.new)
    diff = compare(old, new)
    if args.format == "json":
        sys.stdout.write(json.dumps(as_dict(diff), indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(as_text(diff))
    return 0


def cmd_export(args) -> int:
    """Write ``ID[@VERSION]`` in a survey tool's import format, to stdout or ``-o FILE``."""
    from .exports import export_text
    from .versions import resolve

    root = _root(args)
    q = resolve(root, args.questionnaire, args.questionnaire)
    text = export_text(q, args.to, args.audience)
    if args.output:
        from .outputs import protected_paths, refuse_project_data, write_file

        # Beside the questionnaires or responses, -o must not become one of them.
        refuse_project_data(Path(args.output), protected_paths(root), args.output, "the output file",
                            "write the export outside the project's data, such as survey.json")
        write_file(Path(args.output), text, args.output)
    else:
        sys.stdout.write(text)
    return 0


def add_commands(sub) -> None:
    """Register ``diff`` and ``export`` on the ``cxsite`` parser's subcommands."""
    from .exports import FORMATS

    d = sub.add_parser("diff", help="what changed between two questionnaire versions, and the bump it needs")
    d.add_argument("old", metavar="ID@A", help="questionnaire id and version, e.g. service-culture@1.0.0")
    d.add_argument("new", metavar="ID@B", help="the other version (ID alone: the newest)")
    d.add_argument("--format", choices=("text", "json"), default="text",
                   help="json: {from, to, bump, version_bump, allowed, added, removed, reworded, rekeyed, "
                        "rescaled, moved, compared, items, bands, other}")
    d.set_defaults(func=cmd_diff)

    e = sub.add_parser("export", help="a questionnaire in a survey tool's import format, for fielding")
    e.add_argument("questionnaire", metavar="ID[@VERSION]", help="questionnaire id, optionally pinned")
    e.add_argument("--to", required=True, choices=FORMATS, help="the format to write")
    e.add_argument("--audience", choices=("staff", "customers"),
                   help="whose wording: staff (text) or customers (customer_text); default: the questionnaire's")
    e.add_argument("-o", "--output", metavar="FILE")
    e.set_defaults(func=cmd_export)

