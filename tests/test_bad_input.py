"""Every kind of bad input gets a clear error that names what and where; nothing unsafe is read."""

from __future__ import annotations

import copy
import csv
import http.server
import io
import json
import os
import re
import stat
import tempfile
import threading
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pytest
from calm_answers import guarded
from conftest import BASE_ROWS, write_package, zipped

from analysis.package import paths, validate_package
from analysis.package.upload import MB, Limits, UploadRefused, unpack_package_zip
from analysis.problems import NotADataPackage
from console.main import main


def where(problems):
    return [(p.resource, p.row, p.field) for p in problems]


# --- packages on disk ---------------------------------------------------------------------


def test_missing_csv(tmp_path):
    path = write_package(tmp_path / "p")
    (path.parent / "data" / "sources.csv").unlink()
    problems = validate_package(path)
    assert where(problems) == [("sources", None, "path")]
    assert "'data/sources.csv' is missing" in problems[0].message
    assert "'data/sources.csv' fehlt" in problems[0].text("de")
    assert all(str(tmp_path) not in p.message for p in problems), "server paths must not leak"


def test_csv_in_latin_1_is_named_with_a_hint(tmp_path):
    path = write_package(tmp_path / "p")
    countries = path.parent / "data" / "countries.csv"
    countries.write_bytes(countries.read_text(encoding="utf-8").encode("latin-1"))
    problems = [p for p in validate_package(path) if p.resource == "countries"]
    assert problems and "save the file as UTF-8" in problems[0].message


def test_empty_file(tmp_path):
    path = write_package(tmp_path / "p")
    (path.parent / "data" / "themes.csv").write_bytes(b"")
    problems = validate_package(path)
    assert ("themes", None, None) in where(problems)
    assert any("empty" in p.message for p in problems if p.resource == "themes")


def test_wrong_types(tmp_path):
    municipalities = copy.deepcopy(BASE_ROWS["municipalities"])
    municipalities[0][6] = "einundfünfzig"
    municipalities[1][8] = "-5"
    problems = validate_package(write_package(tmp_path / "p", {"municipalities": municipalities}))
    assert where(problems) == [("municipalities", 2, "latitude"), ("municipalities", 3, "population")]


def test_duplicate_keys(tmp_path):
    history = BASE_ROWS["status_history"] + [BASE_ROWS["status_history"][0]]
    problems = validate_package(write_package(tmp_path / "p", {"status_history": history}))
    assert where(problems) == [("status_history", 6, "partnership_id, date, status")]
    assert "primary key" in problems[0].message and "Primärschlüssel" in problems[0].text("de")


def test_broken_foreign_keys(tmp_path):
    themes = BASE_ROWS["partnership_themes"] + [["dortmund-amiens", "music", "s1"]]
    problems = validate_package(write_package(tmp_path / "p", {"partnership_themes": themes}))
    assert where(problems) == [("partnership_themes", 4, "theme_id")]


def test_file_over_the_size_limit_is_not_read(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "MAX_RESOURCE_BYTES", 100)
    problems = validate_package(write_package(tmp_path / "p"))
    assert ("municipalities", None, None) in where(problems)
    assert any("at most 100" in p.message for p in problems)


def test_descriptor_missing_a_field(tmp_path, small_descriptor):
    broken = copy.deepcopy(small_descriptor)
    sources = next(r for r in broken["resources"] if r["name"] == "sources")
    sources["schema"]["fields"] = [f for f in sources["schema"]["fields"] if f["name"] != "publisher"]
    problems = validate_package(write_package(tmp_path / "p", descriptor=broken))
    assert ("sources", None, "publisher") in where(problems)


@pytest.fixture
def counting_server():
    """A web server on localhost that counts the requests it gets."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"country_code,name_de,name_en\nDE,Deutschland,Germany\n")

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_port}", hits
    server.shutdown()


@pytest.mark.parametrize("scheme", ["http", "https", "ftp", "file"])
def test_resource_path_url_is_refused_and_never_fetched(tmp_path, small_descriptor, counting_server, scheme):
    host, hits = counting_server
    broken = copy.deepcopy(small_descriptor)
    broken["resources"][0]["path"] = f"{scheme}://{host}/countries.csv" if scheme != "file" else "file:///etc/passwd"
    problems = validate_package(write_package(tmp_path / "p", descriptor=broken))
    assert where(problems) == [("countries", None, "path")]
    assert "is a URL" in problems[0].message
    assert hits == []


@pytest.mark.parametrize("path", ["../outside.csv", "/etc/passwd", "data/../../outside.csv"])
def test_resource_path_outside_the_package_is_refused(tmp_path, small_descriptor, path):
    (tmp_path / "outside.csv").write_text("secret\n", encoding="utf-8")
    broken = copy.deepcopy(small_descriptor)
    broken["resources"][0]["path"] = path
    problems = validate_package(write_package(tmp_path / "p", descriptor=broken))
    assert where(problems) == [("countries", None, "path")]
    assert "secret" not in json.dumps([p.message for p in problems])


def test_cli_says_what_and_where_for_a_broken_json(tmp_path, capsys):
    (tmp_path / "datapackage.json").write_text('{"resources": [', encoding="utf-8")
    assert main(["validate", str(tmp_path)]) == 2
    assert "broken JSON at line 1" in capsys.readouterr().err
    with pytest.raises(NotADataPackage):
        validate_package(tmp_path)


# --- uploads ------------------------------------------------------------------------------


def test_valid_zip_unpacks_to_a_valid_package(tmp_path):
    root = write_package(tmp_path / "p").parent
    descriptor = unpack_package_zip(zipped(root, prefix="mein-paket/"), tmp_path / "out")
    assert descriptor == (tmp_path / "out" / "mein-paket" / "datapackage.json").resolve()
    assert validate_package(descriptor) == []


@pytest.mark.parametrize(
    "data, code",
    [
        (b"", "empty"),
        (b"country_code,name_de\nDE,Deutschland\n", "not_zip"),
        (b"PK\x03\x04 broken", "not_zip"),
    ],
)
def test_not_a_zip(tmp_path, data, code):
    with pytest.raises(UploadRefused) as refused:
        unpack_package_zip(data, tmp_path)
    assert refused.value.code == code


def test_zip_over_the_size_limit(tmp_path):
    root = write_package(tmp_path / "p").parent
    with pytest.raises(UploadRefused) as refused:
        unpack_package_zip(zipped(root), tmp_path / "out", Limits(upload_bytes=1000))
    assert refused.value.code == "too_large"


@pytest.mark.parametrize(
    "name, code",
    [("../evil.txt", "parent_path"), ("data/../../evil.txt", "parent_path"), ("/etc/evil", "absolute_path")],
)
def test_zip_with_paths_that_leave_the_folder(tmp_path, name, code):
    root = write_package(tmp_path / "p").parent
    with pytest.raises(UploadRefused) as refused:
        unpack_package_zip(zipped(root, {name: b"x"}), tmp_path / "out")
    assert refused.value.code == code
    assert not (tmp_path / "evil.txt").exists()
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*"))


def test_zip_with_a_link(tmp_path):
    root = write_package(tmp_path / "p").parent
    buffer = io.BytesIO(zipped(root))
    with zipfile.ZipFile(buffer, "a") as archive:
        link = zipfile.ZipInfo("data/passwd")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    with pytest.raises(UploadRefused) as refused:
        unpack_package_zip(buffer.getvalue(), tmp_path / "out")
    assert refused.value.code == "link"


def test_zip_bomb_is_refused_by_ratio(tmp_path):
    root = write_package(tmp_path / "p").parent
    with pytest.raises(UploadRefused) as refused:
        unpack_package_zip(zipped(root, {"data/zeros.csv": b"0" * (20 * MB)}), tmp_path / "out")
    assert refused.value.code == "ratio"
    assert not (tmp_path / "out" / "data" / "zeros.csv").exists()


def test_zip_bomb_is_refused_by_total_size(tmp_path):
    root = write_package(tmp_path / "p").parent
    limits = Limits(unpacked_bytes=5000)
    with pytest.raises(UploadRefused) as refused:
        unpack_package_zip(zipped(root, {"data/big.csv": os.urandom(6000)}), tmp_path / "out", limits)
    assert refused.value.code == "unpacked_too_large"


def test_zip_without_descriptor(tmp_path):
    with pytest.raises(UploadRefused) as refused:
        unpack_package_zip(zipped(tmp_path, {"data/x.csv": b"a\n1\n"}), tmp_path / "out")
    assert refused.value.code == "no_descriptor"


# --- exports are safe to open -------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://example.org")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rReturn"]


def test_exports_neutralise_formulas_but_keep_numbers(tmp_path, capsys):
    municipalities = copy.deepcopy(BASE_ROWS["municipalities"])
    for index, formula in enumerate(FORMULAS[:3]):
        municipalities[2 + index][1] = formula  # partner names: Amiens, Trabzon, Kartal
    path = write_package(tmp_path / "p", {"municipalities": municipalities})
    assert main(["export", str(path), "--as-of", "2025-01-01"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert sorted(r["partner_name"] for r in rows) == sorted("'" + f for f in FORMULAS[:3])
    assert all(r["distance_km"].isdigit() for r in rows)

    target = tmp_path / "view.xlsx"
    assert main(["export", str(path), "--as-of", "2025-01-01", "--format", "xlsx", "--out", str(target)]) == 0
    sheet = openpyxl.load_workbook(target).active
    header = [cell.value for cell in sheet[1]]
    names = [row[header.index("partner_name")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    distances = [row[header.index("distance_km")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted("'" + f for f in FORMULAS[:3])
    assert all(isinstance(d, int) for d in distances)
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


def test_every_formula_trigger_is_neutralised():
    import polars as pl

    from analysis.outputs.export import neutralise_formulas

    frame = pl.DataFrame({"text": [*FORMULAS, "Amiens", "1-2"], "number": list(range(8))})
    safe = neutralise_formulas(frame)
    assert safe["text"].to_list() == ["'" + f for f in FORMULAS] + ["Amiens", "1-2"]
    assert safe["number"].dtype == pl.Int64


# --- one reader: what the two readers of round one got wrong -------------------------------


def _set_cell(resource, index, field, value):
    from conftest import HEADERS

    rows = copy.deepcopy(BASE_ROWS[resource])
    rows[index][HEADERS[resource].index(field)] = value
    return {resource: rows}


@pytest.mark.parametrize(
    "cell, english, german",
    [
        (" 5", "' 5' is not of type integer", "ist kein Wert vom Typ ganze Zahl"),
        ("99999999999999999999", "is not of type integer", "ganze Zahl"),
    ],
)
def test_integer_cells_frictionless_would_take_are_refused_by_row(tmp_path, cell, english, german):
    path = write_package(tmp_path / "p", _set_cell("municipalities", 1, "population", cell))
    problems = validate_package(path)
    assert where(problems) == [("municipalities", 3, "population")]
    assert english in problems[0].message and german in problems[0].text("de")
    assert main(["validate", str(path)]) == 1  # a clear line, no traceback


def test_a_date_written_without_leading_zeros_is_refused(tmp_path):
    problems = validate_package(write_package(tmp_path / "p", _set_cell("status_history", 3, "date", "2099-1-1")))
    assert where(problems) == [("status_history", 5, "date")]


def test_a_well_written_date_after_created_breaks_the_rule(tmp_path):
    problems = validate_package(write_package(tmp_path / "p", _set_cell("status_history", 3, "date", "2099-01-01")))
    assert where(problems) == [("status_history", 5, "date")]
    assert "lies after the package's created date" in problems[0].message


def test_cr_only_line_endings_load_every_row(tmp_path):
    from analysis.package import load_package

    path = write_package(tmp_path / "p")
    partnerships = path.parent / "data" / "partnerships.csv"
    partnerships.write_bytes(partnerships.read_bytes().replace(b"\r\n", b"\r"))
    assert len(load_package(path)["partnerships"]) == 3  # round one loaded 0, silently


def test_nan_latitude_without_constraints_breaks_the_contract(tmp_path, small_descriptor):
    descriptor = copy.deepcopy(small_descriptor)
    municipalities = next(r for r in descriptor["resources"] if r["name"] == "municipalities")
    for field in municipalities["schema"]["fields"]:
        if field["name"] in ("latitude", "longitude"):
            field["constraints"] = {"required": True}
    rows = _set_cell("municipalities", 2, "latitude", "NaN")
    rows["municipalities"][3][7] = "200"
    problems = validate_package(write_package(tmp_path / "p", rows, descriptor=descriptor))
    # the contract's bounds cannot be dropped: the descriptor itself is refused, naming each bound
    assert [(p.resource, p.row, p.field, p.params["constraint"]) for p in problems] == [
        ("municipalities", None, "latitude", "maximum"),
        ("municipalities", None, "latitude", "minimum"),
        ("municipalities", None, "longitude", "maximum"),
        ("municipalities", None, "longitude", "minimum"),
    ]


def test_an_odd_quote_character_is_refused_up_front(tmp_path, small_descriptor):
    descriptor = copy.deepcopy(small_descriptor)
    descriptor["resources"][0]["dialect"]["quoteChar"] = "a"
    problems = validate_package(write_package(tmp_path / "p", descriptor=descriptor))
    assert where(problems) == [("countries", None, "dialect")]


def test_a_deeply_nested_descriptor_is_not_a_package(tmp_path):
    (tmp_path / "datapackage.json").write_text('{"resources": [], "x": ' + "[" * 50_000 + "]" * 50_000 + "}")
    with pytest.raises(NotADataPackage, match="nested more than"):
        validate_package(tmp_path)
    assert main(["validate", str(tmp_path)]) == 2


def test_a_resource_repeated_400_times_is_refused_unread(tmp_path, small_descriptor):
    descriptor = copy.deepcopy(small_descriptor)
    descriptor["resources"] += [{**descriptor["resources"][3], "name": f"copy-{i}"} for i in range(400)]
    problems = validate_package(write_package(tmp_path / "p", descriptor=descriptor))
    assert where(problems) == [("datapackage.json", None, "resources")]
    assert "at most 15" in problems[0].message


@pytest.mark.parametrize("target", ["/proc/self/mem", "/dev/zero"])
def test_special_files_are_refused_before_reading_or_hashing(tmp_path, small_descriptor, target):
    from analysis.package.paths import content_hash

    descriptor = copy.deepcopy(small_descriptor)
    descriptor["resources"][0]["path"] = target
    path = write_package(tmp_path / "p", descriptor=descriptor)
    assert where(validate_package(path)) == [("countries", None, "path")]
    content_hash(path)  # returns: the file is never opened (/dev/zero would never end)


def test_a_fifo_inside_the_package_is_never_opened(tmp_path):
    from analysis.package.paths import content_hash

    path = write_package(tmp_path / "p")
    countries = path.parent / "data" / "countries.csv"
    countries.unlink()
    os.mkfifo(countries)  # opening it for reading would block for ever
    problems = validate_package(path)
    assert where(problems) == [("countries", None, "path")]
    assert "not a regular file" in problems[0].message
    content_hash(path)


def test_a_resource_file_linked_from_outside_is_refused(tmp_path):
    outside = tmp_path / "secret.csv"
    outside.write_text("country_code,name_de,name_en\nDE,Deutschland,Germany\n", encoding="utf-8")
    path = write_package(tmp_path / "p")
    countries = path.parent / "data" / "countries.csv"
    countries.unlink()
    countries.symlink_to(outside)
    assert where(validate_package(path)) == [("countries", None, "path")]


def test_problems_are_capped_per_rule_and_counted(tmp_path):
    rows = [[f"de-x{i}", "X", "X", "DE", "", "Europe", "91", "7", "", "", "", ""] for i in range(120)]
    problems = validate_package(write_package(tmp_path / "p", {"municipalities": BASE_ROWS["municipalities"] + rows}))
    latitude = [p for p in problems if p.field == "latitude"]
    assert len(latitude) == 51  # 50 named rows and one line counting the other 70
    assert "70 more rows" in latitude[-1].message and "70 weitere Zeilen" in latitude[-1].text("de")


@pytest.mark.parametrize(
    "date, precision, german",
    [
        ("2013-05-04", "month", "ist auf den Monat genau: als Ersten des Monats schreiben"),
        ("1960-03-01", "year", "ist auf das Jahr genau: als 1. Januar schreiben"),
    ],
)
def test_a_date_says_no_more_than_its_precision(tmp_path, date, precision, german):
    rows = copy.deepcopy(BASE_ROWS["status_history"])
    rows[1][1:3] = [date, precision]  # dortmund-trabzon, file row 3
    problems = validate_package(write_package(tmp_path / "p", {"status_history": rows}))
    assert where(problems) == [("status_history", 3, "date")]
    assert german in problems[0].text("de")


# --- damaged zips: crashes the fuzzing found (tests/test_fuzz.py), pinned as plain examples ---


def small_zip(members: list[tuple[str, bytes, int]]) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as archive:
        warnings.simplefilter("ignore", UserWarning)
        for name, content, method in members:
            info = zipfile.ZipInfo(name)
            info.compress_type = method
            archive.writestr(info, content)
    return buffer.getvalue()


DESCRIPTOR_MEMBER = ("datapackage.json", b"{}", zipfile.ZIP_STORED)
CSV = b"a,b\n1,2\n" * 100


def _patched(data: bytes, signature: bytes, offset: int, value: bytes, occurrence: int = -1) -> bytes:
    starts = [m.start() for m in re.finditer(re.escape(signature), data)]
    at = starts[occurrence] + offset
    return data[:at] + value + data[at + len(value) :]


def _member_data_at(data: bytes) -> int:
    """Where the last member's data begins, after its local header."""
    start = data.rfind(b"PK\x03\x04")
    name_length, extra_length = (
        int.from_bytes(data[start + 26 : start + 28], "little"),
        int.from_bytes(data[start + 28 : start + 30], "little"),
    )
    return start + 30 + name_length + extra_length


def _damaged_deflate() -> bytes:
    data = small_zip([DESCRIPTOR_MEMBER, ("data/x.csv", CSV, zipfile.ZIP_DEFLATED)])
    at = _member_data_at(data)
    return data[:at] + b"\xff" + data[at + 1 :]  # block type 3 does not exist: zlib.error


def _bad_crc() -> bytes:
    data = small_zip([DESCRIPTOR_MEMBER, ("data/x.csv", CSV, zipfile.ZIP_STORED)])
    at = _member_data_at(data)
    return data[:at] + b"b" + data[at + 1 :]  # BadZipFile: Bad CRC-32


def _encrypted() -> bytes:
    return _patched(
        small_zip([DESCRIPTOR_MEMBER, ("data/x.csv", CSV, zipfile.ZIP_STORED)]), b"PK\x01\x02", 8, b"\x01"
    )  # RuntimeError: password required


def _central_directory_moved(by: int) -> bytes:
    """The end record claims the central directory starts BY bytes later: members' offsets go negative."""
    at = ZIP_OF_TWO.rfind(b"PK\x05\x06") + 16
    offset = int.from_bytes(ZIP_OF_TWO[at : at + 4], "little") + by
    return ZIP_OF_TWO[:at] + offset.to_bytes(4, "little") + ZIP_OF_TWO[at + 4 :]


ZIP_OF_TWO = small_zip([DESCRIPTOR_MEMBER, ("data/x.csv", CSV, zipfile.ZIP_STORED)])


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(_damaged_deflate(), id="damaged-deflate-stream"),
        pytest.param(_bad_crc(), id="bad-crc"),
        pytest.param(_encrypted(), id="encrypted-member"),
        pytest.param(_patched(ZIP_OF_TWO, b"PK\x01\x02", 6, b"\xe9"), id="version-23.3-needed"),
        pytest.param(_patched(ZIP_OF_TWO, b"PK\x01\x02", 10, b"\x63"), id="unknown-compression-method"),
        pytest.param(_central_directory_moved(1_000_000), id="negative-seek"),
        pytest.param(_patched(ZIP_OF_TWO, b"PK\x01\x02", 42, b"\x01\x00"), id="truncated-file-header"),
        pytest.param(small_zip([DESCRIPTOR_MEMBER, ("a" * 300, b"x", 0)]), id="name-too-long"),
        pytest.param(
            small_zip([DESCRIPTOR_MEMBER, ("data", b"x", 0), ("data/x.csv", b"x", 0)]), id="file-where-a-folder-goes"
        ),
        pytest.param(small_zip([DESCRIPTOR_MEMBER, ("", b"x", 0)]), id="empty-name"),
        pytest.param(small_zip([DESCRIPTOR_MEMBER, (".", b"x", 0)]), id="dot-name"),
        pytest.param(small_zip([DESCRIPTOR_MEMBER, ("datapackage.json/", b"", 0)]), id="folder-where-a-file-is"),
    ],
)
def test_damaged_zips_are_refused(data):
    # upload.py unpack_package_zip: zipfile, zlib and the file system raised past the refusal
    with tempfile.TemporaryDirectory() as folder, guarded(), pytest.raises(UploadRefused) as refused:
        unpack_package_zip(data, Path(folder) / "target")
    assert refused.value.code == "not_zip"
