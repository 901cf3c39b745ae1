"""The one clock: honours SOURCE_DATE_EPOCH so that builds are reproducible."""

from __future__ import annotations

import datetime as dt
import os

from .errors import InputError


def now() -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise InputError("SOURCE_DATE_EPOCH", f"expected whole seconds since 1970, got {epoch!r}") from None
    return dt.datetime.now(tz=dt.timezone.utc)
