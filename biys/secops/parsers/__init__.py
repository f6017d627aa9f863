"""One parser class per scanner format, and the choice of one for a file."""

from django.utils.translation import gettext as _

from biys.secops.parsers.base import ParsedFinding, Parser, ReportError
from biys.secops.parsers.nessus import NessusParser
from biys.secops.parsers.nuclei import NucleiParser
from biys.secops.parsers.openvas import OpenVASParser
from biys.secops.parsers.trivy import TrivyParser

# Sniffing order: the specific markers first (a Nessus file also starts with ``<``).
PARSERS: dict[str, type[Parser]] = {
    parser.format: parser for parser in (NessusParser, OpenVASParser, NucleiParser, TrivyParser)
}


def parser_for(format: str | None, head: bytes) -> Parser:
    """The parser of ``format``, or the one whose markers the file's first bytes carry."""
    if format:
        try:
            return PARSERS[format]()
        except KeyError:
            raise ReportError(_("Unknown report format %(format)r.") % {"format": format}) from None
    for parser in PARSERS.values():
        if parser.sniff(head):
            return parser()
    raise ReportError(
        _(
            "The format of this file was not recognised: upload OpenVAS/Greenbone XML, Nessus"
            " (.nessus), Trivy JSON or Nuclei JSON/JSONL, or choose the format."
        )
    )


__all__ = ["PARSERS", "ParsedFinding", "Parser", "ReportError", "parser_for"]
