"""What a received file says about itself besides its sheets: the workbook's saved time."""

from __future__ import annotations

import io
import zipfile

from defusedxml import ElementTree

CORE_PART = "docProps/core.xml"
MODIFIED = "{http://purl.org/dc/terms/}modified"
MAX_CORE_BYTES = 100_000


def saved_time(content: bytes) -> str:
    """The time the workbook says it was last saved (docProps/core.xml), or '' when none.

    Only read after the safety checks passed; anything odd gives '' rather than an error:
    the saved time is for information, the received time is what counts.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            part = archive.getinfo(CORE_PART)
            if part.file_size > MAX_CORE_BYTES:
                return ""
            root = ElementTree.fromstring(archive.read(part))
    except Exception:  # a damaged or hostile part: the time is simply unknown
        return ""
    found = root.find(MODIFIED)
    return (found.text or "").strip()[:32] if found is not None else ""
