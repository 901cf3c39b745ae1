"""The engagement a user names: by its id (its folder's name) or by its folder.

Every command that takes ``ENGAGEMENT`` (``score``, ``import``, ``build
--engagement``, the plugin's ``engagements:``) resolves it here, so that each
accepts the same spellings and refuses the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError, did_you_mean, one_of

if TYPE_CHECKING:
    from .load import Project
    from .model import Engagement

ENGAGEMENTS = "engagements"  # the project's folder of engagement folders


def engagement_folder(root: Path, eid: str) -> Path:
    """Where the engagement ``eid`` of the project at ``root`` lives."""
    return root / ENGAGEMENTS / eid


def given_id(given: str | Path) -> str:
    """The engagement id ``given`` names: a folder's name (see :func:`find_engagement`), else ``given`` itself."""
    path = Path(given)
    return path.resolve().name if path.is_dir() or len(path.parts) > 1 else str(given)


def find_engagement(project: Project, given: str | Path) -> Engagement:
    """The engagement ``given`` names, or a located error listing the ones there are.

    A folder that exists, or a path of more than one part, names an engagement
    by its folder, and must be the project's own: ``other/engagements/acme``
    is not this project's ``acme``. Anything else is an id.

    Raises
    ------
    InputError
        No engagement has that id, or the folder is not the project's.
    """
    path = Path(given)
    by_folder = path.is_dir() or len(path.parts) > 1
    eid = given_id(given)
    engagement = project.engagements.get(eid)
    if engagement is None:
        raise InputError(str(given), f"no engagement '{eid}'{did_you_mean(eid, project.engagements)}; "
                                     f"expected one of {one_of(sorted(project.engagements))}")
    if by_folder and path.resolve() != engagement.folder.resolve():
        raise InputError(str(given), f"this folder is not the project's engagement '{eid}' "
                                     f"({engagement.folder}); pass that folder")
    return engagement
