"""``sdkgen check`` and ``sdkgen diff`` with targets: a package generated from the command line
and then declared as a target with the same settings checks clean; a change of settings alone
is explained; a spec file compared with a target is named after the target's package."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterator

import pytest

from generator.cli import main
from tests.conftest import write_spec
from tests.test_diff import base, schema

TARGET = """\
[[tool.sdkgen.targets]]
name = "shop"
spec = "spec/openapi.yaml"
output = "out"
package-name = "shopsdk"
"""


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    write_spec(tmp_path / "spec", base())
    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(cwd)


def test_generated_from_the_command_line_then_declared_as_a_target_checks_clean(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate", "spec/openapi.yaml", "-o", "out", "--package-name", "shopsdk", "-q"]) == 0
    (project / "pyproject.toml").write_text(TARGET)
    assert main(["check"]) == 0, capsys.readouterr().out
    assert "shop: in sync" in capsys.readouterr().out
    # the same, when the fast path cannot be taken (the manifest's hashes do not prove it)
    manifest = project / "out" / "shopsdk" / "sdkgen-manifest.json"
    data = json.loads(manifest.read_text())
    data["toolchain_sha256"] = "0" * 64
    manifest.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "the templates or the generator changed" in out and "unknown" not in out


def test_a_settings_only_change_is_explained(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "pyproject.toml").write_text(TARGET)
    assert main(["generate", "-q"]) == 0
    assert main(["check"]) == 0
    (project / "pyproject.toml").write_text(TARGET + 'client-name = "ShopClient"\n')
    capsys.readouterr()
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "why: the target's settings changed: client-name None -> 'ShopClient'" in out
    assert "unknown" not in out
    assert main(["generate", "-q"]) == 0 and main(["check"]) == 0


def test_diff_of_a_target_and_a_spec_file_uses_the_target_names(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "pyproject.toml").write_text(TARGET + 'client-name = "ShopClient"\n')
    new = base()
    new["info"]["title"] = "Completely Different Title"
    schema(new, "Item")["properties"].pop("note")
    path = write_spec(project / "next", new)
    assert main(["diff", "shop", str(path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    (change,) = data["changes"]
    assert change["symbols"] == ["shopsdk.types.Item.note"]
    assert main(["diff", str(path), "shop", "--format", "json"]) == 0  # either side
    assert json.loads(capsys.readouterr().out)["changes"][0]["symbols"] == ["shopsdk.types.Item.note"]
    schema(new, "ItemCreate")["properties"].pop("size")
    write_spec(project / "next", new)
    assert main(["diff", "shop", str(path), "--format", "json"]) == 0
    symbols = {s for c in json.loads(capsys.readouterr().out)["changes"] for s in c["symbols"]}
    assert "ShopClient.items.create(size=...)" in symbols
