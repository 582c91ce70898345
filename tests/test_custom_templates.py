"""Custom templates: a folder (config key `templates`, or `--templates`) whose templates override
the built-in ones by name; hashed into the manifest so `check` notices a change; a broken
override is a diagnostic with file and line, exit 2, and the tree untouched."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.render import template_dir
from tests.conftest import ROOT

TINY = ROOT / "tests" / "data" / "tiny.yaml"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copy(TINY, tmp_path / "tiny.yaml")
    (tmp_path / "pyproject.toml").write_text(
        '[[tool.sdkgen.targets]]\nname = "tiny"\nspec = "tiny.yaml"\noutput = "out"\npackage-name = "tiny"\n'
        'templates = "sdk-templates"\n',
        encoding="utf-8",
    )
    folder = tmp_path / "sdk-templates"
    folder.mkdir()
    text = (template_dir() / "version.py.jinja").read_text(encoding="utf-8")
    (folder / "version.py.jinja").write_text(text + '\n{% include "_extra.jinja" %}\n', encoding="utf-8")
    (folder / "_extra.jinja").write_text("OUR_CONSTANT = 1\n", encoding="utf-8")
    return tmp_path


def run(project: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main([*args, "--config", str(project / "pyproject.toml")])
    out = capsys.readouterr()
    return code, out.out, out.err


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_override_by_name_and_check_notices_a_change(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(project, capsys, "generate")
    assert code == 0, err
    version = project / "out" / "tiny" / "tiny" / "_version.py"
    assert "OUR_CONSTANT = 1" in version.read_text()
    assert "class Tiny" in (project / "out" / "tiny" / "tiny" / "_client.py").read_text()  # the rest: built-in
    manifest = json.loads((project / "out" / "tiny" / "sdkgen-manifest.json").read_text())
    assert set(manifest["custom_templates"]) == {"_extra.jinja", "version.py.jinja"}
    assert run(project, capsys, "check")[0] == 0
    (project / "sdk-templates" / "_extra.jinja").write_text("OUR_CONSTANT = 2\n", encoding="utf-8")
    code, out, _ = run(project, capsys, "check")
    assert code == 1 and "the custom templates changed" in out and "+OUR_CONSTANT = 2" in out
    assert run(project, capsys, "generate")[0] == 0
    assert "OUR_CONSTANT = 2" in version.read_text()
    assert run(project, capsys, "check")[0] == 0


def test_cli_option_overrides_for_a_spec(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "pyproject.toml.jinja").write_text('[project]\nname = "{{ dist_name }}"\n', encoding="utf-8")
    code = main(["generate", str(TINY), "-o", str(tmp_path / "out"), "--package-name", "tiny", "--templates", str(folder)])
    assert code == 0
    assert (tmp_path / "out" / "tiny" / "pyproject.toml").read_text() == '[project]\nname = "tiny"\n'


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("X = {{ header\n", "template version.py.jinja, line 1: unexpected end of template"),
        ("{{ header }}\n{% for x in %}{% endfor %}\n", "template version.py.jinja, line 2:"),
        ("{{ header }}\n\nX = {{ no_such_variable }}\n", "line 3: 'no_such_variable' is undefined"),
        ("{{ header }}\n{% include '_extra.jinja' %}\n", "template _extra.jinja, line 1: 'nope' is undefined"),
    ],
)
def test_broken_override_exits_2_and_writes_nothing(
    project: Path, capsys: pytest.CaptureFixture[str], template: str, expected: str
) -> None:
    assert run(project, capsys, "generate")[0] == 0
    before = tree(project / "out")
    (project / "sdk-templates" / "_extra.jinja").write_text("{{ nope }}\n", encoding="utf-8")
    (project / "sdk-templates" / "version.py.jinja").write_text(template, encoding="utf-8")
    code, _, err = run(project, capsys, "generate")
    assert code == 2
    assert expected in err, err
    assert "sdk-templates" in err and "Traceback" not in err
    assert tree(project / "out") == before


def test_missing_folder_and_misspelt_name(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.rmtree(project / "sdk-templates")
    code, _, err = run(project, capsys, "generate")
    assert code == 2 and "the custom templates folder does not exist" in err
    (project / "sdk-templates").mkdir()
    (project / "sdk-templates" / "readme.md.jinja").write_text("# ours\n", encoding="utf-8")
    code, _, err = run(project, capsys, "generate")
    assert code == 0
    assert "readme.md.jinja overrides no built-in template; did you mean README.md.jinja?" in err
    code, _, err = run(project, capsys, "generate", "--strict")  # a warning is an error there
    assert code == 2 and "did you mean README.md.jinja" in err
