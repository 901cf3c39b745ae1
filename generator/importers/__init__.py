"""Survey-tool exports and assessor ratings into an engagement's responses.

``import_export`` is the whole public surface (``cxsite import`` wraps it):

- :mod:`.tables`: bytes to rows (encodings, separators, .xlsx);
- :mod:`.detect`: which tool wrote the export, and its header rows;
- :mod:`.columns`: what each column is (question, segment, metadata, personal);
- :mod:`.values`: answers and times as tools write them;
- :mod:`.quality`: the engagement's keep/exclude rules;
- :mod:`.output`: responses.csv, import-report.md, import-quality.json, atomically;
- :mod:`.core`: the import itself.
"""

from .core import ImportResult, import_export
from .detect import TOOLS

__all__ = ["ImportResult", "import_export", "TOOLS"]
