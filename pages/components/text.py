"""User text shown as text: names, values and notes escaped before they meet Markdown.

Streamlit renders Markdown in st.markdown, captions, messages, metric labels and the labels of
buttons, tabs and expanders. A project, column or class named ``![x](http://host/p.png)``
would make the browser fetch that address, and ``**big**`` would turn bold. Every ASCII
punctuation character may be backslash-escaped in Markdown, and Streamlit's own extensions
(``:red[...]``, ``:material/icon:``, ``$math$``) start with punctuation too, so escaping all of
it leaves nothing for the renderer to interpret: the user sees exactly what was typed.
"""

import re

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character


def plain(value: object) -> str:
    """Return the value's text with Markdown escaped, to show it literally inside Markdown."""
    return _PUNCTUATION.sub(r"\\\1", str(value))
