"""A small typed registry: methods are plain functions registered under a name.

Pages, the CLI and the pipeline look methods up by name (the name is what the build log records),
so every choice an analyst makes is data, and an unknown name fails loudly with the known names.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Generic, Iterator, TypeVar

F = TypeVar("F", bound=Callable)


@dataclass(frozen=True)
class MethodInfo(Generic[F]):
    """One registered method: its name, function and a one-line description (zh / en)."""

    name: str
    func: F
    label_zh: str
    label_en: str
    description: str = ""


@dataclass
class Registry(Generic[F]):
    """Name → method. ``kind`` says what the methods do (e.g. 'normalisation')."""

    kind: str
    _items: dict[str, MethodInfo[F]] = field(default_factory=dict)

    def register(self, name: str, label_zh: str, label_en: str, description: str = "") -> Callable[[F], F]:
        def deco(func: F) -> F:
            if name in self._items:
                raise ValueError(f"{self.kind} method {name!r} registered twice")
            self._items[name] = MethodInfo(name, func, label_zh, label_en, description or (func.__doc__ or "").strip().split("\n")[0])
            return func

        return deco

    def get(self, name: str) -> F:
        return self.info(name).func

    def info(self, name: str) -> MethodInfo[F]:
        try:
            return self._items[name]
        except KeyError:
            raise KeyError(f"unknown {self.kind} method {name!r}; known: {', '.join(sorted(self._items))}") from None

    def names(self) -> list[str]:
        return list(self._items)

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def __iter__(self) -> Iterator[MethodInfo[F]]:
        return iter(self._items.values())
