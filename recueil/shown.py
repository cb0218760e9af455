"""Text from cards, shown in a terminal or a CI log: it can never forge a line, a colour or an annotation.

A card is written by a stranger. Whatever of it a message quotes (a value, a file name, an address)
is shown here, once: control characters become visible escapes (`\\x1b`, `\\n`, `\\r`), so a value
can neither start a new line of output, nor move the cursor, erase a line or colour the terminal.
`Problem` passes every field through `shown`, and the `recueil` command writes all its output
through `SafeStream`; a GitHub workflow command escapes its values as GitHub documents
(`annotation`).
"""

from __future__ import annotations

import re
from typing import Any, TextIO

# C0 (but tab), DEL, C1, the line and paragraph separators, and the bidirectional controls that
# make a text read otherwise than it is written.
CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
# What a stream written by the `recueil` command may not carry: the same, but its own line ends.
CONTROL_BUT_NEWLINE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
NAMED = {"\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in NAMED:
        return NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: str) -> str:
    """The text on one line, every control character as a visible escape: `\\x1b[2K` prints as is."""
    return CONTROL.sub(_escape, text)


def shown_lines(text: str) -> str:
    """The same, keeping the line ends (for output made of several lines)."""
    return CONTROL_BUT_NEWLINE.sub(_escape, text)


def github_data(text: str) -> str:
    """A value in the message of a GitHub workflow command: `%`, CR and LF escaped as GitHub documents."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """A value of a property (`file=`, `line=`) of a workflow command: also `:` and `,`."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(level: str, path: str, line: int, message: str) -> str:
    """`::error file=…,line=…::message`, every value escaped: one annotation, never two."""
    return f"::{level} file={github_property(shown(path))},line={line}::{github_data(shown(message))}"


class SafeStream:
    """A text stream that writes what it is given with control characters shown (line ends kept).

    The `recueil` command replaces sys.stdout and sys.stderr with it while it runs: whatever a
    message of any command quotes, no escape sequence reaches the terminal.
    """

    def __init__(self, stream: TextIO):
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(shown_lines(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)
