"""Log formats: one small class per format (``biys.logs5651.parsers.<vendor>``), registered
by key. A source names its parser's key."""

from biys.logs5651.parsers import (  # noqa: F401  (each registers its parsers)
    dnsmasq,
    fortigate,
    isc,
    kea,
    mikrotik,
    pfsense,
    windows,
)
from biys.logs5651.parsers.base import (
    Line,
    Parser,
    ParseResult,
    Session,
    get_parser,
    parse_data,
    parse_lines,
    parser_keys,
    register_parser,
    split_lines,
)

__all__ = [
    "PARSER_CHOICES",
    "Line",
    "ParseResult",
    "Parser",
    "Session",
    "get_parser",
    "parse_data",
    "parse_lines",
    "parser_keys",
    "register_parser",
    "split_lines",
]

# The choices of LogSource.parser (in the migrations too: a new parser is a new migration).
PARSER_CHOICES = [(key, get_parser(key).label) for key in parser_keys()]
