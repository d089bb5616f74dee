"""One registry for the plug points of tenders (ADR 0007): `recipients`, `intake`, `stage_links` and `guards` each
keep the functions later apps register in a `Registry`, and offer their own decorator and read functions on top.

    providers = Registry("tenders.recipients")
    providers.add(fn)            # once: adding the same function again has no effect
    providers.functions()        # in the order they were added (INSTALLED_APPS through `ready`)

A registry may keep its functions under keys (a page's place name, a phase pair); without a key they stand under
`None`. Tests change what is registered for one block only, and the registry is as it was afterwards:

    with intake.providers.replaced(lambda commissioning: True):
        ...
"""

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager


class Registry:
    """Functions registered for a plug point, in the order of registration, each once per key."""

    def __init__(self, name: str):
        self.name = name
        self._functions: dict[Hashable, list[Callable]] = {}

    def __repr__(self) -> str:
        return f"<Registry {self.name}>"

    def add(self, fn: Callable, key: Hashable = None) -> Callable:
        """Register `fn` under `key` and return it (usable in a decorator); a second time has no effect."""
        functions = self._functions.setdefault(key, [])
        if fn not in functions:
            functions.append(fn)
        return fn

    def remove(self, fn: Callable, key: Hashable = None) -> None:
        """Unregister `fn` under `key`; nothing happens when it is not registered there."""
        functions = self._functions.get(key, [])
        if fn in functions:
            functions.remove(fn)

    def functions(self, key: Hashable = None) -> tuple[Callable, ...]:
        """The functions under `key` in the order of registration (a copy: registering while reading is safe)."""
        return tuple(self._functions.get(key, ()))

    def __iter__(self) -> Iterator[Callable]:
        return iter(self.functions())

    @contextmanager
    def replaced(self, *fns: Callable, key: Hashable = None):
        """Within the block, exactly `fns` are registered under `key` (none when none are given); afterwards the
        whole registry is as it was before the block."""
        saved = self._snapshot()
        try:
            self._functions[key] = list(dict.fromkeys(fns))
            yield self
        finally:
            self._restore(saved)

    @contextmanager
    def only(self, keep: Callable[[Callable], bool]):
        """Within the block, only the functions for which `keep(fn)` is true stay registered (under every key);
        afterwards the whole registry is as it was before the block."""
        saved = self._snapshot()
        try:
            for functions in self._functions.values():
                functions[:] = [fn for fn in functions if keep(fn)]
            yield self
        finally:
            self._restore(saved)

    def _snapshot(self) -> dict[Hashable, list[Callable]]:
        return {key: list(functions) for key, functions in self._functions.items()}

    def _restore(self, saved: dict[Hashable, list[Callable]]) -> None:
        self._functions.clear()
        self._functions.update(saved)
