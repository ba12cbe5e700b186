"""The data dictionary in the reader's words: tables and fields by their labels (the codes beside
them), types, rules and references said in words, the contract's fields described in the reader's
language; a field the contract does not know keeps the description its package gives."""

from __future__ import annotations

import polars as pl

from present import i18n
from present.i18n import BOOK, t

# the contract's patterns, each said in words; another pattern is shown as the expression it is
PATTERN_WORDS = {
    "^[A-Z]{2}$": "dictionary_pattern_country",
    "^[a-z0-9]+(-[a-z0-9]+)*$": "dictionary_pattern_slug",
    "^[a-z]{2}-[a-z0-9]+(-[a-z0-9]+)*$": "dictionary_pattern_place",
    "^Q[1-9][0-9]*$": "dictionary_pattern_wikidata",
}
# the fields whose values have labels of their own
VALUE_LABELS = {
    "status": i18n.status_label,
    "kind": i18n.kind_label,
    "continent": i18n.continent_label,
    "date_basis": lambda v: _label("date_basis", v) or v,
    "date_precision": lambda v: t(f"precision_{v}"),
}
BOUNDS = {"minimum", "maximum", "minLength", "maxLength"}


def dictionary_in_words(dictionary: pl.DataFrame) -> pl.DataFrame:
    """DICTIONARY (analysis.outputs.dictionary.data_dictionary) with its headings and every cell in
    the current language: Tabelle, Feld, Typ, Pflichtfeld, Beschreibung, Regeln."""
    rows = [
        {
            t("dictionary_resource"): _named("sheet", row["resource"]),
            t("dictionary_field"): _named("edit", f"field_{row['field']}", row["field"]),
            t("dictionary_type"): _type(row["type"]),
            t("dictionary_required"): t("yes") if row["required"] else t("no"),
            t("dictionary_description"): _description(row["resource"], row["field"], row["description"]),
            t("dictionary_rules"): "; ".join(_rule(row["field"], rule) for rule in _said_once(row["rules"])),
        }
        for row in dictionary.iter_rows(named=True)
    ]
    headings = ["resource", "field", "type", "required", "description", "rules"]
    return pl.DataFrame(rows, schema={t(f"dictionary_{h}"): pl.String for h in headings})


def _said_once(rules: list[dict]) -> list[dict]:
    """RULES without "unique" where the field alone is the key (the key says it already)."""
    if any(r["rule"] == "primaryKey" and len(r["values"] or []) <= 1 for r in rules):
        return [r for r in rules if r["rule"] != "unique"]
    return rules


def _named(table: str, key: str, code: str | None = None) -> str:
    """The label of KEY in TABLE with the code beside it ("Partnerschaften (partnerships)"), or the code."""
    code = code or key
    label = _label(table, key)
    return code if label is None or label == code else f"{label} ({code})"


def _label(table: str, key: str) -> str | None:
    pair = BOOK[table].get(key)
    return None if pair is None else pair[0] if i18n.lang() == "de" else pair[1]


def _type(code: str) -> str:
    return t(f"dictionary_type_{code}") if f"dictionary_type_{code}" in i18n.TEXT else code


def _description(resource: str, field: str, given: str | None) -> str:
    return _label("field_description", f"{resource}.{field}") or given or ""


def _rule(field: str, rule: dict) -> str:
    name, values = rule["rule"], list(rule["values"] or [])
    if name == "enum":
        label = VALUE_LABELS.get(field)
        said = [v if label is None or label(v) == v else f"{label(v)} ({v})" for v in values]
        return t("dictionary_rule_enum", values=", ".join(said))
    if name == "pattern":
        pattern = values[0] if values else ""
        return t(PATTERN_WORDS[pattern]) if pattern in PATTERN_WORDS else t("dictionary_rule_pattern", pattern=pattern)
    if name in BOUNDS:
        value = values[0] if values else ""
        number = i18n.number(float(value)) if _is_number(value) else value
        return t(f"dictionary_rule_{name}", value=number)
    if name == "unique":
        return t("dictionary_rule_unique")
    if name == "primaryKey":
        return t("dictionary_rule_key") if len(values) <= 1 else t("dictionary_rule_key_part", fields=", ".join(values))
    if name == "reference":
        resource, _, target = values[0].partition(".") if values else ("", "", "")
        return t(
            "dictionary_rule_reference",
            target=f"{_named('sheet', resource)}, {_named('edit', f'field_{target}', target)}",
        )
    return f"{name}: {', '.join(values)}" if values else name


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
