"""Docs stay honest: every registered method, rule and CLI command is named in the README."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def registered_names():
    import indicators as tc
    from indicators.engine import aggregation_rules as metro_aggregation, flows as integration_flows

    for kind, registry in [("normalisation", tc.NORMALISERS), ("weighting", tc.WEIGHTERS),
                           ("aggregation", tc.AGGREGATORS), ("city→metro rule", metro_aggregation.RULES),
                           ("flow rule", integration_flows.FLOW_RULES)]:
        for info in registry:
            yield kind, info.name


@pytest.mark.parametrize("kind,name", list(registered_names()))
def test_every_registered_method_is_documented(kind, name):
    assert f"`{name}`" in README, f"the {kind} `{name}` is registered but README.md does not document it"


def test_every_cli_command_is_documented():
    from indicators.cli import COMMANDS

    missing = [c for c in COMMANDS if f"python3 -m indicators {c}" not in README and f"python -m indicators {c}" not in README]
    assert not missing, f"CLI commands missing from README.md: {missing}"
