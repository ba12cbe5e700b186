"""The data dictionary in words: the rules of a small descriptor of its own, said in German and English."""

from __future__ import annotations

import pytest

from analysis.outputs.dictionary import data_dictionary
from present import i18n
from present.dictionary_words import dictionary_in_words

DESCRIPTOR = {
    "resources": [
        {
            "name": "partnerships",
            "schema": {
                "primaryKey": ["partnership_id"],
                "foreignKeys": [
                    {"fields": ["home_id"], "reference": {"resource": "municipalities", "fields": ["municipality_id"]}}
                ],
                "fields": [
                    {
                        "name": "partnership_id",
                        "type": "string",
                        "constraints": {"required": True, "unique": True, "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
                    },
                    {"name": "home_id", "type": "string", "constraints": {"required": True}},
                    {"name": "kind", "type": "string", "constraints": {"enum": ["twinning", "climate"]}},
                    {
                        "name": "visits",
                        "type": "integer",
                        "description": "Besuche im Jahr",
                        "constraints": {"minimum": 1500},
                    },
                    {"name": "code", "type": "string", "constraints": {"pattern": "^X[0-9]$", "maxLength": 2}},
                ],
            },
        }
    ]
}


def said(lang: str) -> list[dict]:
    with i18n.language(lang):
        return dictionary_in_words(data_dictionary(DESCRIPTOR)).to_dicts()


def test_rules_in_german_words_with_the_codes_beside_them():
    rows = said("de")
    assert [r["Feld"] for r in rows] == [
        "Partnerschaft (partnership_id)",
        "Heimatkommune (home_id)",
        "Art (kind)",
        "visits",  # not in the contract: its own name and description
        "code",
    ]
    assert {r["Tabelle"] for r in rows} == {"Partnerschaften (partnerships)"}
    key, home, kind, visits, code = rows
    # the key says "only once" already: "unique" is not said twice
    assert key["Regeln"] == (
        "Kleinbuchstaben a–z, Ziffern und einzelne Bindestriche (z. B. dortmund-leeds); "
        "Schlüssel: jeder Wert nur einmal"
    )
    assert key["Pflichtfeld"] == "ja" and kind["Pflichtfeld"] == "nein"
    assert home["Regeln"] == "muss vorkommen in Kommunen (municipalities), Ort (municipality_id)"
    assert kind["Regeln"] == "nur: Städtepartnerschaft (twinning), Klimapartnerschaft (climate)"
    assert visits["Regeln"] == "mindestens 1.500" and visits["Typ"] == "ganze Zahl"
    assert visits["Beschreibung"] == "Besuche im Jahr"
    assert code["Regeln"] == "Muster (regulärer Ausdruck): ^X[0-9]$; höchstens 2 Zeichen"
    assert key["Beschreibung"] == "Kurzform aus Heimatstadt und Partner."  # the contract's field, in German


@pytest.mark.parametrize("lang", ["de", "en"])
def test_no_raw_rules_in_either_language(lang):
    for row in said(lang):
        assert "{" not in row[list(row)[-1]] and "pattern:" not in row[list(row)[-1]]


def test_english_words_in_the_english_view():
    key, home, kind, visits, _ = said("en")
    assert list(key) == ["Table", "Field", "Type", "Required", "Description", "Rules"]
    assert kind["Rules"] == "only: Twinning (twinning), Climate partnership (climate)"
    assert visits["Rules"] == "at least 1,500" and visits["Type"] == "whole number"
    assert home["Rules"] == "must occur in Municipalities (municipalities), Place (municipality_id)"
