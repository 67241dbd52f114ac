"""A replayable build log: every step of an index build as (step name, parameters).

The log is plain data (JSON-serialisable), so it can be saved beside a result, shown on the
Methodology page, and replayed: ``replay`` runs the same steps again and must give the same result.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Step:
    """One step: the registered step name and its parameters (JSON-able values only)."""

    name: str
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"step": self.name, "params": self.params}


@dataclass
class BuildLog:
    steps: list[Step] = field(default_factory=list)

    def add(self, name: str, **params: Any) -> Step:
        step = Step(name, params)
        json.dumps(step.to_dict(), default=str)  # fail early on non-serialisable parameters
        self.steps.append(step)
        return step

    def to_json(self) -> str:
        return json.dumps([s.to_dict() for s in self.steps], ensure_ascii=False, indent=1, default=str)

    @classmethod
    def from_json(cls, text: str) -> "BuildLog":
        return cls([Step(d["step"], dict(d.get("params") or {})) for d in json.loads(text)])

    def __iter__(self):
        return iter(self.steps)

    def __len__(self) -> int:
        return len(self.steps)
