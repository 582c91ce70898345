"""Differential check: the models sdkgen generates for the 3.1 schema feature cases
(``tests/data/schema-cases/``) accept and reject the same instances as ``jsonschema`` given the
same schema.

Instances come from ``hypothesis-jsonschema``: for each component, values valid for one of the
document's components (so valid for this one, or near misses valid for a sibling).  Every
disagreement is either fixed or listed in ``KNOWN`` below with the reason, and in which
direction sdkgen differs (it only ever accepts more: a newer server's values, or a keyword it
reports with a warning when generating), except in ``KNOWN_STRICTER``.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

from generator import Config, generate
from tests.conftest import valid

CASES = Path(__file__).parent / "data" / "schema-cases"


def _components(doc: Path) -> dict[str, Any]:
    loaded = yaml.safe_load(doc.read_text())
    if not str(loaded.get("openapi", "")).startswith("3.1"):
        return {}
    return (loaded.get("components") or {}).get("schemas") or {}


DOCS = {doc.stem: _components(doc) for doc in sorted(CASES.glob("*.yaml")) if _components(doc)}

# (case, component) -> why sdkgen accepts instances jsonschema rejects.  Recursive schemas
# hypothesis-jsonschema cannot draw from are listed in ``NOT_DRAWN``.
KNOWN: dict[tuple[str, str], str] = {
    ("allof", "Located"): "oneOf inside allOf: the variants' properties are optional fields, "
    "an object matching no variant is accepted (warned when generating)",
    ("allof", "Tagged"): "oneOf beside properties: as Located",
    ("allof", "Narrowed"): "a response model keeps an unknown enum value from a newer server",
    ("allof", "Deep"): "a response model keeps an unknown enum value from a newer server",
    ("null_enums", "Holder"): "a response model keeps an unknown enum value from a newer server",
    ("null_enums", "MaybeColor"): "a response model keeps an unknown enum value from a newer server",
    ("allof_edges", "Redeclared"): "a response model keeps an unknown enum value from a newer server",
    ("allof_edges", "Either"): "as Located (an object matching both variants is accepted too)",
    ("allof", "Pet"): "a tagged union keeps an unknown variant from a newer server as a dict",
    ("allof", "Shape"): "a union keeps an unknown variant from a newer server as a dict",
    ("tuples", "Point"): "pydantic's lax mode reads true/false as a number (1/0)",
    ("tuples", "Named"): "its field ``at`` is Point (lax mode: true/false as a number)",
    ("recursive_unions", "Expr"): "a tagged union keeps an unknown variant from a newer server as a dict",
    ("recursive_unions", "Add"): "a tagged union keeps an unknown variant from a newer server as a dict",
    ("constraints", "Percent"): "pydantic's lax mode reads a numeric string as a number",
    ("constraints", "Even"): "pydantic's lax mode reads a numeric string as a number",
    ("constraints", "Labels"): "pydantic's lax mode reads a numeric string as a number",
    ("constraints", "Thing"): "pydantic's lax mode reads a numeric string as a number",
}
# (case, component) -> why sdkgen rejects instances jsonschema accepts.
KNOWN_STRICTER: dict[tuple[str, str], str] = {}
# hypothesis-jsonschema cannot draw from recursive $refs; own_names is about class names (the
# components are not all attributes of ``types`` under their own names: ``pet`` is ``Pet_``)
NOT_DRAWN = {"recursive_unions", "helper_names", "own_names"}


def _schema(components: dict[str, Any], name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}", "components": {"schemas": components}}


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Each case's ``types`` module, by case name."""
    out: dict[str, Any] = {}
    root = tmp_path_factory.mktemp("differential")
    for case in DOCS:
        package = f"diff_{case}"
        result = generate(Config(spec=CASES / f"{case}.yaml", output=root / case, package_name=package))
        sys.path.insert(0, str(result.package_dir))
        try:
            importlib.invalidate_caches()
            out[case] = importlib.import_module(f"{package}.types")
        finally:
            sys.path.remove(str(result.package_dir))
    return out


PAIRS = [(case, name) for case, comps in DOCS.items() if case not in NOT_DRAWN for name in comps]


@pytest.mark.parametrize(("case", "name"), PAIRS, ids=[f"{c}-{n}" for c, n in PAIRS])
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(data=st.data())
def test_models_agree_with_jsonschema(case: str, name: str, models: dict[str, Any], data: st.DataObject) -> None:
    components = DOCS[case]
    drawn = st.one_of([from_schema(_schema(components, other)) for other in sorted(components)])
    instance = data.draw(drawn)
    expected = jsonschema.Draft202012Validator(_schema(components, name)).is_valid(instance)
    got = valid(getattr(models[case], name), instance)
    if (case, name) in (KNOWN if got else KNOWN_STRICTER) and got != expected:
        return  # a known, documented difference
    assert got == expected, f"{case}.{name}: sdkgen {'accepts' if got else 'rejects'} {instance!r}"


def test_known_list_names_real_components() -> None:
    for case, name in [*KNOWN, *KNOWN_STRICTER]:
        assert name in DOCS[case], (case, name)
