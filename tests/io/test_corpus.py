"""Every table of the labelled reading corpus is read as its labels say.

The corpus (``tests/corpus/reading``) holds real public tables from installed packages,
some laid out at test time the way statistics offices, databases and web portals export
them; ``bench/understanding.py`` prints the same comparison as figures.
"""

import pytest

from synthdesk.io import read_table
from synthdesk.schema import profile_columns
from tests.corpus.reading.corpus import labels, materialise

NAMES = [entry["name"] for entry in labels()]
# Known misses, each with its reason; the benchmark counts them.
KNOWN = {
    ("zone1970", "coordinates"): "unique signed coordinates read as codes",
}


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    return {case.name: case for case in materialise(tmp_path_factory.mktemp("corpus"))}


def test_the_corpus_is_large_and_every_table_names_its_source_and_licence():
    entries = labels()
    assert len(entries) >= 40
    for entry in entries:
        assert entry["source"] and entry["licence"], entry["name"]
        assert entry["kinds"], entry["name"]


@pytest.mark.parametrize("name", NAMES)
def test_corpus_table_is_read_as_labelled(cases, name):
    case = cases[name]
    table = read_table(case.path, sheet=case.sheet)
    expected = case.labels
    assert table.source.header_row == expected["header_row"]
    assert table.source.last_row == expected["last_row"]
    assert len(table.data) == expected["rows"]
    kinds = {spec.name: spec.kind.value for spec in profile_columns(table.data)}
    for column, kind in expected["kinds"].items():
        if (name, column) in KNOWN:
            continue
        assert kinds.get(column) == kind, f"{column}: {kinds.get(column)}, not {kind}"
