"""Text is text: a control character (other than tab and line feed), U+FFFE/U+FFFF or an unpaired
surrogate in any text field or in the descriptor's metadata is a problem naming resource, row and
field, whether the package came as CSV files, from a workbook or from the edit forms."""

from __future__ import annotations

import io
import zipfile

import polars as pl
import pytest
from conftest import BASE_ROWS, HEADERS, small_package_descriptor, write_package

from analysis.keeping.workbook import heading, write_workbook
from analysis.keeping.workbook_reading import workbook_to_package
from analysis.package import check_text_frames, load_package, validate_package
from analysis.problems import PackageInvalid

# Word's manual line break (vertical tab), ESC, a C1 control (NEL), DEL, a noncharacter, start of heading
HOSTILE = ["\x0b", "\x1b", "\x85", "\x7f", "\ufffe", "\x01", "\r"]


def _with_name(text: str) -> dict[str, list[list[str]]]:
    municipalities = [list(row) for row in BASE_ROWS["municipalities"]]
    municipalities[1][1] = text  # de-hagen's name, row 3 of the file
    return {"municipalities": municipalities}


@pytest.mark.parametrize("character", HOSTILE)
def test_a_control_character_in_a_csv_cell_is_named_by_row_and_field(tmp_path, character):
    path = write_package(tmp_path / "p", _with_name(f"Ha{character}gen"))
    problems = validate_package(path)
    found = [(p.resource, p.row, p.field, p.code) for p in problems]
    assert found == [("municipalities", 3, "name", "check_control_character")]
    code_point = f"U+{ord(character):04X}"
    assert code_point in problems[0].message and code_point in problems[0].text("de")
    assert character not in problems[0].message, "the message quotes the character by its number only"


def test_tab_and_line_feed_stay_allowed(tmp_path):
    path = write_package(tmp_path / "p", _with_name("Hagen\tan der\nVolme"))
    assert validate_package(path) == []


def test_many_rows_with_control_characters_are_capped_as_every_rule_is(tmp_path):
    sources = [list(row) for row in BASE_ROWS["sources"]]
    extra = [[f"x{i}", f"Titel\x07{i}", "Stadt", "", "", ""] for i in range(120)]
    path = write_package(tmp_path / "p", {"sources": sources + extra})
    problems = [p for p in validate_package(path) if p.code == "check_control_character"]
    assert len(problems) == 50
    more = [p for p in validate_package(path) if p.code == "more_rows" and p.field == "title"]
    assert len(more) == 1 and more[0].params["more"] == 70


@pytest.mark.parametrize(
    ("key", "text"), [("title", "Partner\x01schaften"), ("description", "Zeile\x1b[8m"), ("name", "paket\ufffe")]
)
def test_a_control_character_in_the_descriptor_metadata_is_named(tmp_path, key, text):
    descriptor = small_package_descriptor()
    descriptor[key] = text
    problems = validate_package(write_package(tmp_path / "p", descriptor=descriptor))
    named = [(p.resource, p.field) for p in problems if p.code == "descriptor_control_character"]
    assert named == [("datapackage.json", key)]


def test_an_unpaired_surrogate_in_the_descriptor_is_named(tmp_path):
    path = write_package(tmp_path / "p")
    text = path.read_text(encoding="utf-8").replace('"title": "Testpaket"', '"title": "Test\\ud800paket"')
    path.write_text(text, encoding="utf-8")
    problems = validate_package(path)
    assert [(p.field, p.code) for p in problems] == [("title", "descriptor_control_character")]
    assert "U+D800" in problems[0].message


def test_a_resource_title_in_the_descriptor_is_named_by_its_place(tmp_path):
    descriptor = small_package_descriptor()
    descriptor["resources"][0]["title"] = "Länder\x0b"
    problems = validate_package(write_package(tmp_path / "p", descriptor=descriptor))
    assert [(p.resource, p.field) for p in problems] == [("datapackage.json", "resources[0].title")]


def test_the_edit_forms_meet_the_same_check(small_package):
    package = load_package(small_package)
    frames = {
        name: pl.DataFrame([dict(zip(HEADERS[name], row, strict=False)) for row in rows], schema=HEADERS[name])
        for name, rows in _padded(_with_name("Ha\x0bgen")).items()
    }
    problems, _ = check_text_frames(package.descriptor, frames)
    assert [(p.resource, p.row, p.field, p.code) for p in problems] == [
        ("municipalities", 3, "name", "check_control_character")
    ]


def _padded(changed: dict[str, list[list[str]]]) -> dict[str, list[list[str | None]]]:
    rows = {**BASE_ROWS, **changed}
    return {
        name: [[cell or None for cell in row] + [None] * (len(HEADERS[name]) - len(row)) for row in table]
        for name, table in rows.items()
    }


def _zip_replace(data: bytes, part: str, old: bytes, new: bytes) -> bytes:
    """DATA (a zip) with OLD replaced by NEW in its member PART."""
    source, buffer = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info.filename, content.replace(old, new) if info.filename == part else content)
    return buffer.getvalue()


def test_a_workbook_cell_with_a_control_character_is_named_by_sheet_row_and_heading(small_package, tmp_path):
    book = write_workbook(load_package(small_package), tmp_path / "book.xlsx").read_bytes()
    # Excel writes a control character in a cell as _x000B_; calamine reads it back as the character
    assert zipfile.ZipFile(io.BytesIO(book)).read("xl/worksheets/sheet3.xml").count(b"<t>Hagen</t>") == 2
    data = _zip_replace(book, "xl/worksheets/sheet3.xml", b"<t>Hagen</t>", b"<t>Ha_x000B_gen</t>")
    with pytest.raises(PackageInvalid) as raised:
        workbook_to_package(data, tmp_path / "out")
    found = {(p.row, p.code) for p in raised.value.problems}  # named by the sheet, whatever its title
    assert found == {(3, "check_control_character")}
    assert {p.field for p in raised.value.problems} <= {heading("name"), heading("name_en")}
