"""README.md documents every CLI option and every config key: both lists are read from the code
(the argparse parser and the ``Config`` dataclass), never copied."""

from __future__ import annotations

import argparse
import re

from generator.cli import _parser
from generator.config import config_keys
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else None]


def subcommands() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_command_and_its_options_are_in_the_command_table() -> None:
    commands = section("Commands")
    parsers = subcommands()
    common = set.intersection(*({o for a in p._actions for o in a.option_strings} for p in parsers.values()))
    for name, parser in parsers.items():
        rows = [line for line in commands.splitlines() if line.startswith(f"| `sdkgen {name}")]
        assert rows, f"no row for sdkgen {name}"
        for action in parser._actions:
            for option in action.option_strings:
                where = commands if option in common else "\n".join(rows)
                assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", where), f"sdkgen {name} {option}"
    top = {o for a in _parser()._actions for o in a.option_strings}
    for option in top:
        assert option in commands, option


def test_every_config_key_is_in_the_example_with_a_comment() -> None:
    block = section("Configuration").split("```toml\n", 1)[1].split("```", 1)[0]
    for key in config_keys():
        assert re.search(rf"^(# )?{re.escape(key)} = .+# \S", block, re.M), f"config key {key} undocumented"
