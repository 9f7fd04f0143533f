"""Normalised keys used to recognise the same person or room typed two ways."""
import unicodedata

# The key columns' lengths (planning/models.py). Case folding can lengthen text
# ('ß' → 'ss') and a room key joins address and room, so a key is cut to its
# column: two names alike in their first 200 folded characters are alike enough.
NAME_KEY_LENGTH, ROOM_KEY_LENGTH = 200, 700


def normalise_text(value: str) -> str:
    """NFC, collapsed whitespace, stripped: how every name is stored.

    Vietnamese text arrives both precomposed (NFC) and decomposed (NFD, e.g. from
    macOS or some Excel exports); 'Nguyễn' must compare equal either way.
    """
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def name_key(full_name: str) -> str:
    return normalise_text(full_name).casefold()[:NAME_KEY_LENGTH]


def room_key(address: str, room: str) -> str | None:
    """None when no room is given: an unnamed room cannot clash."""
    room_part = normalise_text(room).casefold()
    if not room_part:
        return None
    return f"{normalise_text(address).casefold()}|{room_part}"[:ROOM_KEY_LENGTH]
