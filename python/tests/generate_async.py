"""Writes the async clients' methods from the sync clients' ones, their one definition; or checks that they match.

    python3 python/tests/generate_async.py           # rewrites python/src/tokensmith/_akool.py and _acedata.py
    python3 python/tests/generate_async.py --check   # exits 1 if either is stale (test_typing.py checks the same)

In each module, the sync class's methods (from its first ``def`` to its end) are copied below the marker comment
of the async class, with three changes: ``def`` becomes ``async def``, a native call ``call(...)`` becomes
``await acall(...)``, and a return type ``Iterator[...]`` becomes ``AsyncIterator[...]`` (a generator becomes an
async generator). Everything else (signatures, keywords, defaults, docstrings, the conversions around the native
call) is the sync method's, and both classes are plain code that mypy and editors read. So in a sync method,
``call(`` is only a native call that the async client awaits (what both build without I/O goes through a helper
of the shared base), and a generator loops and yields (an async generator cannot ``yield from``).
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path
from typing import List, Tuple

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "tokensmith"

#: Each module, its sync class (the definition) and the async class whose methods are generated from it.
CLIENTS: List[Tuple[str, str, str]] = [
    ("_akool.py", "AkoolClient", "AsyncAkoolClient"),
    ("_acedata.py", "AceDataPlatform", "AsyncAceDataPlatform"),
]

MARKER = "    # Below: generated from {sync} by python/tests/generate_async.py (edit {sync}, then run it).\n"


def asynchronous(methods: str) -> str:
    """The async twin of the sync methods' source."""
    if "yield from" in methods:
        raise ValueError("an async generator cannot `yield from`: loop and yield each item instead")
    methods = re.sub(r"^    def ", "    async def ", methods, flags=re.MULTILINE)
    methods = re.sub(r"\bcall\(", "await acall(", methods)
    return methods.replace("-> Iterator[", "-> AsyncIterator[")


def generate(source: str, sync: str, async_: str) -> str:
    """``source`` with the methods of the class ``async_`` written again from those of ``sync``."""
    classes = {node.name: node for node in ast.parse(source).body if isinstance(node, ast.ClassDef)}
    definition, twin = classes[sync], classes[async_]
    lines = source.splitlines(keepends=True)
    first = next(node for node in definition.body if isinstance(node, ast.FunctionDef))
    start = min([first.lineno] + [decorator.lineno for decorator in first.decorator_list]) - 1
    methods = "".join(lines[start : definition.end_lineno])
    marker = MARKER.format(sync=sync)
    if marker not in lines[twin.lineno :]:
        raise ValueError(f"{async_} has no line {marker.strip()!r}")
    below = lines.index(marker, twin.lineno) + 1
    end = max(below, twin.end_lineno or below)  # without generated methods yet, the class ends before the marker
    return "".join(lines[:below] + ["\n", asynchronous(methods)] + lines[end:])


def stale() -> List[Tuple[Path, str]]:
    """The modules whose async methods differ from what their sync methods generate, with the right text."""
    out = []
    for module, sync, async_ in CLIENTS:
        path = PACKAGE / module
        source = path.read_text(encoding="utf-8")
        generated = generate(source, sync, async_)
        if generated != source:
            out.append((path, generated))
    return out


def main(argv: List[str]) -> int:
    changed = stale()
    if argv[1:] == ["--check"]:
        for path, _ in changed:
            print(f"{path}: stale; run python3 python/tests/generate_async.py", file=sys.stderr)
        return 1 if changed else 0
    for path, generated in changed:
        path.write_text(generated, encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
