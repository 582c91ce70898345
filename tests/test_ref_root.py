"""``ref-root`` widens the folder ``$ref``s may read (e.g. to the repository root); outside it,
and for URLs, refusal stays.  Tested on the layout of the OpenAPI Specification's own
multi-file example (``spec/swagger.yaml`` referring to ``../common/Error.yaml``)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator import Config, build
from generator.cli import main
from tests.conftest import minimal, write_spec

EXAMPLE = Path(__file__).parent / "data" / "ref-root" / "petstore-separate"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository holding the example, with a target that uses ``ref-root``."""
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLE, root / "apis" / "petstore")
    (root / "pyproject.toml").write_text(
        "[[tool.sdkgen.targets]]\n"
        'name = "petstore"\n'
        'spec = "apis/petstore/spec/swagger.yaml"\n'
        'output = "generated"\n'
        'package-name = "petstore"\n'
        'ref-root = "."\n',
        encoding="utf-8",
    )
    return root


def test_without_ref_root_the_shared_file_is_refused(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = repo / "apis" / "petstore" / "spec" / "swagger.yaml"
    assert main(["generate", str(spec), "-o", str(repo / "out"), "--strict"]) == 2
    err = capsys.readouterr().err
    assert (
        "error: swagger.yaml#/paths/~1pets/get/responses/default/schema/$ref: $ref to '../common/Error.yaml' "
        "leaves the spec's folder and is refused (hint: to read files above it, set ref-root (--ref-root) to a "
        "folder that holds them)"
    ) in err
    assert main(["generate", str(spec), "-o", str(repo / "out"), "-q"]) == 3  # the operations that need it skipped


def test_a_target_with_ref_root_generates_and_checks(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", "--config", str(repo / "pyproject.toml")]) == 0
    assert "warning" not in capsys.readouterr().err
    package = repo / "generated" / "petstore"
    manifest = json.loads((package / "sdkgen-manifest.json").read_text(encoding="utf-8"))
    assert manifest["spec_files"] == ["../common/Error.yaml", "NewPet.yaml", "Pet.yaml", "parameters.yaml", "swagger.yaml"]
    error = (package / "petstore" / "types" / "error.py").read_text(encoding="utf-8")
    assert "class Error(BaseModel):" in error and "code: int" in error
    assert main(["check", "--config", str(repo / "pyproject.toml")]) == 0
    (repo / "apis" / "petstore" / "common" / "Error.yaml").write_text(
        "type: object\nproperties:\n  code: {type: string}\n", encoding="utf-8"
    )
    capsys.readouterr()
    assert main(["check", "--config", str(repo / "pyproject.toml")]) == 1  # the shared file is part of the spec
    assert "the spec changed" in capsys.readouterr().out


def test_the_configuration_hash_does_not_depend_on_the_checkout(repo: Path, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere" / "clone"
    shutil.copytree(repo, other)
    hashes = []
    for root in (repo, other):
        spec = root / "apis" / "petstore" / "spec" / "swagger.yaml"
        result = build(Config(spec=spec, output=root / "out", package_name="petstore", ref_root=root), formatted=False)
        hashes.append(result.manifest["config_sha256"])
    assert hashes[0] == hashes[1]
    spec = repo / "apis" / "petstore" / "spec" / "swagger.yaml"
    narrower = build(Config(spec=spec, output=repo / "out", package_name="petstore", ref_root=repo / "apis"), formatted=False)
    assert narrower.manifest["config_sha256"] != hashes[0]


def test_outside_ref_root_and_urls_stay_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "root"
    write_spec(root / "common", {"Error": {"type": "object", "properties": {"code": {"type": "integer"}}}}, "error.yaml")
    (tmp_path / "secret.yaml").write_text("Secret: {type: string}\n", encoding="utf-8")
    (root / "common" / "link.yaml").symlink_to(tmp_path / "secret.yaml")
    schemas = {
        "Error": {"$ref": "../common/error.yaml#/Error"},
        "Above": {"$ref": "../../secret.yaml#/Secret"},
        "Linked": {"$ref": "../common/link.yaml#/Secret"},
        "Remote": {"$ref": "https://example.com/common/error.yaml#/Error"},
        "Absolute": {"$ref": f"{(root / 'common' / 'error.yaml').as_posix()}#/Error"},
    }
    spec = write_spec(root / "api", minimal(schemas=schemas))
    assert main(["generate", str(spec), "-o", str(tmp_path / "out"), "--ref-root", str(root), "--strict"]) == 2
    lines = sorted(line for line in capsys.readouterr().err.splitlines() if line.startswith("error"))
    assert lines == [
        "error: openapi.yaml#/components/schemas/Above/$ref: $ref to '../../secret.yaml' leaves the spec's folder "
        "and ref-root (..) and is refused",
        "error: openapi.yaml#/components/schemas/Absolute/$ref: $ref to absolute path "
        f"'{(root / 'common' / 'error.yaml').as_posix()}' refused: only files inside the spec's folder are read",
        "error: openapi.yaml#/components/schemas/Linked/$ref: $ref to '../common/link.yaml' leaves the spec's "
        "folder and ref-root (..) and is refused",
        "error: openapi.yaml#/components/schemas/Remote/$ref: remote $ref 'https://example.com/common/error.yaml#/Error' "
        "refused: sdkgen reads nothing outside the spec's folder (hint: download the referenced document into the "
        "spec folder and refer to it by relative path)",
    ]
