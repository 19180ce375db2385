"""Every message the bot builds, in one layer: patient notices, the staff card, the digest,
alerts, the journal, delivery notes, and the buttons they carry.

Builders here are pure: they take what was read and return HTML, in the locale active when
they are called (`AppContext.speaking`). They run no queries and change nothing, so
handlers, delivery and the scheduler use the same ones.
"""

from __future__ import annotations


def N_(text: str) -> str:
    """Marks a string for the catalogue; it is translated where it is shown."""
    return text
