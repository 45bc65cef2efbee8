"""Text made safe to open in a spreadsheet: no cell of an export can become a formula.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or a
carriage return before one) as a formula. A CSV cell is not always opened as one cell:
a spreadsheet set to a semicolon locale splits ``x;=1+1`` at the semicolon, and some
programs split at tabs or line breaks inside a quoted cell, so the piece after the
break starts a cell of its own. Every such start gets an apostrophe, which makes the
spreadsheet show the text as typed. The export is then safe to open, but not a faithful
copy: the log itself keeps exactly what was typed.
"""

from __future__ import annotations

import re

# A formula character at the start of a cell, or after a semicolon, a tab or a line
# break (and any spaces): wherever some spreadsheet may start a new cell.
_CELL_START = re.compile(r"(^|[;\t\r\n] *)(?=[=+\-@])")


def spreadsheet_text(cell: str) -> str:
    """``cell`` with an apostrophe before every place a spreadsheet could read a
    formula from: its start, and the start of each piece a semicolon, tab or line break
    might split off."""
    if cell.startswith(("\t", "\r")):
        cell = "'" + cell  # a leading tab or carriage return hides what follows
    return _CELL_START.sub(lambda match: match[1] + "'", cell)
