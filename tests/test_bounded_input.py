"""Everything a visitor sends is bounded: zip members measured by the bytes actually inflated
(whatever the headers say), workbooks measured before the native reader sees them (dimensions,
cells, part sizes), formulas and merged cells found wherever and however a sheet is stored, date
cells outside 1900–2100 refused, and problems capped as the validator caps them."""

from __future__ import annotations

import io
import re
import struct
import time
import zipfile
from pathlib import Path

import pytest
from conftest import write_package

from analysis.keeping.workbook import write_workbook
from analysis.keeping.workbook_reading import workbook_to_package
from analysis.package import load_package
from analysis.package.upload import MB, Limits, UploadRefused, unpack_package_zip
from analysis.problems import PackageInvalid


def _lie_about_size(data: bytes, name: str, told: int) -> bytes:
    """DATA (a zip) whose local and central headers say member NAME inflates to TOLD bytes."""
    raw = bytearray(data)
    encoded = name.encode()
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := raw.find(signature, start)) >= 0:
            header = 30 if signature == b"PK\x03\x04" else 46
            if raw[start + header : start + header + len(encoded)] == encoded:
                struct.pack_into("<I", raw, start + offset, told)
            start += 4
    return bytes(raw)


def _package_zip(root: Path, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(root.rglob("*")):
            if file.is_file():
                archive.write(file, file.relative_to(root).as_posix())
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_member_whose_headers_understate_its_size_is_refused(tmp_path):
    root = write_package(tmp_path / "p").parent
    data = _lie_about_size(_package_zip(root, {"notes.txt": b"a" * (3 * MB)}), "notes.txt", 1000)
    with pytest.raises(UploadRefused) as refused:
        unpack_package_zip(data, tmp_path / "out")
    assert refused.value.code == "sizes_lie" and refused.value.params["name"] == "notes.txt"


def test_the_unpacked_total_counts_bytes_actually_inflated(tmp_path):
    root = write_package(tmp_path / "p").parent
    members = {f"extra/{i}.txt": b"b" * MB for i in range(3)}  # 3 MB inflated, in a few kB
    limits = Limits(unpacked_bytes=2 * MB, member_bytes=2 * MB, ratio=10_000)
    # the headers say 100 bytes each: counted by the headers, the archive would be 300 bytes
    data = _package_zip(root, members)
    for name in members:
        data = _lie_about_size(data, name, 100)
    with pytest.raises(UploadRefused) as refused:
        unpack_package_zip(data, tmp_path / "out", limits)
    assert refused.value.code in ("sizes_lie", "unpacked_too_large")
    written = sum(f.stat().st_size for f in (tmp_path / "out").rglob("*") if f.is_file())
    assert written <= 2 * MB


# --- workbooks ---------------------------------------------------------------------------------


@pytest.fixture
def small_book(tmp_path) -> bytes:
    return write_workbook(load_package(write_package(tmp_path / "small")), tmp_path / "small.xlsx").read_bytes()


def _rewrite(data: bytes, edit) -> bytes:
    """DATA (a zip) with every member passed through EDIT(name, content) -> (name, content)."""
    source, buffer = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            name, content = edit(info.filename, source.read(info))
            target.writestr(name, content)
    return buffer.getvalue()


def _refusal(data: bytes, out: Path) -> list[tuple]:
    with pytest.raises(PackageInvalid) as raised:
        workbook_to_package(data, out)
    assert not out.exists() or not any(out.iterdir())
    return [(p.resource, p.row, p.field, p.code) for p in raised.value.problems]


def _in_sheet(part: str, edit):
    return lambda name, content: (name, edit(content) if name == part else content)


def test_a_cell_at_the_far_corner_is_refused_before_the_reader_sees_it(small_book, tmp_path):
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    data = _rewrite(small_book, _in_sheet("xl/worksheets/sheet2.xml", lambda xml: xml.replace(b"</sheetData>", far)))
    problems = _refusal(data, tmp_path / "out")
    assert [code for *_, code in problems] == ["workbook_too_many_cells"]


def test_a_dimension_that_claims_the_whole_sheet_is_refused(small_book, tmp_path):
    def claim(xml: bytes) -> bytes:
        return re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', xml)

    data = _rewrite(small_book, _in_sheet("xl/worksheets/sheet2.xml", claim))
    assert "<dimension" in zipfile.ZipFile(io.BytesIO(small_book)).read("xl/worksheets/sheet2.xml").decode()
    assert [code for *_, code in _refusal(data, tmp_path / "out")] == ["workbook_too_many_cells"]


def test_a_sheet_part_whose_headers_understate_its_size_is_refused(small_book, tmp_path):
    data = _lie_about_size(small_book, "xl/worksheets/sheet2.xml", 10)
    assert [code for *_, code in _refusal(data, tmp_path / "out")] == ["workbook_sizes_lie"]


FORMULA_CELL = b'<c r="F3"><f>1+1</f><v>2</v></c>'


def _with_formula(xml: bytes) -> bytes:
    """The first data row's sixth cell replaced by a formula (its cached value a plain 2)."""
    return re.sub(rb'<c r="F3"[^>]*?(/>|>.*?</c>)', FORMULA_CELL, xml, count=1, flags=re.S)


@pytest.mark.parametrize(
    ("rename", "prefix"),
    [
        (lambda name: name.replace("worksheets/sheet3.xml", "data/sheet4.xml"), False),
        (lambda name: name.replace("sheet3.xml", "sheet3.XML"), False),
        (lambda name: name, True),
    ],
    ids=["other-folder", "upper-case", "prefixed-elements"],
)
def test_a_formula_is_found_wherever_and_however_the_sheet_is_stored(small_book, tmp_path, rename, prefix):
    part = "xl/worksheets/sheet3.xml"  # Kommunen: F3 is Hagen's continent
    assert b'<c r="F3"' in zipfile.ZipFile(io.BytesIO(small_book)).read(part)

    def edit(name: bytes, content: bytes):
        if name == part:
            content = _with_formula(content)
            if prefix:  # the same sheet with every element of the main namespace written x:...
                content = re.sub(rb"<(/?)(?!\?)([a-zA-Z]+)([ >/])", rb"<\1x:\2\3", content)
                content = content.replace(b"<x:worksheet xmlns=", b"<x:worksheet xmlns:x=")
        if name in ("xl/_rels/workbook.xml.rels", "[Content_Types].xml"):
            content = content.replace(b"worksheets/sheet3.xml", rename(part).removeprefix("xl/").encode())
            content = content.replace(b"/xl/worksheets/sheet3.xml", b"/" + rename(part).encode())
        return (rename(name) if name == part else name), content

    data = _rewrite(small_book, edit)
    problems = _refusal(data, tmp_path / "out")
    assert [code for *_, code in problems] == ["workbook_formula"], problems
    assert problems[0][1] == 3


def test_a_date_cell_before_1900_is_refused_at_the_cell(small_book, tmp_path):
    # a date cell (style 3: dd.mm.yyyy) holding -1, which calamine reads as 1899-12-30: the first
    # status date of the history
    assert b'<xf numFmtId="165"' in zipfile.ZipFile(io.BytesIO(small_book)).read("xl/styles.xml")

    def edit(xml: bytes) -> bytes:
        return re.sub(rb'<c r="B2"[^>]*?(/>|>.*?</c>)', b'<c r="B2" s="3"><v>-1</v></c>', xml, count=1, flags=re.S)

    history = _history_part(small_book)
    problems = _refusal(_rewrite(small_book, _in_sheet(history, edit)), tmp_path / "out")
    assert [(row, code) for _, row, _, code in problems] == [(2, "workbook_date_out_of_range")]


def _history_part(data: bytes) -> str:
    """The part of the status history's sheet (the one whose first heading names partnership_id
    and second names date)."""
    book = zipfile.ZipFile(io.BytesIO(data))
    for name in book.namelist():
        if name.startswith("xl/worksheets/sheet") and b"(date)" in book.read(name):
            return name
    raise AssertionError("no history sheet")


def test_bad_dates_by_the_thousand_are_capped(small_book, tmp_path):
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>dortmund-amiens</t></is></c>'
        b'<c r="B%d" t="inlineStr"><is><t>kein Datum</t></is></c></row>' % (r, r, r)
        for r in range(10, 3010)
    )
    history = _history_part(small_book)
    data = _rewrite(small_book, _in_sheet(history, lambda xml: xml.replace(b"</sheetData>", rows + b"</sheetData>")))
    with pytest.raises(PackageInvalid) as raised:
        workbook_to_package(data, tmp_path / "out")
    dates = [p for p in raised.value.problems if p.code == "workbook_not_a_date"]
    more = [p for p in raised.value.problems if p.code == "more_rows" and p.field == dates[0].field]
    assert len(dates) == 50 and [p.params["more"] for p in more] == [2950]
    groups: dict[tuple, int] = {}
    for p in raised.value.problems:
        groups[(p.resource, p.field, p.code)] = groups.get((p.resource, p.field, p.code), 0) + 1
    assert max(groups.values()) == 50  # every rule of every column named at most 50 times, the rest counted


def _openpyxl_edited(data: bytes, edit) -> bytes:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data))
    edit(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_600_unknown_headings_give_capped_text_linear_in_the_input(small_book, tmp_path):
    def edit(workbook):
        sheet = workbook["Kommunen"]
        for column in range(13, 613):
            sheet.cell(row=1, column=column, value=f"Spalte {column}")

    with pytest.raises(PackageInvalid) as raised:
        workbook_to_package(_openpyxl_edited(small_book, edit), tmp_path / "out")
    problems = raised.value.problems
    unknown = [p for p in problems if p.code == "workbook_heading_unknown"]
    assert len(unknown) == 50
    assert [p.params["more"] for p in problems if p.code == "more_rows"] == [550]
    assert sum(len(p.message) + len(p.message_de) for p in problems) < 100_000


def test_a_hidden_descriptor_with_20000_fields_gives_bounded_text(small_book, tmp_path):
    import json

    def edit(workbook):
        sheet = workbook["Paketbeschreibung"] if "Paketbeschreibung" in workbook.sheetnames else workbook.worksheets[-1]
        lines = [row[0] for row in sheet.iter_rows(values_only=True)]
        descriptor = json.loads("\n".join(line or "" for line in lines))
        fields = descriptor["resources"][0]["schema"]["fields"]
        fields += [{"name": f"extra_{i}", "type": "string"} for i in range(20_000)]
        sheet.delete_rows(1, sheet.max_row)
        for index, line in enumerate(json.dumps(descriptor, ensure_ascii=False, indent=1).split("\n"), start=1):
            sheet.cell(row=index, column=1, value=line)

    started = time.monotonic()
    with pytest.raises(PackageInvalid) as raised:
        workbook_to_package(_openpyxl_edited(small_book, edit), tmp_path / "out")
    assert time.monotonic() - started < 60
    problems = raised.value.problems
    assert "workbook_descriptor_changed" not in {p.code for p in problems}  # the descriptor was read
    assert sum(len(p.message) + len(p.message_de) for p in problems) < 2_000_000, len(problems)
