"""Output files: whatever a spec names its operations, tags, schemas or itself, every file lands
inside the package directory, under a portable name (no Windows device, no two names equal
without case, every component far below 255 bytes), and no generated module replaces one of
the package's own files.
"""

from __future__ import annotations

import os
import re
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import Config, generate
from generator.cli import main
from generator.naming import WINDOWS_DEVICES
from generator.render import runtime_files
from generator.render.write import check_relpath
from tests.support.hostile import build_sdk, call_every_operation, import_every_module, write_spec_text

TRAVERSAL = [
    "../escape",
    "../../../../tmp/escape",
    "/abs/path",
    "C:\\Windows\\System32",
    "\\\\server\\share",
    "..",
    ".",
    "a/../../b",
    "~/x",
    "$HOME",
    "con",
    "CON",
    "nul.py",
    "aux",
    "com1",
    "LPT9",
    "prn.txt",
    "__init__",
    "_client",
    "client",
    "Client",
    "types",
    "Types",
    "resources",
    "pagination",
    "_base_client",
    "_models",
    "_version",
    "py.typed",
    "Init",
    "README",
    "pyproject",
    "sdkgen-manifest",
    "x" * 300,
    "x" * 300 + "y",
    "é" * 200,
    "Pet",
    "pet",
    "PET",
    "pEt",
    "",
    "\x00",
    "a\x00b",
]
# The package's own files: none may be replaced by a generated module.
FIXED = {
    "__init__.py",
    "_client.py",
    "_version.py",
    "py.typed",
    "types/__init__.py",
    "resources/__init__.py",
    *runtime_files(),
}


def files_spec(names: list[str], title: str = "Files") -> dict[str, Any]:
    """Each name as an operationId, a tag (and a nested tag) and a schema."""
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for i, name in enumerate(names):
        schemas[name] = {"type": "object", "title": name, "properties": {"a": {"type": "string"}}}
        token = name.replace("~", "~0").replace("/", "~1")
        ref = "#/components/schemas/" + "".join(
            c if c.isascii() and (c.isalnum() or c in "-._~") else "".join(f"%{b:02X}" for b in c.encode())
            for c in token
        )
        paths[f"/r{i}"] = {
            "get": {
                "operationId": name,
                "tags": [name, f"{name}.{name}"][i % 2 : i % 2 + 1],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": ref}}}}},
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas},
    }


def check_tree(out: Path, package_dir: Path, files: dict[str, bytes], package: str) -> None:
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert on_disk == {f"{package_dir.name}/{rel}" for rel in files}, "a file was written outside the package"
    assert package_dir.parent == out
    lowered = [rel.casefold() for rel in files]
    assert len(set(lowered)) == len(lowered)
    for rel in files:
        check_relpath(rel)
        for part in PurePosixPath(rel).parts:
            assert len(part.encode()) <= 100, part
            assert part.split(".")[0].casefold() not in WINDOWS_DEVICES, rel
    modules = {rel[len(package) + 1 :] for rel in files if rel.startswith(package + "/")}
    assert modules >= FIXED
    for name, text in runtime_files().items():
        assert files[f"{package}/{name}"].decode().endswith(text), f"{name} was replaced"
    types_init = files[f"{package}/types/__init__.py"].decode()
    assert re.search(r"\n_MODULES(: [^=]+)? = {\n", types_init)


def test_traversal_and_package_file_names(tmp_path: Path) -> None:
    out = tmp_path / "out"
    sdk = build_sdk(write_spec_text(tmp_path / "spec", files_spec(TRAVERSAL)), out, formatted=False)
    check_tree(out, sdk.result.package_dir, sdk.files, sdk.package.__name__)
    import_every_module(sdk)
    call_every_operation(sdk)
    assert len(sdk.api.all_operations()) == len(TRAVERSAL)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "spec"]


@pytest.mark.parametrize("title", ["../../evil", "/etc", "con", "C:\\x", "__init__", "x" * 400, "types", "..", ""])
def test_titles_choose_a_safe_package_directory(title: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    sdk = build_sdk(write_spec_text(tmp_path / "spec", files_spec(["a"], title)), out, formatted=False)
    check_tree(out, sdk.result.package_dir, sdk.files, sdk.package.__name__)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "spec"]


segment = st.text(st.sampled_from(list("aAzZ09._-/\\:~ $é\x00")), max_size=12) | st.sampled_from(TRAVERSAL)


@settings(max_examples=20, deadline=None)
@given(names=st.lists(segment, min_size=1, max_size=8, unique=True), title=segment)
def test_any_names_stay_inside(names: list[str], title: str) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        out = root / "out"
        sdk = build_sdk(
            write_spec_text(root / "spec", files_spec(names, title)), out, formatted=False, validation=False
        )
        check_tree(out, sdk.result.package_dir, sdk.files, sdk.package.__name__)
        assert sorted(p.name for p in root.iterdir()) == ["out", "spec"]


def test_unwritable_output_is_a_diagnostic(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = write_spec_text(tmp_path / "spec", files_spec(["a"]))
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    code = main(["generate", str(spec), "-o", str(blocker / "sub"), "--package-name", "pkg"])
    err = capsys.readouterr().err
    assert code == 2
    assert "Traceback" not in err and "cannot write" in err, err
    assert blocker.read_text() == "not a directory"


def test_generate_refuses_unsafe_paths_cleanly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Defence in depth: if a bug ever produced an unsafe path, the write is refused as a
    diagnostic, not a traceback, and nothing is written."""
    from generator import pipeline
    from generator.diagnostics import SpecError

    real_build = pipeline.build

    def evil(config: Config, *args: Any, **kwargs: Any) -> Any:
        result = real_build(config, *args, **kwargs)
        result.files["../escaped.py"] = b"x = 1\n"
        return result

    monkeypatch.setattr(pipeline, "build", evil)
    spec = write_spec_text(tmp_path / "spec", files_spec(["a"]))
    with pytest.raises(SpecError) as info:
        generate(Config(spec=spec, output=tmp_path / "out", package_name="pkg"))
    assert "refusing to write" in info.value.diagnostics[0].message
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert not (tmp_path / "escaped.py").exists() and not os.path.exists(tmp_path / "out" / "escaped.py")
