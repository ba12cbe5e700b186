"""Property-based fuzzing: whatever a user hands in, the validator and the upload answer calmly.

`validate_package` answers a list of `Problem`s (empty: valid) or raises `NotADataPackage`;
`unpack_package_zip` answers the path of a datapackage.json inside its target or raises
`UploadRefused`. Never another exception, never a hang, never a network request, never a file
outside the target. A package the validator calls valid also loads.

What is drawn, and how many examples (the profiles), is in tests/strategies.py; the answer every
input must get, and the guard, in tests/calm_answers.py; the worked examples the fuzzing found in
tests/test_bad_descriptors.py and tests/test_bad_input.py.
"""

from __future__ import annotations

import copy
import csv
import functools
import io
import re
import tempfile
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

from calm_answers import BASE_DESCRIPTOR, answer, guarded, write_descriptor_package
from conftest import BASE_ROWS, HEADERS, temporary_package, write_package
from hypothesis import given
from hypothesis import strategies as st
from strategies import (
    BROKEN_PACKAGES,
    CSV_KINDS_BROKEN,
    DIALECT_KEYS,
    JSON,
    broken_cell,
    broken_descriptor,
    broken_file,
    fuzz,
    url_references,
)

from analysis.package import EMBEDDED_DESCRIPTOR
from analysis.package.upload import UploadRefused, unpack_package_zip

# --- properties: the validator ------------------------------------------------------------


@fuzz(160)  # about half of them of each kind
@given(broken=BROKEN_PACKAGES)
def test_broken_rows_and_csv_bytes_get_problems_never_a_crash(broken):
    with temporary_package(*broken) as path:
        answer(path)


@fuzz(40)
@given(files=broken_file(CSV_KINDS_BROKEN))
def test_a_csv_missing_or_doubling_a_column_always_gets_a_problem(files):
    [resource] = files
    with temporary_package(files=files) as path:
        problems = answer(path)
    assert problems, f"{resource}.csv is broken by construction, yet valid"
    assert any(p.resource == resource for p in problems), problems


@fuzz(60)
@given(case=broken_cell())
def test_a_cell_broken_by_construction_is_named_by_row_and_field(case):
    rows, where = case
    with temporary_package(rows) as path:
        problems = answer(path)
    assert where in [(p.resource, p.row, p.field) for p in problems], (where, problems)


@fuzz(250)
@given(descriptor=broken_descriptor())
def test_broken_descriptors_get_problems_never_a_crash(descriptor):
    with tempfile.TemporaryDirectory() as folder:
        problems = answer(write_descriptor_package(Path(folder) / "p", descriptor), package=False)
    if problems is None:
        assert not isinstance(descriptor.get("resources"), list)
        return
    for url in url_references(descriptor):
        assert any(p.field == "path" and url in p.message for p in problems), (url, problems)


@fuzz(60)
@given(keys=st.lists(st.sampled_from(sorted(DIALECT_KEYS)), max_size=4, unique=True), data=st.data())
def test_dialects_that_match_their_files(keys, data):
    """A dialect and CSV files written in it: frictionless and the frame reader must agree."""
    dialect = {key: data.draw(st.sampled_from(DIALECT_KEYS[key]), label=key) for key in keys}
    descriptor = copy.deepcopy(BASE_DESCRIPTOR)
    for resource in descriptor["resources"]:
        resource["dialect"] = dialect
    writer_options = {
        "delimiter": dialect.get("delimiter", ","),
        "quotechar": dialect.get("quoteChar", '"'),
        "doublequote": dialect.get("doubleQuote", True),
        "escapechar": dialect.get("escapeChar") or None,
        "lineterminator": dialect.get("lineTerminator", "\r\n"),
    }
    with tempfile.TemporaryDirectory() as folder:
        path = write_descriptor_package(Path(folder) / "p", descriptor)
        rows_by_name = copy.deepcopy(BASE_ROWS)
        tricky = st.text(alphabet=st.sampled_from(",;\"'|#\\ \t\n\ra"), max_size=8)
        rows_by_name["sources"][0][1] = data.draw(tricky, label="title")  # free text, quoted as needed
        rows_by_name["partnerships"][0][5] = data.draw(tricky, label="notes")
        for name, rows in rows_by_name.items():
            buffer = io.StringIO()
            try:
                writer = csv.writer(buffer, **writer_options)
                if dialect.get("commentChar"):
                    buffer.write(f"{dialect['commentChar']} a comment, with a comma\n")
                writer.writerow(HEADERS[name])
                writer.writerows(rows)
            except (csv.Error, TypeError):
                pass  # the csv module refuses this dialect: the file stays as it was
            else:
                (path.parent / "data" / f"{name}.csv").write_text(buffer.getvalue(), encoding="utf-8")
        answer(path)


@fuzz(100)
@given(value=JSON | st.fixed_dictionaries({"resources": st.lists(JSON, max_size=4)}))
def test_any_json_as_descriptor(value):
    with tempfile.TemporaryDirectory() as folder:
        answer(write_descriptor_package(Path(folder) / "p", value), package=False)


@fuzz(50)
@given(
    raw=st.one_of(
        st.binary(max_size=2000),
        st.sampled_from(
            [
                b"",
                b"\xef\xbb\xbf{}",
                b"\xff\xfe{\x00}\x00",
                b"\x00",
                b"[]",
                b"null",
                b"{",
                b'{"resources": {}}',
                b'{"resources": NaN}',
                b"\xef\xbb\xbf" + EMBEDDED_DESCRIPTOR.read_bytes(),
            ]
        ),
        st.builds(
            lambda text, enc: text.encode(enc, errors="replace"),
            st.text(max_size=200),
            st.sampled_from(["utf-8", "utf-16", "latin-1"]),
        ),
    )
)
def test_any_bytes_as_descriptor(raw):
    with tempfile.TemporaryDirectory() as folder:
        path = write_package(Path(folder) / "p")
        path.write_bytes(raw)
        answer(path, package=False)


# --- properties: the upload ---------------------------------------------------------------


@functools.cache
def valid_zip() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        root = write_package(Path(folder) / "p").parent
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for file in sorted(root.rglob("*")):
                archive.write(file, "paket/" + file.relative_to(root).as_posix())
        return buffer.getvalue()


def unpack(data: bytes | Callable[[Path], bytes]) -> Path | None:
    """Unpack DATA (or DATA(sandbox)) into sandbox/a/b/target: a path inside the target or a
    refusal, and nothing written outside the target."""
    with tempfile.TemporaryDirectory() as folder:
        sandbox = Path(folder).resolve()
        target = sandbox / "a" / "b" / "target"
        target.mkdir(parents=True)
        if callable(data):
            data = data(sandbox)
        with guarded():
            try:
                descriptor = unpack_package_zip(data, target)
            except UploadRefused as refused:
                assert refused.code and str(refused)
                descriptor = None
        above = {sandbox / "a", sandbox / "a" / "b", target}
        outside = [p for p in sandbox.rglob("*") if p not in above and not p.resolve().is_relative_to(target)]
        assert outside == [], f"written outside the target: {outside}"
        if descriptor is not None:
            assert isinstance(descriptor, Path)
            assert descriptor.resolve().is_relative_to(target), descriptor
            answer(descriptor, package=False)
        return descriptor


@fuzz(100)
@given(data=st.binary(max_size=4000) | st.builds(lambda tail: b"PK\x03\x04" + tail, st.binary(max_size=500)))
def test_upload_of_arbitrary_bytes(data):
    unpack(data)


ZIP_SIGNATURES = [b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06"]


@fuzz(100)
@given(data=st.data())
def test_upload_of_a_damaged_zip(data):
    raw = bytearray(valid_zip())
    for _ in range(data.draw(st.integers(1, 4))):
        action = data.draw(st.sampled_from(["header", "header", "flip", "truncate", "insert", "delete"]))
        if action == "header":  # one byte in a local, central or end header: sizes, flags, method, names
            signature = data.draw(st.sampled_from(ZIP_SIGNATURES))
            starts = [m.start() for m in re.finditer(re.escape(signature), bytes(raw))]
            if starts:
                at = data.draw(st.sampled_from(starts)) + data.draw(st.integers(4, 45))
                if at < len(raw):
                    raw[at] = data.draw(st.integers(0, 255))
        elif action == "flip" and raw:
            at = data.draw(st.integers(0, len(raw) - 1))
            raw[at] ^= 1 << data.draw(st.integers(0, 7))
        elif action == "truncate":
            del raw[data.draw(st.integers(0, len(raw))) :]
        elif action == "insert":
            at = data.draw(st.integers(0, len(raw)))
            raw[at:at] = data.draw(st.binary(min_size=1, max_size=16))
        elif action == "delete" and raw:
            at = data.draw(st.integers(0, len(raw) - 1))
            del raw[at : at + data.draw(st.integers(1, 16))]
    unpack(bytes(raw))


MEMBER_NAMES = st.one_of(
    st.sampled_from(
        [
            "datapackage.json",
            "paket/datapackage.json",
            "data/countries.csv",
            "data",
            "data/",
            "data/x/",
            "",
            ".",
            "./",
            "./datapackage.json",
            "..",
            "../evil",
            "../../evil",
            "../../../evil",
            "a/../../evil",
            "a/./b",
            "/evil",
            "//evil",
            "\\evil",
            "..\\evil",
            "a\\..\\..\\evil",
            "C:evil",
            "C:\\evil",
            "C:/evil",
            "{SANDBOX}/evil",
            "{SANDBOX}/a/evil",
            "a" * 300,
            "x/" * 200 + "y",
            "datapackage.json/",
            "ä/ö.csv",
            "nul\x00byte",
            "line\nbreak",
            " ",
            "datapackage.json ",
            "DATAPACKAGE.JSON",
        ]
    ),
    st.text(max_size=20),
)


MEMBER = st.fixed_dictionaries(
    {
        "name": MEMBER_NAMES,
        "method": st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]),
        # file, link, folder, fifo, socket, block device; the low byte's 0x10 is the DOS folder flag
        "mode": st.sampled_from([0, 0o100644, 0o120777, 0o040755, 0o010644, 0o140777, 0o060644]),
        "dos": st.sampled_from([0, 0x10]),
        "flags": st.sampled_from([0, 0, 0x1, 0x40, 0x800]),  # encrypted, strong encryption, UTF-8
        "content": st.binary(max_size=300),
    }
)


def build_zip(members: list[dict], sandbox: Path) -> bytes:
    """A zip of MEMBERS; "{SANDBOX}" in a name stands for the folder around the target."""
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as archive:
        warnings.simplefilter("ignore", UserWarning)  # duplicate names are meant
        for member in members:
            info = zipfile.ZipInfo(member["name"].replace("{SANDBOX}", str(sandbox)))
            info.compress_type = member["method"]
            info.external_attr = (member["mode"] << 16) | member["dos"]
            info.flag_bits |= member["flags"]
            try:
                archive.writestr(info, member["content"])
            except (ValueError, OSError):
                pass  # zipfile refuses to write this name
    return buffer.getvalue()


@fuzz(100)
@given(members=st.lists(MEMBER, max_size=6), descriptor=st.booleans())
def test_upload_of_crafted_members(members, descriptor):
    if descriptor:
        members = [
            {
                "name": "datapackage.json",
                "method": zipfile.ZIP_DEFLATED,
                "mode": 0o100644,
                "dos": 0,
                "flags": 0,
                "content": EMBEDDED_DESCRIPTOR.read_bytes(),
            },
            *members,
        ]
    unpack(functools.partial(build_zip, members))
