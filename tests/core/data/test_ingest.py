import codecs
import dataclasses
import gzip
import io
import zipfile
from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from core.data import ingest
from core.data.ingest import IngestError, IngestResult, detect_delimiter, detect_encoding, read_table

PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x08\x00\x00\x00\x08\x08\x02\x00\x00\x00"


def _expected(data: bytes, **read_csv_options) -> pd.DataFrame:
    """The frame pandas itself reads, indexed the way ingest promises."""
    return pd.read_csv(io.BytesIO(data), **read_csv_options).rename_axis("row_id")


def _parquet_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer)
    return buffer.getvalue()


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data.csv", "a,b\n1,2\n")
    return buffer.getvalue()


def _error_message(data: bytes, filename: str = "data.csv", **options) -> str:
    with pytest.raises(IngestError) as caught:
        read_table(data, filename, **options)
    return str(caught.value)


# --- files that are refused ------------------------------------------------------


def test_empty_file_is_refused():
    assert _error_message(b"") == ingest.EMPTY_FILE


def test_file_over_the_limit_names_size_and_limit():
    message = _error_message(b"a,b\n" + b"1,2\n" * 383, max_bytes=1024)  # 1536 bytes
    assert message == ingest.FILE_TOO_LARGE.format(size="1.5 KB", limit="1.0 KB")


def test_file_over_a_megabyte_limit_reports_megabytes():
    data = b"a\n" + b"1\n" * (1024**2)
    message = _error_message(data, max_bytes=1024**2)
    assert message == ingest.FILE_TOO_LARGE.format(size="2.0 MB", limit="1.0 MB")


def test_header_only_is_refused():
    assert _error_message(b"a,b\n") == ingest.NO_DATA_ROWS


def test_blank_lines_only_is_refused():
    assert _error_message(b"\n\n  \n") == ingest.NO_COLUMNS


def test_ragged_row_reports_its_line_number():
    message = _error_message(b"a,b\n1,2\n3,4,5\n")
    assert message == ingest.RAGGED_ROWS.format(line=3, saw=3, expected=2, delimiter="comma")


def test_ragged_first_data_row_is_not_taken_as_an_index():
    # pandas would silently use the surplus first field as the index here.
    message = _error_message(b"a,b\n1,2,3\n4,5\n")
    assert message == ingest.RAGGED_ROWS.format(line=2, saw=3, expected=2, delimiter="comma")


def test_ragged_line_number_counts_blank_lines_as_lines():
    message = _error_message(b"a;b\n1;2\n\n3;4\n5;6;7\n")
    assert message == ingest.RAGGED_ROWS.format(line=5, saw=3, expected=2, delimiter="semicolon")


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PNG_HEADER, "a PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01", "a JPEG image"),
        (b"GIF89a\x08\x00\x08\x00\x80\x00\x00", "a GIF image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
        (_zip_bytes(), "a ZIP archive (Excel .xlsx workbooks are ZIP archives too)"),
        (gzip.compress(b"a,b\n1,2\n"), "a gzip-compressed file"),
    ],
)
def test_known_binary_formats_renamed_to_csv_are_refused(data, kind):
    assert _error_message(data, "x.csv") == ingest.BINARY_FILE.format(kind=kind)


def test_png_renamed_to_parquet_is_named_as_png():
    assert _error_message(PNG_HEADER, "x.parquet") == ingest.BINARY_FILE.format(kind="a PNG image")


def test_binary_with_nul_bytes_is_refused():
    data = bytes(np.random.default_rng(1).integers(0, 256, 2000, dtype=np.uint8))
    assert b"\x00" in data
    message = _error_message(data)
    assert message == ingest.BINARY_FILE.format(kind="binary data (it contains NUL bytes)")


def test_truncated_parquet_is_refused():
    data = _parquet_bytes(pd.DataFrame({"a": [1, 2, 3]}))
    assert _error_message(data[: len(data) // 2], "x.parquet") == ingest.CORRUPT_PARQUET


def test_parquet_with_damaged_body_is_refused():
    data = _parquet_bytes(pd.DataFrame({"a": [1, 2, 3]}))
    damaged = data[:4] + b"\xff" * (len(data) - 8) + data[-4:]
    assert _error_message(damaged, "x.parquet") == ingest.CORRUPT_PARQUET


def test_csv_named_parquet_is_refused_as_corrupt_parquet():
    assert _error_message(b"a,b\n1,2\n", "x.parquet") == ingest.CORRUPT_PARQUET


def test_utf16_csv_is_an_unknown_encoding():
    data = "name,city\nRené,Zürich\n".encode("utf-16")
    assert _error_message(data) == ingest.UNKNOWN_ENCODING


def test_utf16_without_byte_order_mark_is_an_unknown_encoding():
    data = "name,city\nRene,Zurich\n".encode("utf-16-le")
    assert _error_message(data) == ingest.UNKNOWN_ENCODING


def test_random_high_bytes_are_an_unknown_encoding():
    data = b"a,b\n" + bytes(np.random.default_rng(0).integers(0x80, 0x100, 500, dtype=np.uint8))
    # The scenario: not UTF-8, and holding bytes no cp1252 text contains.
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    with pytest.raises(UnicodeDecodeError):
        data.decode("cp1252")
    assert _error_message(data) == ingest.UNKNOWN_ENCODING


def test_repeated_column_names_are_renamed_like_pandas_and_said_in_the_notes():
    result = read_table(b"a,b,a,b,c,a\n1,2,3,4,5,6\n", "data.csv")
    assert list(result.frame.columns) == ["a", "b", "a.1", "b.1", "c", "a.2"]
    assert list(result.frame.iloc[0]) == [1, 2, 3, 4, 5, 6]  # every value kept, in place
    assert dict(result.repeats) == {"a": ("a.1", "a.2"), "b": ("b.1",)}
    renamed = "'a' → 'a.1', 'a.2'; 'b' → 'b.1'"
    assert ingest.refusals.RENAMED_NOTE.format(renamed=renamed) in result.notes
    # the same names pandas gives on its own
    assert list(pd.read_csv(io.BytesIO(b"a,b,a,b,c,a\n1,2,3,4,5,6\n")).columns) == list(result.frame.columns)


def test_a_renamed_repeat_skips_a_name_the_file_already_uses():
    result = read_table(b"a,a.1,a\n1,2,3\n", "data.csv")
    assert list(result.frame.columns) == ["a", "a.1", "a.2"]


def test_names_equal_after_stripping_spaces_are_repeats():
    result = read_table(b"a, a\n1,2\n", "data.csv")
    assert list(result.frame.columns) == ["a", "a.1"]
    assert ingest.refusals.STRIPPED_NOTE in result.notes


def test_dropping_identical_repeats_keeps_the_ones_that_differ():
    # Two columns repeat: 'score' with the same values, 'group' with different ones.
    data = b"id,score,group,score,group\n1,0.5,x,0.5,y\n2,0.7,x,0.7,x\n"
    result = ingest.drop_identical_repeats(read_table(data, "data.csv"))
    assert list(result.frame.columns) == ["id", "score", "group", "group.1"]
    assert list(result.frame["group.1"]) == ["y", "x"]
    assert ingest.IDENTICAL_DROPPED_NOTE.format(names="'score.1'") in result.notes
    assert ingest.DIFFERENT_KEPT_NOTE.format(names="'group.1'") in result.notes
    assert not any(note.startswith("Repeated column names renamed") for note in result.notes)


def test_dropping_identical_repeats_of_a_file_without_repeats_changes_nothing():
    result = read_table(b"a,b\n1,2\n", "data.csv")
    assert ingest.drop_identical_repeats(result) is result


def test_empty_column_name_reports_its_position():
    assert _error_message(b"a,,c\n1,2,3\n") == ingest.EMPTY_COLUMN_NAME.format(positions="2")


def test_blank_column_names_report_every_position():
    assert _error_message(b" ,b,  \n1,2,3\n") == ingest.EMPTY_COLUMN_NAME.format(positions="1, 3")


def test_unclosed_quote_is_refused_with_the_parser_detail():
    message = _error_message(b'a,b\n1,"x\n')
    assert message == ingest.CSV_UNREADABLE.format(detail="EOF inside string starting at row 1")


def test_unsupported_extension_is_refused():
    assert _error_message(b'{"a": 1}', "x.json") == ingest.UNSUPPORTED_TYPE.format(extension=".json")


def test_ingest_error_is_a_value_error():
    assert issubclass(IngestError, ValueError)


# --- files that are read ---------------------------------------------------------


def test_plain_csv_matches_pandas_with_a_row_id_index():
    data = b"x,y,label\n1.5,2,a\n,3,b\n4.25,,a\n"
    result = read_table(data, "data.csv")
    pd.testing.assert_frame_equal(result.frame, _expected(data))
    assert isinstance(result.frame.index, pd.RangeIndex)
    assert result.frame.index.name == "row_id"
    assert result.frame.index.dtype == np.int64
    assert (result.file_format, result.encoding, result.delimiter) == ("csv", "utf-8", ",")
    assert result.notes == ("Format: CSV", "Encoding detected: utf-8", "Delimiter detected: ','")


def test_result_is_frozen():
    result = read_table(b"a\n1\n", "a.csv")
    assert isinstance(result, IngestResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.encoding = "latin-1"


def test_latin1_csv_is_read_as_latin1():
    data = "name,city\nRené,Zürich\n".encode("latin-1")
    result = read_table(data, "people.csv")
    assert result.encoding == "latin-1"
    assert "Encoding detected: latin-1" in result.notes
    assert result.frame.loc[0, "name"] == "René"
    assert result.frame.loc[0, "city"] == "Zürich"


def test_latin1_byte_far_beyond_the_sniffed_head_is_found():
    data = b"id,word\n" + b"1,plain\n" * 20_000 + "2,café\n".encode("latin-1")
    result = read_table(data, "words.csv")
    assert result.encoding == "latin-1"
    assert result.frame["word"].iloc[-1] == "café"
    assert len(result.frame) == 20_001


def test_windows_1252_quotes_and_euro_are_read_as_cp1252():
    data = "item,price\n“tea”,€3\n".encode("cp1252")
    result = read_table(data, "prices.csv")
    assert result.encoding == "cp1252"
    assert list(result.frame.loc[0]) == ["“tea”", "€3"]


def test_utf8_bom_is_not_part_of_the_first_column_name():
    data = "id,value\n1,2\n".encode("utf-8-sig")
    result = read_table(data, "bom.csv")
    assert result.encoding == "utf-8-sig"
    assert list(result.frame.columns) == ["id", "value"]
    assert result.frame.loc[0, "id"] == 1


def test_utf8_character_split_across_validation_chunks_is_valid():
    prefix = b"a\n" + b"x" * (ingest.VALIDATE_CHUNK_BYTES - 4) + b"\n"
    data = prefix + "é\n".encode("utf-8")
    assert data[ingest.VALIDATE_CHUNK_BYTES - 1 : ingest.VALIDATE_CHUNK_BYTES + 1] == "é".encode("utf-8")
    result = read_table(data, "a.csv")
    assert result.encoding == "utf-8"
    assert result.frame["a"].iloc[-1] == "é"


def test_semicolon_delimiter_with_decimal_commas():
    data = b"name;price\nBob;1,5\nAl;2,75\n"
    result = read_table(data, "prices.csv")
    assert result.delimiter == ";"
    assert "Delimiter detected: ';'" in result.notes
    pd.testing.assert_frame_equal(result.frame, _expected(data, sep=";", decimal=","))


def test_tab_delimiter():
    data = b"a\tb\n1\t2\n3\t4\n"
    result = read_table(data, "data.tsv")
    assert result.delimiter == "\t"
    pd.testing.assert_frame_equal(result.frame, _expected(data, sep="\t"))


def test_pipe_delimiter_and_quoted_commas():
    data = b'id|note\n1|"a, b, c"\n2|d\n'
    result = read_table(data, "data.txt")
    assert result.delimiter == "|"
    assert list(result.frame["note"]) == ["a, b, c", "d"]


def test_delimiter_is_found_in_a_file_longer_than_the_sniffed_head():
    rows = "".join(f"{i};{i * 0.5};x{i % 7}\n" for i in range(10_000))
    data = ("a;b;c\n" + rows).encode()
    assert len(data) > ingest.SNIFF_BYTES
    result = read_table(data, "long.csv")
    assert result.delimiter == ";"
    pd.testing.assert_frame_equal(result.frame, _expected(data, sep=";"))


def test_single_column_file_has_no_detected_delimiter():
    result = read_table(b"a\n1\n2\n", "one.csv")
    assert list(result.frame["a"]) == [1, 2]
    assert "No delimiter found: read as a single column" in result.notes


def test_column_names_are_stripped():
    result = read_table(b" a ,\tb\n1,2\n", "x.csv")
    assert list(result.frame.columns) == ["a", "b"]
    assert "Surrounding spaces removed from column names" in result.notes


def test_leading_blank_lines_are_skipped():
    result = read_table(b"\n\na,b\n1,2\n", "x.csv")
    assert result.frame.to_dict("list") == {"a": [1], "b": [2]}


# --- Parquet -----------------------------------------------------------------------


def test_parquet_round_trip_with_range_index():
    frame = pd.DataFrame({"x": [1.5, 2.5, np.nan], "label": ["a", "b", "a"]})
    result = read_table(_parquet_bytes(frame), "data.parquet")
    pd.testing.assert_frame_equal(result.frame, frame.rename_axis("row_id"))
    assert (result.file_format, result.encoding, result.delimiter) == ("parquet", None, None)
    assert result.notes == ("Format: Parquet",)


def test_parquet_content_wins_over_a_csv_name():
    frame = pd.DataFrame({"x": [1, 2]})
    result = read_table(_parquet_bytes(frame), "mislabelled.csv")
    assert result.file_format == "parquet"
    assert list(result.frame["x"]) == [1, 2]


def test_parquet_named_index_becomes_a_column():
    frame = pd.DataFrame({"x": [1, 2]}, index=pd.Index(["u1", "u2"], name="user"))
    result = read_table(_parquet_bytes(frame), "data.pq")
    assert list(result.frame.columns) == ["user", "x"]
    assert list(result.frame["user"]) == ["u1", "u2"]
    assert list(result.frame.index) == [0, 1]
    assert "Stored index kept as columns: user" in result.notes


def test_parquet_unnamed_index_is_dropped():
    frame = pd.DataFrame({"x": [1, 2]}, index=[10, 20])
    result = read_table(_parquet_bytes(frame), "data.parquet")
    assert list(result.frame.columns) == ["x"]
    assert list(result.frame.index) == [0, 1]
    assert "Unnamed stored index dropped" in result.notes


def test_parquet_old_row_id_index_is_kept_as_a_column_beside_fresh_ids():
    # core.data.reupload takes it back as the row ids: a download uploaded again keeps its ids.
    frame = pd.DataFrame({"x": [1, 2]}, index=pd.Index([7, 3], name="row_id"))
    result = read_table(_parquet_bytes(frame), "data.parquet")
    assert list(result.frame.columns) == ["row_id", "x"] and list(result.frame["row_id"]) == [7, 3]
    assert list(result.frame.index) == [0, 1]
    assert "Stored index row_id kept as a column" in result.notes


def test_parquet_without_rows_is_refused():
    frame = pd.DataFrame({"a": pd.Series([], dtype="int64")})
    assert _error_message(_parquet_bytes(frame), "x.parquet") == ingest.NO_DATA_ROWS


def test_parquet_names_are_stripped_and_repeats_renamed():
    frame = pd.DataFrame([[1, 2]], columns=[" a", "a "])
    result = read_table(_parquet_bytes(frame), "x.parquet")
    assert list(result.frame.columns) == ["a", "a.1"] and list(result.frame.iloc[0]) == [1, 2]


def test_parquet_with_repeated_column_names_is_read_with_the_repeats_renamed():
    # pyarrow writes repeated names that pandas itself cannot read back ("cut off or damaged" before).
    table = pa.Table.from_arrays([pa.array([1, 2]), pa.array(["x", "y"]), pa.array([1, 2])],
                                 names=["a", "b", "a"])
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    result = read_table(buffer.getvalue(), "x.parquet")
    assert list(result.frame.columns) == ["a", "b", "a.1"]
    assert dict(result.repeats) == {"a": ("a.1",)}
    assert list(ingest.drop_identical_repeats(result).frame.columns) == ["a", "b"]


# --- detection helpers -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a,b\n1,2\n", (",", True)),
        ("a;b;c\n1,5;2;3\n4;5;6\n", (";", True)),
        ("a\tb c\n1\t2\n", ("\t", True)),
        ("a|b\n1|2\n", ("|", True)),
        ("a,b\n1,2\n3,4,5\n", (",", True)),  # ragged: the header decides
        ("value\n1\n", (",", False)),
    ],
)
def test_detect_delimiter(text, expected):
    assert detect_delimiter(text) == expected


def test_detect_delimiter_default_for_a_single_column():
    assert detect_delimiter("value\n1\n", default="\t") == ("\t", False)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"a,b\n1,2\n", "utf-8"),
        ("a\nZürich\n".encode(), "utf-8"),
        ("a\nZürich\n".encode("utf-8-sig"), "utf-8-sig"),
        ("a\nZürich\n".encode("latin-1"), "latin-1"),
        ("a\n„quoted“\n".encode("cp1252"), "cp1252"),
    ],
)
def test_detect_encoding(data, expected):
    assert detect_encoding(data) == expected


def test_detect_encoding_refuses_an_undefined_cp1252_byte():
    with pytest.raises(IngestError, match="not recognised"):
        detect_encoding(b"a\nx\x81y\n")


def test_parquet_with_list_and_record_columns_is_refused():
    frame = pd.DataFrame({
        "id": [1, 2],
        "tags": [["a", "b"], ["c"]],
        "address": [{"city": "Oslo"}, {"city": "Lima"}],
    })
    message = _error_message(_parquet_bytes(frame), "x.parquet")
    assert message == ingest.NESTED_VALUES.format(names="'tags', 'address'")


def test_parquet_decimal_column_is_an_object_column_of_scalars_and_is_read():
    frame = pd.DataFrame({"price": [Decimal("1.10"), Decimal("2.25")]})
    result = read_table(_parquet_bytes(frame), "x.parquet")
    assert result.frame["price"].dtype == object
    assert list(result.frame["price"]) == [Decimal("1.10"), Decimal("2.25")]


def test_header_longer_than_the_sniffed_head_is_read_whole():
    names = [f"pixel_{i}" for i in range(10_000)]
    header = ",".join(names).encode()
    assert len(header) > ingest.SNIFF_BYTES
    data = header + b"\n" + (",".join(["1"] * 10_000) + "\n").encode() * 3
    result = read_table(data, "wide.csv")
    assert list(result.frame.columns) == names
    assert result.frame.shape == (3, 10_000)


def test_surplus_field_in_the_first_row_of_a_wide_file_is_reported():
    header = ",".join(f"c{i}" for i in range(10_000)).encode()
    data = header + b"\n" + ",".join(["1"] * 10_001).encode() + b"\n"
    message = _error_message(data, "wide.csv")
    assert message == ingest.RAGGED_ROWS.format(line=2, saw=10_001, expected=10_000, delimiter="comma")


def test_utf8_bom_followed_by_invalid_utf8_is_an_unknown_encoding():
    data = codecs.BOM_UTF8 + "name\nRené\n".encode("latin-1")
    assert _error_message(data) == ingest.UNKNOWN_ENCODING


# --- short rows, byte columns --------------------------------------------------------


def test_a_short_row_is_refused_with_its_line():
    # pandas alone fills the missing field with an empty cell the file never held.
    assert _error_message(b"a,b,c\n1,2,3\n4,5\n") == ingest.SHORT_ROW.format(
        line=3, saw=2, expected=3, delimiter="comma")


def test_a_short_row_is_found_after_blank_lines_and_in_quoted_files():
    assert _error_message(b"a;b;c\n\n1;2;3\n  \n4;5;6\n7\n") == ingest.SHORT_ROW.format(
        line=6, saw=1, expected=3, delimiter="semicolon")
    assert _error_message(b'a,b,c\n"x, y",2,3\n"z",5\n') == ingest.SHORT_ROW.format(
        line=3, saw=2, expected=3, delimiter="comma")


def test_a_short_last_line_without_a_line_end_is_refused():
    assert _error_message(b"a,b,c\r\n1,2,3\r\n4,5") == ingest.SHORT_ROW.format(
        line=3, saw=2, expected=3, delimiter="comma")


def test_empty_trailing_fields_are_not_short_rows():
    result = read_table(b"a,b,c\n1,2,\n4,,\n", "data.csv")
    assert result.frame["c"].isna().all() and list(result.frame["a"]) == [1, 4]


def test_a_quoted_value_spanning_lines_is_one_row():
    result = read_table(b'a,b,c\n"line one\nline two",2,3\n4,5,6\n', "data.csv")
    assert list(result.frame["a"]) == ["line one\nline two", "4"]


def _bytes_parquet(values) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(pa.table({"n": pa.array(range(len(values))), "raw": pa.array(values, pa.binary())}), buffer)
    return buffer.getvalue()


def test_a_parquet_column_of_non_text_bytes_is_refused_with_its_name():
    message = _error_message(_bytes_parquet([b"\xff\x00", b"x"]), "x.parquet")
    assert message == ingest.BYTES_VALUES.format(names="'raw'")


def test_a_parquet_column_of_utf8_bytes_is_read_as_text_with_a_note():
    result = read_table(_bytes_parquet([b"caf\xc3\xa9", None]), "x.parquet")
    assert result.frame["raw"].iloc[0] == "café" and pd.isna(result.frame["raw"].iloc[1])
    assert "Byte columns read as UTF-8 text: 'raw'" in result.notes
