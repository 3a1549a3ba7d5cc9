"""User text inside Markdown: names, values and notes escaped so they show literally.

Markdown renders ``![x](http://host/p.png)`` as an image the browser fetches and ``**big**`` as
bold. `plain` backslash-escapes every character that can open a Markdown construct — emphasis,
code, links and images, raw HTML and entities, Streamlit's ``:red[…]`` colours, ``:icon:``
shortcodes and ``$math$`` — and the characters that only mean something at the start of a line
(headings, lists, quotes) where they stand there. Other punctuation is left as it is, so ordinary
sentences read the same in the source. The pages (through `pages.components.text`) and the
Markdown model card of the report escape with it alike.
"""

import re

# Anywhere in the text: characters that open a construct wherever they stand; an underscore
# only where it touches no letter or digit on one side (inside a word, as in pixel_0, it cannot);
# a colon before a letter, which could start :red[…] or :smile:. (A ">" only quotes at the start
# of a line, and escaping it right after a bare URL would show the backslash.)
_ANYWHERE = re.compile(r"([\\`*\[\]<~$|&]|(?<![^\W_])_|_(?![^\W_])|:(?=[A-Za-z]))")
# Shortcodes Streamlit turns into emoji or icons (:smile:, :material/home:): both colons and any
# slash need escaping, or the renderer still finds the code.
_SHORTCODE = re.compile(r"\\:[\w+-]+(?:/[\w+-]+)*:")
# At the start of a line (after spaces): headings, list items, quotes, setext underlines, numbered lists.
_LINE_START = re.compile(r"^(\s*)([#+\-=>]|\d+(?=[.)]))", re.MULTILINE)


def plain(value: object) -> str:
    """Return the value's text with Markdown escaped, to show it literally inside Markdown."""
    return _LINE_START.sub(lambda m: m.group(1) + _escape_start(m.group(2)), _escape_inline(str(value)))


def plain_inline(value: object) -> str:
    """Return the value as one line of escaped Markdown, for text that stands inside a line (a cell, after a label).

    Line breaks become spaces, so nothing in it can start a line of its own, and the line-start
    escapes `plain` adds (``1\\.``) are not needed.

    >>> plain_inline("0.705 ![x](http://e/x.png)\\n# heading")
    '0.705 !\\\\[x\\\\](http://e/x.png) # heading'
    """
    return _escape_inline(" ".join(str(value).split()))


def _escape_inline(text: str) -> str:
    escaped = _ANYWHERE.sub(r"\\\1", text)
    return _SHORTCODE.sub(lambda m: m.group(0)[:-1].replace("/", "\\/") + "\\:", escaped)


def _escape_start(opening: str) -> str:
    # "1." becomes "1\." (a number followed by an escaped dot cannot open a list).
    return "\\" + opening if not opening[0].isdigit() else opening + "\\"


def code(value: object) -> str:
    """Return the value as an inline code span, shown literally whatever backticks it holds."""
    text = str(value)
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
