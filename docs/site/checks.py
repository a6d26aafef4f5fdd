"""Checks of scripts/site that no doc tool makes by itself (each exits 1, naming every problem).

    python3 docs/site/checks.py links PAGE...
        Every relative link of each page (the landing page) leads to a file of the site, or to a folder with an
        index.html.
    python3 docs/site/checks.py swift-undocumented SYMBOL_GRAPH_DIR GENERATED_FILE_NAME
        Every public symbol that a hand-written Swift file declares has a doc comment. The generated bindings
        (GENERATED_FILE_NAME) are left out: their documentation is the Rust core's doc comments, which rustdoc
        checks, and UniFFI's memberwise initializers and error cases have none.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import List
from urllib.parse import unquote, urlparse


def broken_links(page: Path) -> List[str]:
    problems = []
    for href in re.findall(r'href="([^"]+)"', page.read_text()):
        url = urlparse(href)
        if url.scheme or url.netloc or href.startswith("#"):
            continue
        target = (page.parent / unquote(url.path)).resolve()
        if not (target.is_file() or (target / "index.html").is_file()):
            problems.append(f"{page}: {href} leads nowhere")
    return problems


def undocumented_swift(graphs: Path, generated: str) -> List[str]:
    problems = []
    for graph in sorted(graphs.glob("*.symbols.json")):
        for symbol in json.loads(graph.read_text())["symbols"]:
            uri = symbol.get("location", {}).get("uri", "")
            if symbol.get("accessLevel") not in ("public", "open") or uri.endswith("/" + generated):
                continue
            if not symbol.get("docComment"):
                line = symbol["location"]["position"]["line"] + 1
                name = ".".join(symbol["pathComponents"])
                problems.append(f"{uri.rsplit('/', 1)[-1]}:{line}: public {name} has no doc comment")
    return problems


def main() -> None:
    command, args = sys.argv[1], sys.argv[2:]
    if command == "links":
        problems = [problem for page in args for problem in broken_links(Path(page))]
    elif command == "swift-undocumented":
        problems = undocumented_swift(Path(args[0]), args[1])
    else:
        raise SystemExit(f"checks.py: unknown check {command}")
    if problems:
        sys.stderr.write("\n".join(problems) + "\n")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
