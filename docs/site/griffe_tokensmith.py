"""A Griffe extension for the Python API reference (loaded by mkdocstrings, see mkdocs.yml).

- The package documents module-level names with Sphinx's ``#:`` comments, which Griffe does not read: such a
  comment becomes the name's docstring.
- Docstrings cross-reference with Sphinx roles (:class:`AkoolClient`, :meth:`from_env`), which Markdown does not
  know: each becomes a cross-reference to the documented name, resolved from the object the docstring belongs to
  outward (its members, its siblings, the package). A name that resolves nowhere is left to mkdocs-autorefs,
  which reports it.
- Doctest lines (``>>> ...``), which Markdown would read as quotes, become a ``pycon`` code block.
- A public module, class or function (method) without a docstring is reported. Attributes and properties are
  not: their names and types are rendered, and the class docstring says what the fields are.
With `mkdocs build --strict` every report fails the build.
"""

from __future__ import annotations

import re
from typing import Any, Dict, Iterator, List, Tuple

import griffe

# A doctest: the `>>>` line and the lines up to the next blank one.
DOCTEST = re.compile(r"^(>>> .*(?:\n(?!\s*$).*)*)", re.MULTILINE)
ROLE = re.compile(r":(?:class|meth|func|data|attr|exc|mod):`~?([\w.]+)`")
logger = griffe.get_logger("griffe_tokensmith")


def public_tree(obj: Any, path: str) -> Iterator[Tuple[str, Any]]:
    """Every name under `obj` that mkdocs.yml's filters render, by its public path (inherited members under the
    subclass, as `inherited_members` renders them)."""
    yield path, obj
    members = obj.all_members if obj.is_class else obj.members
    for name, member in members.items():
        # An import that a module does not re-export (__all__) is not a part of its API.
        if name.startswith("_") or (obj.is_module and member.is_alias and not member.is_exported):
            continue
        yield from public_tree(member, f"{path}.{name}")


def comment_docstring(obj: Any) -> None:
    """Gives a module-level name its ``#:`` comment (the lines right above it) as its docstring."""
    if obj.docstring is not None or not obj.is_attribute or not obj.parent.is_module or obj.lineno is None:
        return
    lines = obj.lines_collection[obj.filepath]
    comment: List[str] = []
    index = obj.lineno - 2
    while index >= 0 and lines[index].startswith("#:"):
        comment.insert(0, lines[index][2:].strip())
        index -= 1
    if comment:
        obj.docstring = griffe.Docstring("\n".join(comment), lineno=index + 2, parent=obj)


class TokensmithDocs(griffe.Extension):
    """``#:`` comments, Sphinx roles to cross-references, doctests to code blocks, undocumented names reported."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        documented: Dict[str, Any] = dict(public_tree(pkg, pkg.path))
        for path, obj in documented.items():
            target = obj.final_target if obj.is_alias else obj
            comment_docstring(target)
            if target.docstring is None:
                if not target.is_attribute:
                    logger.warning("%s: a public %s without a docstring", path, target.kind.value)
                continue
            scopes = [path, path.rpartition(".")[0], pkg.path]
            value = ROLE.sub(lambda m: self._link(m.group(1), scopes, documented), target.docstring.value)
            target.docstring.value = DOCTEST.sub(lambda m: f"```pycon\n{m.group(1)}\n```", value)

    @staticmethod
    def _link(name: str, scopes: List[str], documented: Dict[str, Any]) -> str:
        for scope in scopes:
            if f"{scope}.{name}" in documented:
                return f"[`{name}`][{scope}.{name}]"
        return f"[`{name}`][{name}]"
