"""Reading a whole JSON document with progress, refusing a malformed or truncated one."""

import json

from django.utils.translation import gettext as _

from biys.secops.parsers.base import CountingReader, ReportError

CHUNK = 256 * 1024


def read_all(stream, *, size, progress) -> bytes:
    reader = CountingReader(stream, size, progress)
    parts = []
    while chunk := reader.read(CHUNK):
        parts.append(chunk)
    return b"".join(parts)


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ReportError(_("The file is not UTF-8 text.")) from error


def load(content: str, *, line_offset: int = 0):
    try:
        return json.loads(content)
    except json.JSONDecodeError as error:
        raise ReportError(
            _("The file is not valid JSON or is incomplete (line %(line)s).")
            % {"line": error.lineno + line_offset}
        ) from error
