"""The escaping helper: every Markdown construct neutralised, and the text reads back exactly as typed."""

import random
import string

import pytest

from pages.components.text import code, plain
from tests.pages.conftest import read_as_shown


@pytest.mark.parametrize("text, escaped", [
    ("![x](http://h/p.png)", "!\\[x\\](http://h/p.png)"),
    ("**b** `c` ~s~ $x$ <b> &amp; a|b", "\\*\\*b\\*\\* \\`c\\` \\~s\\~ \\$x\\$ \\<b> \\&amp; a\\|b"),
    (":red[r] :smile: :material/home:", "\\:red\\[r\\] \\:smile\\: \\:material\\/home\\:"),
    ("# h\n- item\n+ item\n> quote\n1. one\n2) two\n===", "\\# h\n\\- item\n\\+ item\n\\> quote\n1\\. one\n2\\) two\n\\==="),
    ("_i_ __u__ pixel_0 snake_case", "\\_i\\_ \\_\\_u\\_\\_ pixel_0 snake_case"),
    ("Note: a, b. (c) 12:30 - ok!", "Note: a, b. (c) 12:30 - ok!"),  # ordinary sentences stay as they are
    ("a\\*b", "a\\\\\\*b"),
])
def test_known_answers(text, escaped):
    assert plain(text) == escaped


def test_any_text_reads_back_as_typed():
    rng = random.Random(0)
    alphabet = string.ascii_letters + string.digits + string.punctuation + " \n"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert read_as_shown(plain(text)) == text


@pytest.mark.parametrize("text, span", [
    ("recall[sex=F] >= 0.8", "`recall[sex=F] >= 0.8`"),  # a code span keeps >= from becoming ≥
    ("a`b", "``a`b``"),  # a fence longer than any backtick run inside
    ("`x``", "``` `x`` ```"),
])
def test_code_spans_hold_any_text(text, span):
    assert code(text) == span
