"""Every CLI error a newcomer meets: exit 2, one line saying what is wrong and what to do, no
traceback (config schema, URLs, never-generated targets, two APIs, broken pipes, Ctrl-C)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from generator.config import ConfigError, config_keys, load_targets
from tests.conftest import ROOT, write_spec

TINY = ROOT / "tests" / "data" / "tiny.yaml"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True)


def project(tmp_path: Path, extra: str = "", name: str = "tiny") -> Path:
    (tmp_path / "pyproject.toml").write_text(
        f'[[tool.sdkgen.targets]]\nname = "{name}"\nspec = "{TINY.as_posix()}"\noutput = "out"\n'
        f'package-name = "tiny_sdk"\n{extra}',
        encoding="utf-8",
    )
    return tmp_path / "pyproject.toml"


def one_line_error(out: subprocess.CompletedProcess[str]) -> str:
    assert out.returncode == 2, (out.returncode, out.stderr)
    assert "Traceback" not in out.stderr
    lines = [line for line in out.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, out.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("package-name = 5\n", 'package-name: expected a string, got an integer 5; write package-name = "5"'),
        ('strict = "no"\n', "strict: expected true or false, got a string 'no'; write strict = false"),
        ('packge-name = "x"\n', "unknown key 'packge-name'; did you mean 'package-name'?"),
        ('cursor-params = "page"\n', "cursor-params: expected a list of strings, got a string"),
        ("ref-root = true\n", "ref-root: expected a path (a string), got a boolean True"),
        ('auth-env = ""\n', "auth-env: must not be empty"),
    ],
)
def test_config_values_are_checked_against_the_schema(tmp_path: Path, extra: str, expected: str) -> None:
    # package-name appears twice in the first case: TOML itself refuses that, so drop the default
    text = extra if extra.startswith("package-name") else f'package-name = "tiny_sdk"\n{extra}'
    (tmp_path / "pyproject.toml").write_text(
        f'[[tool.sdkgen.targets]]\nname = "tiny"\nspec = "{TINY.as_posix()}"\noutput = "out"\n{text}',
        encoding="utf-8",
    )
    for command in ("generate", "check", "targets"):
        line = one_line_error(run(command, cwd=tmp_path))
        assert expected in line, line
        assert "tool.sdkgen.targets[0]" in line
    assert not (tmp_path / "out").exists()


def test_the_schema_is_the_config_dataclass() -> None:
    from dataclasses import fields

    from generator.config import Config

    keys = set(config_keys())
    assert keys == {("name" if f.name == "target" else f.name.replace("_", "-")) for f in fields(Config)}
    assert {"ref-root", "templates", "package-version", "idempotency-header", "spec"} <= keys


def test_every_key_of_the_schema_round_trips(tmp_path: Path) -> None:
    pyproject = project(
        tmp_path,
        'client-name = "Tiny"\nstrict = true\nref-root = "."\ncursor-params = ["page"]\n'
        'package-version = "1.2.3"\nidempotency-header = "X-Idem"\n',
    )
    (config,) = load_targets(pyproject)
    assert config.strict is True and config.cursor_params == ("page",) and config.ref_root == tmp_path
    assert config.package_version == "1.2.3" and config.idempotency_header == "X-Idem"


def test_unknown_key_without_a_close_match_lists_the_known_keys(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"unknown key .zzz.; known keys: spec, output, api, package-name"):
        load_targets(project(tmp_path, "zzz = 1\n"))


def test_settings_outside_a_target_are_refused(tmp_path: Path) -> None:
    pyproject = project(tmp_path)
    pyproject.write_text(
        "[tool.sdkgen]\nstrict = true\n"
        + pyproject.read_text().replace("[[tool.sdkgen.targets]]", "[[tool.sdkgen.targets]]")
    )
    with pytest.raises(ConfigError, match="unknown key 'strict'; settings go in each"):
        load_targets(pyproject)


def test_a_url_as_spec_says_urls_are_not_read_and_how_to_fetch(tmp_path: Path) -> None:
    url = "https://example.com/api/openapi.json?x=1"
    line = one_line_error(run("generate", url, cwd=tmp_path))
    assert "is a URL; sdkgen reads local files only" in line
    assert f"curl -fsSL -o openapi.json '{url}'" in line
    assert "https:/example.com" not in line
    line = one_line_error(run("diff", url, str(TINY), cwd=tmp_path))
    assert "curl -fsSL -o openapi.json" in line
    project(tmp_path)
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace(TINY.as_posix(), "http://example.com/spec"))
    line = one_line_error(run("generate", cwd=tmp_path))
    assert "spec: http://example.com/spec is a URL" in line and "curl -fsSL -o openapi.yaml" in line


def test_check_of_a_never_generated_target_says_why_in_one_line(tmp_path: Path) -> None:
    project(tmp_path)
    out = run("check", cwd=tmp_path)
    assert out.returncode == 1 and "Traceback" not in out.stderr
    lines = out.stdout.splitlines()
    assert lines == [
        f"tiny: {Path('out') / 'tiny_sdk'} was never generated (no sdkgen-manifest.json there); fix: sdkgen generate --target tiny"
    ] or (
        len(lines) == 1
        and "was never generated" in lines[0]
        and lines[0].endswith("fix: sdkgen generate --target tiny")
    ), out.stdout


def test_check_of_a_stale_target_gives_reason_and_fix_before_the_diff(tmp_path: Path) -> None:
    project(tmp_path)
    assert run("generate", "-q", cwd=tmp_path).returncode == 0
    client = next((tmp_path / "out" / "tiny_sdk" / "tiny_sdk").glob("_client.py"))
    client.unlink()
    out = run("check", cwd=tmp_path)
    assert out.returncode == 1
    fix = out.stdout.index("fix: sdkgen generate --target tiny")
    assert out.stdout.index("why:") < fix < out.stdout.index("+++ b/")


def _two_apis(tmp_path: Path) -> None:
    doc = yaml.safe_load(TINY.read_text())
    targets = ""
    for api in ("pets", "shop"):
        for version in ("v1", "v2"):
            write_spec(tmp_path / "spec" / api / version, doc)
        targets += (
            f'[[tool.sdkgen.targets]]\nname = "{api}"\napi = "{api}"\napi-version = "v1"\noutput = "out"\n'
            f'package-name = "{api}_sdk"\n'
        )
    (tmp_path / "spec" / "pets" / "tools").mkdir()
    (tmp_path / "spec" / "pets" / "tools" / "fetch.py").write_text("")
    (tmp_path / "pyproject.toml").write_text(targets)


def test_two_apis_commands_that_need_one_ask_which(tmp_path: Path) -> None:
    _two_apis(tmp_path)
    line = one_line_error(run("generate", "--api-version", "v2", cwd=tmp_path))
    assert "2 APIs (pets, shop)" in line and "--target pets" in line
    assert not (tmp_path / "out").exists()
    line = one_line_error(run("diff", "--api-version", "v1", "v2", cwd=tmp_path))
    assert "2 APIs (pets, shop)" in line and "--api pets" in line
    out = run("generate", "-q", "--api-version", "v2", "--target", "shop", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert not (tmp_path / "out" / "pets_sdk").exists() and (tmp_path / "out" / "shop_sdk").is_dir()
    out = run("diff", "--api", "pets", "--api-version", "v1", "v2", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    line = one_line_error(run("check", "pet", cwd=tmp_path))
    assert "unknown target 'pet'; did you mean 'pets'?" in line


def test_a_tools_folder_is_not_a_version(tmp_path: Path) -> None:
    _two_apis(tmp_path)
    line = one_line_error(run("generate", "--api-version", "v9", "--target", "pets", cwd=tmp_path))
    assert "versions present: v1, v2)" in line
    line = one_line_error(run("diff", "--api", "pets", "--api-version", "v1", "v9", cwd=tmp_path))
    assert "(versions: v1, v2)" in line


def test_a_reader_that_stops_reading_gets_no_traceback(tmp_path: Path) -> None:
    names = "".join(
        f'[[tool.sdkgen.targets]]\nname = "t{i:04d}-{"x" * 60}"\nspec = "{TINY.as_posix()}"\npackage-name = "p{i}"\n'
        for i in range(3000)
    )
    (tmp_path / "pyproject.toml").write_text(names)
    shell = f"{sys.executable} -m generator targets | grep -q t0000; echo ${{PIPESTATUS[0]}}"
    out = subprocess.run(["bash", "-c", shell], cwd=tmp_path, capture_output=True, text=True)
    assert out.stderr == "" and out.stdout == "0\n"
    head = subprocess.run(
        ["bash", "-c", f"{sys.executable} -m generator targets | head -1"], cwd=tmp_path, capture_output=True, text=True
    )
    assert head.stderr == "" and head.stdout.startswith("t0000")


@pytest.mark.parametrize(
    ("delay", "cache"),
    [(0.03, True), (0.08, True), (0.2, True), (0.6, True), (1.5, True), (2.5, False), (4.0, False)],
)
def test_ctrl_c_at_any_moment_exits_130_without_traceback(tmp_path: Path, delay: float, cache: bool) -> None:
    """Without black's cache the formatting runs in worker processes, which get the Ctrl-C
    too: the parent must neither hang waiting for them nor die of them."""
    spec = ROOT / "spec" / "polytomic" / "2025-09-18" / "openapi.yaml"
    env = {**os.environ, "SDKGEN_NO_CACHE": "" if cache else "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "generate", str(spec), "-o", str(tmp_path / "out")],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    time.sleep(delay)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole process group
    _, err = proc.communicate(timeout=120)
    frames = re.findall(r'^\s*File "([^"]+)"', err, re.M)
    ours = str(ROOT / "generator")
    if frames and not any(f.startswith(ours) for f in frames):
        return  # the interpreter's own startup (site, .pth files, runpy), before sdkgen's first line
    assert "Traceback" not in err, err
    assert proc.returncode in (130, -signal.SIGINT, 0), (proc.returncode, err)
    if proc.returncode == 130:
        assert err.strip().splitlines()[-1] == "sdkgen: interrupted; previous output left untouched"


def test_no_pyproject_says_how_to_declare_targets(tmp_path: Path) -> None:
    assert not any((p / "pyproject.toml").exists() for p in [tmp_path, *tmp_path.parents])
    line = one_line_error(run("check", cwd=tmp_path))
    assert "no pyproject.toml found" in line and "--config PATH" in line and "SPEC" not in line
    line = one_line_error(run("generate", cwd=tmp_path))
    assert line.startswith("sdkgen: no SPEC given") and "give a SPEC" in line
