"""User and data text (column names, group values, reviewer names) shown literally inside Markdown."""

import re

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def literal(text: object) -> str:
    """Return the text with every Markdown and HTML character escaped, so it shows as typed.

    >>> literal("**F** <b>")
    '\\\\*\\\\*F\\\\*\\\\* \\\\<b\\\\>'
    """
    return MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
