"""Streaming XML for the scanner parsers: no DOCTYPE (so no entity expansion or external
entity), elements dropped once read, a truncated file refused with its line."""

import contextlib
from collections.abc import Iterator
from typing import BinaryIO
from xml.etree.ElementTree import Element, ParseError, XMLPullParser

from django.utils.translation import gettext as _

from biys.secops.parsers.base import CountingReader, Progress, ReportError

CHUNK = 256 * 1024


def events(stream: BinaryIO, *, size: int, progress: Progress | None
           ) -> Iterator[tuple[str, Element, list[Element]]]:  # fmt: skip
    """``(event, element, stack)`` for every start and end; ``stack`` holds the open ancestors
    (the element itself last on ``start``, removed on ``end``)."""
    reader = CountingReader(stream, size, progress)
    parser = XMLPullParser(events=("start", "end"))
    stack: list[Element] = []
    first = True
    seen_root = False
    while True:
        chunk = reader.read(CHUNK)
        if first:
            head = chunk[:65536].upper()
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise ReportError(_("The file declares a DOCTYPE; scanner reports do not."))
            first = False
        try:
            if chunk:
                parser.feed(chunk)
            else:
                parser.close()
        except ParseError as error:
            line = error.position[0] if error.position else "?"
            raise ReportError(
                _("The file is not valid XML or is incomplete (line %(line)s).") % {"line": line}
            ) from error
        for event, element in parser.read_events():
            if event == "start":
                stack.append(element)
                seen_root = True
            else:
                stack.pop()
            yield event, element, stack
        if not chunk:
            break
    if not seen_root:
        raise ReportError(_("The file is empty."))


def drop(element: Element, stack: list[Element]) -> None:
    """Forget an element once read (memory stays flat on a large report)."""
    element.clear()
    if stack:
        with contextlib.suppress(ValueError):
            stack[-1].remove(element)


def child_text(element: Element, path: str) -> str:
    found = element.find(path)
    return (found.text or "").strip() if found is not None else ""
