"""``cxsite diff`` and ``cxsite export``: thin subcommands over :mod:`qdiff` and :mod:`exports`.

Kept apart from :mod:`cli` so that the main command module stays small;
their grammar is in :mod:`cli_parser`, and ``cli.COMMANDS`` names them.
"""

from __future__ import annotations

import json
import sys
from .cli_parser import project_root


def cmd_diff(args) -> int:
    """Print what changed from ``ID@A`` to ``ID@B`` and the version bump it needs."""
    from .qdiff import as_dict, as_text, compare
    from .versions import resolve

    root = project_root(args)
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

    root = project_root(args)
    q = resolve(root, args.questionnaire, args.questionnaire)
    from .outputs import write_output

    write_output(root, args.output, export_text(q, args.to, args.audience), "survey.json")
    return 0
