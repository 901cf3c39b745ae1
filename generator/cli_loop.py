"""``cxsite norms build`` and ``cxsite new actions``: the commands of closing the loop (see :mod:`cxsite.loop`)."""

from __future__ import annotations

from .cli_parser import project_root
from .errors import display_path


def cmd_norms_build(args) -> int:
    """Build a norm from the portfolio's latest waves of one questionnaire and write it to ``-o``."""
    from .norms_build import build_norm

    print(build_norm(project_root(args), args.questionnaire, args.output, synthetic=args.synthetic, note=args.note))
    return 0


def cmd_new_actions(args) -> int:
    """Write an engagement's ``actions.yml``, pre-filled from its two lowest-scoring dimensions."""
    from .actions import new_plan

    root = project_root(args)
    for path in new_plan(root, args.id):
        print(f"wrote {display_path(path, root)}")
    print("edit it (owners as roles, due dates, statuses), then run cxsite validate")
    return 0


def add_loop_commands(sub, common, kinds, command) -> None:
    """``norms build`` under ``sub`` and ``new actions`` under ``kinds`` (``new``'s subcommands)."""
    a = command(kinds, common, "actions", handler="new actions",
                says="engagements/ID/actions.yml: an action plan pre-filled with recommended actions")
    a.add_argument("id", metavar="ID", help="the engagement (a wave with results) the plan follows")
    n = sub.add_parser("norms", parents=[common], help="build an open norm from the practice's engagements")
    what = n.add_subparsers(dest="norms_command", required=True, metavar="ACTION")
    b = command(what, common, "build", handler="norms build",
                says="a norm of one questionnaire: each organisation's latest wave, unnamed")
    b.add_argument("questionnaire", metavar="ID[@VERSION]",
                   help="the questionnaire (any version of the same major takes part; default: the newest)")
    b.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="where to write the norm, e.g. benchmarks/<name>.yml (replaced only when the build succeeds)")
    b.add_argument("--synthetic", action="store_true",
                   help="the engagements are synthetic (made by cxsite.synth): said in the provenance")
    b.add_argument("--note", help="a sentence for the provenance")
