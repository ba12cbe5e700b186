"""The phrasebook (src/present/phrasebook.toml): every text in German and English with the same
placeholders, every code of the contract labelled in both, dates written by one rule; and the report
builds without Streamlit."""

from __future__ import annotations

import ast
import string
import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from analysis.contract import CONTINENTS, KINDS, STATUSES
from analysis.problems import NotADataPackage, Problem
from analysis.questions.overview import STATUS_GROUPS
from present import i18n
from present.labels import at_precision

RAW = tomllib.loads(i18n.PHRASEBOOK.read_text(encoding="utf-8"))
ENTRIES = [(table, key, entry) for table, entries in RAW.items() for key, entry in entries.items()]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_the_phrasebook_holds_the_tables_the_code_reads():
    assert set(RAW) == {
        "status",
        "kind",
        "continent",
        "group",
        "column",
        "text",
        "edit",
        "refusal",
        "report",
        "problem",
        "date_basis",  # the workbook's words for a status row's date (analysis.keeping.workbook_words)
        "sheet",  # the workbook's sheet names
        "cli",  # the command line's lines and help (src/console)
        "field_description",  # what each field of the contract means (the data dictionary)
    }
    assert len(ENTRIES) > 300  # about 360 texts in all: the pages', the edit mode's, the report's


def test_every_field_of_the_contract_is_described_and_labelled_in_both_languages():
    from analysis.contract import CONTRACT_SCHEMAS

    fields = {f"{name}.{field['name']}" for name, schema in CONTRACT_SCHEMAS.items() for field in schema["fields"]}
    assert len(fields) == 40  # 3 + 12 + 6 + 7 + 3 + 3 + 6, counted in docs/data-contract.md
    assert set(RAW["field_description"]) == fields
    assert {f"field_{name.split('.')[1]}" for name in fields} <= set(RAW["edit"])
    assert set(CONTRACT_SCHEMAS) <= set(RAW["sheet"])


def gaps(table: str, key: str, entry: object) -> list[str]:
    """What is missing or uneven in one entry of the phrasebook, in words."""
    name = f"[{table}] {key}"
    if not isinstance(entry, dict) or set(entry) != {"de", "en"}:
        return [f"{name}: needs exactly de and en, has {sorted(entry) if isinstance(entry, dict) else entry!r}"]
    found = []
    for lang in ("de", "en"):
        if not entry[lang].strip():
            found.append(f"{name}: the {lang} text is empty")
        elif entry[lang] != entry[lang].strip():
            found.append(f"{name}: the {lang} text starts or ends with a space or line break")
    if placeholders(entry["de"]) != placeholders(entry["en"]):
        found.append(f"{name}: placeholders differ: de {placeholders(entry['de'])}, en {placeholders(entry['en'])}")
    return found


def test_every_entry_has_a_german_and_an_english_text_with_the_same_placeholders():
    found = [gap for table, key, entry in ENTRIES for gap in gaps(table, key, entry)]
    assert not found, f"{len(found)} gaps in the phrasebook:\n" + "\n".join(found)


def test_each_kind_of_gap_is_named():
    assert gaps("text", "fine", {"de": "{n} gut", "en": "{n} fine"}) == []
    assert gaps("text", "half", {"de": "halb"}) == ["[text] half: needs exactly de and en, has ['de']"]
    assert gaps("text", "blank", {"de": " ", "en": "x "}) == [
        "[text] blank: the de text is empty",
        "[text] blank: the en text starts or ends with a space or line break",
    ]
    assert gaps("problem", "uneven", {"de": "{a}", "en": "{b}"}) == [
        "[problem] uneven: placeholders differ: de {'a'}, en {'b'}"
    ]


def test_a_text_names_one_thing_in_text_or_edit_not_both():
    assert not RAW["text"].keys() & RAW["edit"].keys()


@pytest.mark.parametrize(
    ("table", "codes"),
    [("status", STATUSES), ("kind", KINDS), ("continent", CONTINENTS), ("group", tuple(STATUS_GROUPS))],
)
def test_every_code_of_the_contract_has_a_label_in_both_languages(table, codes):
    assert len(codes) >= 4
    assert set(RAW[table]) == set(codes)
    for lang in ("de", "en"):
        labels = [RAW[table][code][lang] for code in codes]
        assert all(label.strip() for label in labels), labels
        assert len(set(labels)) == len(codes), labels  # a legend keyed by label needs each once


def test_the_labels_follow_the_language_chosen():
    with i18n.language("en"):
        assert i18n.status_label("in_preparation") == "in preparation"
        assert i18n.t("shown", n=3, total=12) == "3 of 12 partnerships"
        assert i18n.t("edit_save") == "Save"  # the edit mode's texts through the same t()
        assert i18n.plural("continents_without", 1) == "1 continent without an active partnership"
        assert "now invalid (1 error)." in i18n.plural("package_outdated", 1)
        assert "now invalid (2 errors)." in i18n.plural("package_outdated", 2)
    with i18n.language("de"):
        assert i18n.continent_label("South America") == "Südamerika"
        assert i18n.report_text("capped", shown="500", total="1.200", file="x.csv").startswith(
            "Gezeigt werden die ersten 500 von 1.200 Zeilen"
        )
        assert i18n.refusal("too_many", count=20000) == "Das Archiv enthält zu viele Dateien (20.000)."
        assert i18n.plural("continents_without", 4) == "4 Kontinente ohne aktive Partnerschaft"


def test_a_long_text_is_joined_without_its_line_breaks():
    with i18n.language("en"):
        text = i18n.t("capped", shown=1, total=2)
    assert text == "The table shows the first 1 of 2 rows; all are in the downloads (Data & downloads)."


def runs_cleanly(code: str) -> None:
    """CODE runs to its end in a fresh interpreter of this project (a process of its own, so that
    what it imports and which language reader it sets are its own)."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_the_report_and_every_module_of_present_import_without_streamlit():
    code = (
        "import importlib, pkgutil, sys, present, report.build\n"
        "names = [m.name for m in pkgutil.iter_modules(present.__path__, 'present.')]\n"
        "[importlib.import_module(name) for name in names]\n"
        "assert len(names) >= 7, names\n"
        "assert 'streamlit' not in sys.modules, 'streamlit imported'\n"
    )
    runs_cleanly(code)


def test_a_block_s_language_wins_over_the_reader_s_and_an_unknown_one_means_german():
    code = (
        "from present import i18n\n"
        "i18n.read_language_with(lambda: 'en')\n"
        "assert i18n.t('edit_save') == 'Save'\n"
        "with i18n.language('de'):\n"
        "    assert i18n.t('edit_save') == 'Speichern'\n"
        "i18n.read_language_with(lambda: 'fr')\n"
        "assert i18n.lang() == 'de'\n"
    )
    runs_cleanly(code)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("de", ["1950", "09/2024", "05.09.2019", "25.11.2019"]),
        ("en", ["1950", "Sep 2024", "5 Sep 2019", "25 Nov 2019"]),
    ],
)
def test_a_date_is_written_at_its_precision_the_same_in_a_caption_and_in_a_table(lang, expected):
    days = [date(1950, 6, 1), date(2024, 9, 1), date(2019, 9, 5), date(2019, 11, 25)]
    precisions = ["year", "month", "day", None]  # no precision: the day is known
    frame = pl.DataFrame({"day": days, "precision": precisions})
    with i18n.language(lang):
        one_by_one = [i18n.date_at_precision(d, p) for d, p in zip(days, precisions, strict=True)]
        column = at_precision(frame, "day", "precision")["day"].to_list()
    assert one_by_one == column == expected
    assert i18n.date_at_precision(None, "day") == ""


def test_an_entry_without_one_of_the_languages_is_named(tmp_path):
    book = tmp_path / "phrasebook.toml"
    book.write_text('[text]\nfine = { de = "gut", en = "fine" }\nhalf = { de = "halb" }\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"\[text\] half needs a German \(de\) and an English \(en\) text"):
        i18n.read_phrasebook(book)
    book.write_text('[text]\nfine = { de = "gut", en = "fine" }\n', encoding="utf-8")
    assert i18n.read_phrasebook(book) == {"text": {"fine": ("gut", "fine")}}


def code_positions(tree: ast.Module) -> dict[str, set[int]]:
    """name -> where its argument `code` stands, for the functions and classes TREE defines (a
    dataclass with a field `code`, such as Problem, or a class whose __init__ takes one)."""
    positions: dict[str, set[int]] = {}
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.FunctionDef):
            names = [a.arg for a in node.args.args]
        elif isinstance(node, ast.ClassDef):
            init = next((f for f in node.body if isinstance(f, ast.FunctionDef) and f.name == "__init__"), None)
            fields = [f.target.id for f in node.body if isinstance(f, ast.AnnAssign) and isinstance(f.target, ast.Name)]
            names = [a.arg for a in init.args.args][1:] if init else fields
        if "code" in names:
            positions.setdefault(node.name, set()).add(names.index("code") - (names[0] == "self"))
    return positions


def codes_in_the_code() -> list[tuple[str, list[ast.expr]]]:
    """For every call in src/ and views/ of a function or class that takes an argument named
    `code` (Problem, the refusals, the helpers that make them), resolved through the calling
    module's own definitions and imports: where it is, and the expressions that may be its code."""
    root = Path(__file__).resolve().parents[1]
    paths = [*(root / "src").rglob("*.py"), *(root / "views").glob("*.py")]
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(paths)}
    modules = {
        ".".join(path.relative_to(root / "src").with_suffix("").parts).removesuffix(".__init__"): tree
        for path, tree in trees.items()
        if path.is_relative_to(root / "src")
    }
    found = []
    for path, tree in trees.items():
        known: dict[str, set[int]] = {}  # what this module calls by a plain name: what it imports,
        for statement in tree.body:  # then its own definitions (a local one wins)
            if isinstance(statement, ast.ImportFrom) and statement.module in modules:
                imported = code_positions(modules[statement.module])
                known |= {alias.asname or alias.name: imported.get(alias.name, set()) for alias in statement.names}
        own = code_positions(tree)
        known |= {
            n.name: own.get(n.name, set()) for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and known.get(node.func.id):
                given = [k.value for k in node.keywords if k.arg == "code"]
                given += [node.args[p] for p in sorted(known[node.func.id]) if p < len(node.args)]
                found.append((f"{path.relative_to(root)}:{node.lineno}", given))
    return found


def test_every_problem_the_code_makes_has_its_text():
    spoken = RAW["problem"].keys() | RAW["refusal"].keys() | RAW["cli"].keys()

    def said(code: ast.expr) -> bool | None:
        """Whether CODE names a text (None: not a literal, so not for this test to say)."""
        if isinstance(code, ast.Constant) and isinstance(code.value, str):
            return code.value in spoken
        if isinstance(code, ast.JoinedStr) and isinstance(code.values[0], ast.Constant):
            return any(key.startswith(code.values[0].value) for key in spoken)  # f"check_{key}"
        return None

    found = codes_in_the_code()
    missing = [
        f"{where}: {', '.join(ast.unparse(c) for c in given)}"
        for where, given in found
        if (verdicts := [v for v in map(said, given) if v is not None]) and not any(verdicts)
    ]
    assert sum(1 for _, given in found if any(map(said, given))) > 90  # the scan found the problems
    assert not missing, "codes without a text in the phrasebook:\n" + "\n".join(missing)


def test_a_problem_speaks_the_phrasebook_s_words_with_its_params():
    problem = Problem(
        "status_history", 7, "date", code="rule_after_created", params={"date": "2030-01-01", "created": "2026-11-21"}
    )
    assert problem.message == "2030-01-01 lies after the package's created date 2026-11-21"
    assert problem.describe("de") == (
        "Statusverlauf (status_history), Zeile 7, Feld Datum (date): "
        "2030-01-01 liegt nach dem Erstellungsdatum des Pakets (2026-11-21)"
    )
    assert str(problem) == "Status history (status_history), row 7, field Date (date): " + problem.message
    same_words = Problem("status_history", 7, "date", code="rule_after_created", params=dict(problem.params))
    assert problem == same_words and problem != Problem(
        "status_history", 8, "date", code="rule_after_created", params=dict(problem.params)
    )
    with pytest.raises(KeyError):
        Problem("x", None, None, code="no_such_code")
    refused = NotADataPackage(
        "descriptor_broken_json", path="p/datapackage.json", line=3, column=9, reason="Expecting ','"
    )
    assert refused.text("de") == "p/datapackage.json: fehlerhaftes JSON in Zeile 3, Spalte 9: Expecting ','"
    assert str(refused) == "p/datapackage.json: broken JSON at line 3, column 9: Expecting ','"
