"""What a package says about itself, read from the small package's own metadata (tests/conftest.py)."""

import copy
from datetime import date

from conftest import write_package

from analysis.outputs.dictionary import PackageFacts, package_facts, package_sources
from analysis.package import load_package


def test_package_facts_of_the_test_package(tmp_path, small_descriptor):
    descriptor = copy.deepcopy(small_descriptor)
    descriptor["licenses"] = [
        {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"},
        {"title": "Datenlizenz Deutschland", "name": "dl-de-by-2.0"},
    ]
    package = load_package(write_package(tmp_path / "p", descriptor=descriptor))
    assert package_facts(package) == PackageFacts(
        title="Testpaket",
        name="testpaket",
        version="0.0.1-test",
        created=date(2026, 11, 21),
        licenses="CC-BY-4.0 https://creativecommons.org/licenses/by/4.0/; Datenlizenz Deutschland",
    )


def test_package_facts_without_created_or_licences(tmp_path, small_descriptor):
    descriptor = {k: v for k, v in small_descriptor.items() if k not in ("created", "licenses")}
    path = write_package(tmp_path / "p", descriptor=descriptor)
    facts = package_facts(load_package(path))
    assert (facts.created, facts.licenses) == (None, "")


def test_package_sources_as_given():
    descriptor = {"sources": [{"title": "Wikidata", "path": "https://www.wikidata.org"}, {"title": "Ämter"}, "x"]}
    sources = package_sources(descriptor)
    assert sources.rows() == [("Wikidata", "https://www.wikidata.org"), ("Ämter", "")]
    assert package_sources({}).height == 0
