"""User text shown as text: names, values and notes escaped before they meet Markdown.

Streamlit renders Markdown in st.markdown, captions, messages, metric labels and the labels of
buttons, radios, tabs and expanders (not in selectbox or multiselect options, and not in
tables). A project, column or class named ``![x](http://host/p.png)`` would make the browser
fetch that address, and ``**big**`` would turn bold. `plain` backslash-escapes every character
that can open a Markdown construct — emphasis, code, links and images, raw HTML and entities,
Streamlit's ``:red[…]`` colours, ``:icon:`` shortcodes and ``$math$`` — and the characters that
only mean something at the start of a line (headings, lists, quotes) where they stand there.
Other punctuation is left as it is, so ordinary sentences read the same in the page source.
"""

import streamlit as st

from core.markdown_text import code, plain

__all__ = ["code", "plain", "show_plain"]


def show_plain(value: object) -> None:
    """Draw user or file text literally, line by line: escaped Markdown with its line breaks kept."""
    st.markdown(plain(value).replace("\n", "  \n"))
