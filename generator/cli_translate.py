"""``cxsite translate``: its grammar and its thin command (the work: :mod:`cxsite.translate_po`).

Kept apart so that building the parser loads nothing of the core (no NumPy).
"""

from __future__ import annotations

from .choices import TRANSLATABLE
from .cli_parser import project_root
from .places import display_path


def cmd_translate(args) -> int:
    """``cxsite translate ID --lang LL``: the catalogue written, and what is left to translate."""
    from .translate_po import translate

    root = project_root(args)
    path, counts = translate(root, args.questionnaire, args.lang)
    done = "wrote" if counts["written"] else "up to date:"
    print(f"{done} {display_path(path, root)}: {counts['entries']} entries, {counts['untranslated']} "
          f"untranslated, {counts['fuzzy']} fuzzy")
    return 0


def add_translate_command(sub, common, command) -> None:
    """``translate`` under ``sub``, ``cxsite``'s subcommands."""
    t = command(sub, common, "translate", says="write or update a questionnaire's translation catalogue (.po)")
    t.add_argument("questionnaire", metavar="ID[@VERSION]",
                   help="the questionnaire (default: its newest version); the catalogue is written beside its "
                        "file as <file>.<lang>.po (a built-in one's in the project's assessments/)")
    t.add_argument("--lang", required=True, metavar="LANG",
                   help=f"the language: {', '.join(TRANSLATABLE)}. New texts are added "
                        "untranslated, changed ones marked fuzzy, removed ones dropped")
