"""One definition of both clients: the async clients' methods are generated from the sync ones (generate_async.py),
so they agree in every name, keyword, default and docstring, and mypy checks every keyword of each."""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Set, Tuple

import pytest

from tokensmith import AceDataPlatform, AkoolClient, AsyncAceDataPlatform, AsyncAkoolClient

import generate_async

HERE = Path(__file__).resolve().parent
PAIRS = [(AkoolClient, AsyncAkoolClient), (AceDataPlatform, AsyncAceDataPlatform)]


def test_the_async_methods_are_the_ones_generated_from_the_sync_ones() -> None:
    stale = [str(path) for path, _ in generate_async.stale()]
    assert not stale, f"edited by hand, or the sync class changed: run python3 python/tests/generate_async.py ({stale})"


def test_generating_refuses_what_an_async_method_cannot_do() -> None:
    with pytest.raises(ValueError, match="yield from"):
        generate_async.asynchronous("    def pages(self) -> Iterator[int]:\n        yield from range(3)\n")


@pytest.mark.parametrize("sync, asynchronous", PAIRS, ids=lambda cls: cls.__name__)
def test_the_async_client_has_each_method_of_the_sync_one_as_a_coroutine(sync: Any, asynchronous: Any) -> None:
    names = sorted(name for name in vars(sync) if not name.startswith("_"))
    assert names == sorted(name for name in vars(asynchronous) if not name.startswith("_"))
    for name in names:
        blocking, awaited = inspect.signature(getattr(sync, name)), inspect.signature(getattr(asynchronous, name))
        assert awaited.parameters == blocking.parameters, name
        assert getattr(asynchronous, name).__doc__ == getattr(sync, name).__doc__, name
        if inspect.isgeneratorfunction(getattr(sync, name)):
            assert inspect.isasyncgenfunction(getattr(asynchronous, name)), name
            assert awaited.return_annotation == "Async" + blocking.return_annotation, name
        else:
            assert inspect.iscoroutinefunction(getattr(asynchronous, name)), name
            assert not inspect.iscoroutinefunction(getattr(sync, name)), name
            assert awaited.return_annotation == blocking.return_annotation, name


def test_mypy_accepts_the_example_and_refuses_each_wrong_keyword(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    example, wrong = HERE / "typing_example.py", HERE / "typing_errors.py"
    expected: Set[Tuple[str, int, str]] = set()
    for number, line in enumerate(wrong.read_text(encoding="utf-8").splitlines(), 1):
        marked = re.search(r"# E: ([a-z-]+)$", line)
        if marked:
            expected.add((wrong.name, number, marked.group(1)))
    # From an empty directory, so that mypy reads the installed package (as a user's code does) and no config.
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull,
         "--show-error-codes", "--no-error-summary", str(example), str(wrong)],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )
    found = {
        (Path(path).name, int(number), code)
        for path, number, code in re.findall(r"^(.+?):(\d+): error: .*\[([a-z-]+)\]$", run.stdout, re.MULTILINE)
    }
    assert run.returncode == 1 and found == expected, (
        f"missing: {sorted(expected - found)}\nunexpected: {sorted(found - expected)}\n{run.stdout}{run.stderr}"
    )
