"""Generated modules are clean under ruff's classic default rules (E4, E7, E9, F) plus isort (I):
every import used, every import block sorted, for the golden record and for hostile documents.
The generated pyproject.toml tells ruff the code's line length, so ruff run in the project
folder agrees with black."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator import Config, generate
from tests.conftest import ROOT, minimal, write_spec

RULES = "E4,E7,E9,F,I"


def ruff(project: Path) -> subprocess.CompletedProcess[str]:
    package = next(p.name for p in project.iterdir() if (p / "__init__.py").is_file())
    return subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--select", RULES, "--output-format", "concise", package],
        cwd=project,
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize("project", sorted(p.name for p in (ROOT / "generated").iterdir() if p.is_dir()))
def test_golden_record_is_ruff_clean(project: str) -> None:
    out = ruff(ROOT / "generated" / project)
    assert out.returncode == 0, out.stdout + out.stderr


def test_a_document_of_every_shape_is_ruff_clean(tmp_path: Path) -> None:
    schemas = {
        "Pet": {
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "string", "format": "uuid"},
                "born": {"type": "string", "format": "date"},
                "seen": {"type": "string", "format": "date-time"},
                "tags": {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}},
                "kind": {"oneOf": [{"$ref": "#/components/schemas/Tag"}, {"type": "integer"}]},
                "extra": {"type": "object", "additionalProperties": {"type": "number"}},
            },
        },
        "Tag": {"type": "object", "properties": {"name": {"type": "string"}, "child": {"$ref": "#/components/schemas/Tag"}}},
        "Color": {"type": "string", "enum": ["red", "green"]},
    }
    pet = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}
    paths = {
        "/pets": {
            "get": {"operationId": "listPets", "tags": ["pets"], "responses": {"200": pet}},
            "post": {"operationId": "createPet", "tags": ["pets"], "requestBody": pet, "responses": {"201": pet}},
        },
        "/pets/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "delete": {"operationId": "deletePet", "tags": ["pets"], "responses": {"204": {"description": "gone"}}},
        },
        "/pets/{id}/toys": {
            "get": {"operationId": "listToys", "tags": ["pets.toys"], "responses": {"200": {"description": "ok"}}}
        },
        "/health": {"get": {"operationId": "health", "responses": {"200": {"description": "ok"}}}},
    }
    spec = write_spec(tmp_path / "spec", minimal(paths=paths, schemas=schemas))
    result = generate(Config(spec=spec, output=tmp_path / "out", package_name="shapes"))
    out = ruff(result.package_dir)
    assert out.returncode == 0, out.stdout + out.stderr


def test_an_empty_api_is_ruff_clean(tmp_path: Path) -> None:
    result = generate(Config(spec=write_spec(tmp_path / "spec", minimal()), output=tmp_path / "out"))
    out = ruff(result.package_dir)
    assert out.returncode == 0, out.stdout + out.stderr
