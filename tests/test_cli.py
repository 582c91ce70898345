"""The CLI: exit codes, diagnostics with file and pointer, nothing written on error."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import ROOT, minimal, write_spec


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True)


def test_help_lists_commands(tmp_path: Path) -> None:
    out = run("--help", cwd=tmp_path)
    assert out.returncode == 0 and "generate" in out.stdout and "check" in out.stdout
    gen = run("generate", "--help", cwd=tmp_path)
    assert "--package-name" in gen.stdout and "-o" in gen.stdout


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("generate", "--bogus", cwd=tmp_path).returncode == 2
    assert run(cwd=tmp_path).returncode == 2


def test_dangling_ref_exits_2_with_pointer_and_writes_nothing(tmp_path: Path) -> None:
    spec = minimal(schemas={"A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/Nope"}}}})
    path = write_spec(tmp_path / "spec", spec)
    out = run("generate", str(path), "--strict", "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert out.returncode == 2
    assert "#/components/schemas/A/properties/b/$ref" in out.stderr
    assert "Traceback" not in out.stderr
    assert not (tmp_path / "out").exists()
    out = run("generate", str(path), "-o", str(tmp_path / "out"), cwd=tmp_path)  # A is skipped, the rest written
    assert out.returncode == 3
    assert "#/components/schemas/A/properties/b/$ref" in out.stderr and "skipped: schema 'A'" in out.stderr
    assert (tmp_path / "out").is_dir()


def test_error_keeps_previous_output(tmp_path: Path) -> None:
    good = write_spec(
        tmp_path / "spec", minimal(schemas={"A": {"type": "object", "properties": {"x": {"type": "string"}}}})
    )
    assert (
        run("generate", str(good), "-o", str(tmp_path / "out"), "--package-name", "pkg", cwd=tmp_path).returncode == 0
    )
    before = sorted(p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file())
    good.write_text("openapi: 3.1.0\ninfo: [\n")
    assert (
        run("generate", str(good), "-o", str(tmp_path / "out"), "--package-name", "pkg", cwd=tmp_path).returncode == 2
    )
    after = sorted(p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert before == after


def test_spec_named_output_dir(tmp_path: Path) -> None:
    path = write_spec(tmp_path / "spec", minimal())
    out = run("generate", str(path), "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "out" / "test" / "test" / "__init__.py").is_file()  # from info.title "Test API"
    assert out.stderr == ""  # not a terminal: no progress output


def test_in_process_main_returns_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["generate", str(tmp_path / "missing.yaml"), "-o", str(tmp_path / "o")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_check_lists_a_hand_edit_without_calling_it_drift(tmp_path: Path) -> None:
    spec = ROOT / "tests" / "data" / "tiny.yaml"
    (tmp_path / "pyproject.toml").write_text(
        f'[[tool.sdkgen.targets]]\nname = "tiny"\nspec = "{spec.as_posix()}"\noutput = "out"\npackage-name = "tiny_sdk"\n'
    )
    assert run("generate", "-q", cwd=tmp_path).returncode == 0
    target = tmp_path / "out" / "tiny_sdk" / "tiny_sdk" / "_version.py"
    target.write_text(target.read_text().replace("BASE_URL", "BASE_URl", 1))
    out = run("check", cwd=tmp_path)
    assert out.returncode == 0, out.stdout
    assert "hand edits kept in 1 file(s): tiny_sdk/_version.py (+1 -1)" in out.stdout


def _tiny_project(tmp_path: Path, **options: str) -> Path:
    spec = tmp_path / "spec" / "tiny.yaml"
    spec.parent.mkdir(parents=True, exist_ok=True)
    spec.write_bytes((ROOT / "tests" / "data" / "tiny.yaml").read_bytes())
    extra = "".join(f'{k} = "{v}"\n' for k, v in options.items())
    (tmp_path / "pyproject.toml").write_text(
        '[[tool.sdkgen.targets]]\nname = "tiny"\nspec = "spec/tiny.yaml"\noutput = "out"\npackage-name = "tiny_sdk"\n'
        + extra
    )
    return spec


def test_check_fast_path_skips_rendering_only_when_nothing_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.config import load_targets
    from generator.drift import check

    spec = _tiny_project(tmp_path)
    assert run("generate", "-q", cwd=tmp_path).returncode == 0
    configs = load_targets(tmp_path / "pyproject.toml")
    assert check.unchanged(configs[0], tmp_path / "out" / "tiny_sdk")

    def no_build(*args: object, **kwargs: object) -> None:
        raise AssertionError("the fast path must not regenerate")

    monkeypatch.setattr(check, "build", no_build)
    assert check.run_check(configs, quiet=True) == 0
    monkeypatch.undo()
    # Any input that shapes the output defeats the fast path: a spec byte, an option, a file.
    spec.write_bytes(spec.read_bytes() + b"\n# trailing comment\n")
    assert not check.unchanged(configs[0], tmp_path / "out" / "tiny_sdk")
    out = run("check", cwd=tmp_path)  # the manifest records the spec's bytes: that is drift
    assert out.returncode == 1 and "the spec changed" in out.stdout
    assert run("generate", "-q", cwd=tmp_path).returncode == 0
    assert check.unchanged(configs[0], tmp_path / "out" / "tiny_sdk")
    _tiny_project(tmp_path, **{"client-name": "Other"})
    changed = load_targets(tmp_path / "pyproject.toml")
    assert not check.unchanged(changed[0], tmp_path / "out" / "tiny_sdk")
    out = run("check", cwd=tmp_path)
    assert out.returncode == 1 and "class Other" in out.stdout
    assert run("generate", "-q", cwd=tmp_path).returncode == 0
    (tmp_path / "out" / "tiny_sdk" / "stray.txt").write_text("x")  # the maintainer's file: not drift
    assert check.unchanged(changed[0], tmp_path / "out" / "tiny_sdk")
    assert run("check", cwd=tmp_path).returncode == 0


def test_check_catches_a_template_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import render
    from generator.config import load_targets
    from generator.drift import check

    _tiny_project(tmp_path)
    assert run("generate", "-q", cwd=tmp_path).returncode == 0
    templates = tmp_path / "templates"
    shutil.copytree(render.template_dir(), templates)
    version = templates / "version.py.jinja"
    version.write_text(version.read_text() + "\nEXTRA = 1\n")
    monkeypatch.setattr(render, "template_dir", lambda: templates)
    render.toolchain_sha256.cache_clear()
    render._environment.cache_clear()
    try:
        configs = load_targets(tmp_path / "pyproject.toml")
        assert not check.unchanged(configs[0], tmp_path / "out" / "tiny_sdk")
        assert check.run_check(configs) == 1
    finally:
        monkeypatch.undo()
        render.toolchain_sha256.cache_clear()
        render._environment.cache_clear()


def test_generate_by_api_version(tmp_path: Path) -> None:
    import yaml

    for version in ("v1", "v2"):
        doc = yaml.safe_load((ROOT / "tests" / "data" / "tiny.yaml").read_text())
        doc["info"]["version"] = version
        write_spec(tmp_path / "spec" / "demo" / version, doc)
    (tmp_path / "pyproject.toml").write_text(
        '[[tool.sdkgen.targets]]\nname = "demo"\napi = "demo"\napi-version = "v1"\noutput = "out"\npackage-name = "demo_sdk"\n'
    )
    version_file = tmp_path / "out" / "demo_sdk" / "demo_sdk" / "_version.py"
    assert run("generate", "-q", cwd=tmp_path).returncode == 0
    assert "API_VERSION = 'v1'" in version_file.read_text() or 'API_VERSION = "v1"' in version_file.read_text()
    out = run("generate", "--api-version", "v2", cwd=tmp_path)
    assert out.returncode == 0 and "pin it with api-version = 'v2'" in out.stderr
    assert '"v2"' in version_file.read_text()
    assert run("check", "-q", cwd=tmp_path).returncode == 1  # the pin still says v1
    assert run("generate", "-q", "--api-version", "v1", cwd=tmp_path).returncode == 0
    assert run("check", "-q", cwd=tmp_path).returncode == 0
    missing = run("generate", "--api-version", "v9", cwd=tmp_path)
    assert missing.returncode == 2 and "versions present: v1, v2" in missing.stderr


def test_targets_lists_target_names(tmp_path: Path) -> None:
    _tiny_project(tmp_path)
    out = run("targets", cwd=tmp_path)
    assert out.returncode == 0 and out.stdout == "tiny\n"
