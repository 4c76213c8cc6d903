"""A TOML file that cannot be read, said in an officer's words: the line, its text, what to do."""

from __future__ import annotations

import re
import tomllib

from perfreport.core.visible import visible

# tomllib ends each message with where: "(at line 3, column 5)" or "(at end of document)".
_WHERE = re.compile(
    r"^(?P<what>.*?) \((?:at line (?P<line>\d+), column (?P<column>\d+)|at end of document)\)$",
    re.DOTALL,
)
# The most of a line shown in the message (a report file's prose can run to a paragraph).
LINE_SHOWN = 80
# The most lines looked back through for where something left open at the end began.
_LOOK_BACK = 1000

_SETTING = 'Write each setting on a line of its own as name = value (text in double quotes: name = "Somerset Council")'
_QUOTES = (
    'Text needs double quotes around it, typed straight (" as Notepad types them, not the '
    "curly “ ” Word makes); true and false are lower case; a number has no commas"
)
_UNCLOSED = {
    "Unterminated string": 'A text value has no closing " quote: end it on the same line',
    "Unclosed array": "A list that opens with [ is not closed with ]",
    "Unclosed inline table": "A { … } is not closed with }",
}
_BACKSLASH = (
    "In double quotes a \\ starts a special character: write a Windows path in single quotes "
    "('C:\\Performance\\template.docx') or with forward slashes (\"C:/Performance/template.docx\")"
)


def toml_problem(text: str, error: tomllib.TOMLDecodeError) -> str:
    """Where ``text`` (a TOML file's content) cannot be read and what to do, from tomllib's
    ``error``: "line 5 cannot be read at column 6: 'name Somerset Council'. Write each setting
    …". The line's text is shown with hidden characters written out (core.visible)."""
    message = str(error)
    match = _WHERE.match(message)
    what = match["what"] if match else message
    lines = text.splitlines()
    if match and match["line"]:
        number, column = int(match["line"]), int(match["column"])
    else:  # at the end of the file: where what is left open began, else the last line
        number, column = _opened_at(lines, what), 0
    line = lines[number - 1] if 0 < number <= len(lines) else ""
    advice = _advice(what, line, column)
    if not number:
        return f"cannot be read at its end. {advice}."
    at = f" at column {column}" if column else ""
    return f"line {number} cannot be read{at}: '{_shown_line(line)}'. {advice}."


def _opened_at(lines: list[str], what: str) -> int:
    """The line at which the thing left open at the end (a quote, a [ or {) began: the first of
    the last run of lines at which the file, cut short there, is left open; else the last line
    that is not blank (0 when there is none)."""
    last = next((n for n in range(len(lines), 0, -1) if lines[n - 1].strip()), 0)
    if what not in _UNCLOSED or len(lines) > _LOOK_BACK:
        return last
    start = last
    while start > 1 and _ends_open("\n".join(lines[: start - 1])):
        start -= 1
    return start


def _ends_open(text: str) -> bool:
    """Whether ``text`` reads well up to its end and is left open there (the words differ:
    "[1," is an "Invalid value" at the end, "[1,\n2" an "Unclosed array")."""
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return str(error).endswith("(at end of document)")
    return False


def _shown_line(line: str) -> str:
    shown = visible(line.strip())
    return shown if len(shown) <= LINE_SHOWN else shown[: LINE_SHOWN - 1] + "…"


def _advice(what: str, line: str, column: int) -> str:
    """What to do, for the common messages of tomllib; the message itself for the rest."""
    rest = line[column - 1 :].strip() if column else ""
    if what == "Expected '=' after a key in a key/value pair":
        return (
            f"{_SETTING}. A name is one word: join words with _ or -, or put the name in "
            "double quotes"
        )
    if what == "Invalid value":
        if rest[:1] in "“”‘’":
            return (
                'Type the quotes straight (" as Notepad types them), not the curly “ ” Word makes'
            )
        if rest[:4] in ("True", "TRUE") or rest[:5] in ("False", "FALSE"):
            return "Write true or false in lower case"
        name = line.partition("=")[0].strip()
        if rest[:1].isalpha() and "=" in line and name:
            value = _shown_line(rest.replace('"', ""))
            return (
                f'Text needs double quotes around it, typed straight: {visible(name)} = "{value}"'
            )
        return _QUOTES
    if what == "Expected newline or end of document after a statement":
        before = line[: column - 1].rstrip() if column else ""
        if re.search(r"=\s*[\d.]+$", before) and rest[:1] in ",%/-":
            return (
                "A number has no commas (20000000), and text such as a date or a percentage "
                'goes in double quotes ("18/10/2024", "5%")'
            )
        return (
            "There is more on the line after the value: keep one setting to a line, put text "
            "in double quotes (an ' inside text in single quotes ends it), and start a comment "
            "with #"
        )
    if what in _UNCLOSED:
        return _UNCLOSED[what]
    if what == "Illegal character '\\n'":
        return 'A text value has no closing " quote: end it on the same line'
    if what.startswith("Illegal character"):
        return (
            "The line holds a character that cannot be in the file (shown written out): delete it"
        )
    if what == "Expected ']' at the end of a table declaration":
        return "A section's heading is its name in square brackets: [returns]"
    if what == "Expected ']]' at the end of an array declaration":
        return "A list entry's heading is its name in double square brackets: [[priorities]]"
    if what.startswith(("Cannot declare", "Cannot redefine", "Cannot mutate", "Cannot overwrite")):
        return (
            "This section or setting is given twice (or as both a section and a setting): "
            "keep one, and merge what the other says into it"
        )
    if what.startswith("Duplicate inline table key"):
        return "A name is given twice inside { … }: keep one"
    if (
        what
        in (
            "Unescaped '\\' in a string",
            "Invalid hex value",
            "Escaped character is not a Unicode scalar value",
        )
        or what.startswith("Found invalid character")
        or what.startswith("Expected '")
    ):
        if "\\" in line:
            return _BACKSLASH
    if what in ("Invalid statement", "Invalid initial character for a key part"):
        return (
            f"A line is a setting (name = value), a section's heading ([returns]), a comment "
            f"(starting with #) or blank. {_SETTING}"
        )
    if what == "Invalid date or datetime":
        return 'Put the date in double quotes: "18 October 2024"'
    return f"The TOML reader says: {visible(what)}. {_SETTING}"
