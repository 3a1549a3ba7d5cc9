"""The rules a free tag on an error follows."""

MAX_TAG = 60
TAG_EMPTY = "The tag is empty or only spaces. Type a word or two, for example “blurry”."
TAG_TOO_LONG = f"The tag is longer than {MAX_TAG} characters. Shorten it: a tag names a kind of error."
NO_ROWS = "No rows are selected. Pick the rows to tag in the table first."


def clean_tag(text: str) -> str:
    """Return the tag with spaces collapsed; raise ValueError when it is blank or too long."""
    cleaned = " ".join(str(text or "").split())
    if not cleaned:
        raise ValueError(TAG_EMPTY)
    if len(cleaned) > MAX_TAG:
        raise ValueError(TAG_TOO_LONG)
    return cleaned
