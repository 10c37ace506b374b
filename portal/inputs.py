"""Text from outside, normalised at the edge (the JSON parser of the API, one middleware for query strings
and forms), so no view, service or database driver meets a character it cannot handle.

- A lone UTF-16 surrogate (JSON "\\ud800") cannot be encoded as UTF-8: SQLite and PostgreSQL drivers fail
  with UnicodeEncodeError, and so does Django's debug page. It becomes U+FFFD, as a decoder does with
  invalid input.
- C0 control characters other than tab, LF and CR are removed (they print as nothing, and break
  iCalendar, CSV and XML). NUL is kept in bodies: the fields answer "Null characters are not allowed."
  with a 400 (PostgreSQL refuses it in text), so the sender learns which field was wrong; from a query
  string (a filter, a feed's title) it is removed like the others.
"""

import re

from django.http import QueryDict

_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_AND_NUL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# How deep a JSON body may nest: the deepest payload we accept is {"items": [{"field": [...]}]}.
MAX_JSON_DEPTH = 32


def normalise_text(text: str, *, keep_nul: bool = True) -> str:
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    control = _CONTROL if keep_nul else _CONTROL_AND_NUL
    if control.search(text):
        text = control.sub("", text)
    return text


def normalise_data(value):
    """The same structure with every str (keys too) normalised; iterative-safe for depth ≤ MAX_JSON_DEPTH."""
    if isinstance(value, str):
        return normalise_text(value)
    if isinstance(value, dict):
        return {normalise_data(k): normalise_data(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise_data(v) for v in value]
    return value


def normalise_querydict(qd: QueryDict, *, keep_nul: bool = True) -> QueryDict:
    """A copy of `qd` with every key and value normalised (the same object when nothing changes)."""
    control = _CONTROL if keep_nul else _CONTROL_AND_NUL

    def needs(text: str) -> bool:
        return bool(_SURROGATE.search(text) or control.search(text))

    if not any(needs(k) or any(needs(v) for v in qd.getlist(k)) for k in qd):
        return qd
    out = QueryDict(mutable=True, encoding=qd.encoding)
    for key in qd:
        out.setlist(
            normalise_text(key, keep_nul=keep_nul), [normalise_text(v, keep_nul=keep_nul) for v in qd.getlist(key)]
        )
    out._mutable = False
    return out


_KEEP = bytes(range(256)).translate(None, b'[]{}"')


def json_depth_exceeds(raw: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether a JSON text nests deeper than `limit`, found before parsing it (the parser recurses and fails
    with RecursionError at a few thousand levels). Linear: escapes are dropped and only brackets and quotes
    kept, at C speed, then one pass counts the brackets outside strings."""
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return False
    # Left to right, "\\" is an escaped backslash and "\"" an escaped quote: neither delimits a string.
    structure = raw.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, _KEEP)
    depth = 0
    in_string = False
    for byte in structure:
        if byte == 0x22:
            in_string = not in_string
        elif in_string:
            continue
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False
