"""The PHP API reference: one HTML page from the extension's IDE stubs (php/stubs/tokensmith.php).

    python3 docs/site/php_reference.py php/stubs/tokensmith.php OUT_DIR

The stubs are written from the extension by ext-php-rs's generator (scripts/php-stubs), so their doc comments are
the extension's own. phpDocumentor and Doctum are not in the package registries this project uses, and Doxygen
misreads phpDoc (`@property-read`, `@var` on properties, array shapes in `@param`), so this reads the stubs'
regular layout itself: namespaces, classes with their methods and properties, functions.

It fails (exit 1, each problem on stderr) when a class, function, method or property has no description, when an
`@param` names no parameter of its function or a parameter has no `@param`, or when a backticked reference to a
member (`AkoolClient::request()`) or a namespaced name (`Tokensmith\\error_kinds()`) names nothing in the stubs.
Fields listed as `@property-read` need a type, not a description (as in the other languages' references). A
`__construct()` without parameters or doc comment is how the generator marks a class that PHP code does not
construct (the extension makes its objects), and is shown as such.
"""

from __future__ import annotations

import html
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

NAMESPACE = re.compile(r"^namespace ([\w\\]+) \{$")
CLASS = re.compile(r"^(?:final |abstract )?(class|interface) (\w+)(?: extends ([\w\\]+))?(?: implements ([\w\\, ]+))? \{$")
FUNCTION = re.compile(r"^(?:public )?(static )?function (\w+)\((.*)\)(?:: ([^{]+))? \{\}$")
PROPERTY = re.compile(r"^public (?:static )?\$(\w+)(?: = (.*))?;$")
CONSTANT = re.compile(r"^(?:public )?const (\w+) = (.*);$")
TAG = re.compile(r"^@([\w-]+)\s*(.*)$")
# A backticked name that points into the stubs: a namespaced name or a member (Class::method(), Class::$field).
REFERENCE = re.compile(r"^\\?((?:Tokensmith\\)[\w\\]+|\w+::\$?\w+)(\(\))?$")


def slug(name: str) -> str:
    """An HTML id for a qualified name (`Tokensmith\\AkoolClient::request` to `Tokensmith-AkoolClient-request`)."""
    return re.sub(r"[^A-Za-z0-9_]+", "-", name).strip("-")


@dataclass
class Doc:
    """A doc comment: its description (Markdown-ish text) and its tags (name, text)."""

    text: str = ""
    tags: List[Tuple[str, str]] = field(default_factory=list)

    def tag_values(self, name: str) -> List[str]:
        return [value for tag, value in self.tags if tag == name]


@dataclass
class Function:
    name: str
    params: str
    returns: Optional[str]
    static: bool
    doc: Optional[Doc]
    line: int

    def param_names(self) -> List[str]:
        return re.findall(r"\$(\w+)", self.params)


@dataclass
class Member:
    """A property or a constant of a class."""

    name: str
    kind: str
    type: str
    text: str
    line: int


@dataclass
class Class:
    name: str
    namespace: str
    kind: str
    extends: Optional[str]
    implements: Optional[str]
    doc: Optional[Doc]
    line: int
    methods: List[Function] = field(default_factory=list)
    members: List[Member] = field(default_factory=list)

    @property
    def qualified(self) -> str:
        return f"{self.namespace}\\{self.name}"


@dataclass
class Namespace:
    name: str
    classes: List[Class] = field(default_factory=list)
    functions: List[Function] = field(default_factory=list)


def parse_doc(lines: List[str]) -> Doc:
    """The lines between `/**` and `*/`, without their leading `*`."""
    doc = Doc()
    text: List[str] = []
    for line in lines:
        match = TAG.match(line)
        if match:
            doc.tags.append((match.group(1), match.group(2)))
        elif doc.tags and line:
            name, value = doc.tags[-1]
            doc.tags[-1] = (name, f"{value} {line}")
        elif not doc.tags:
            text.append(line)
    doc.text = "\n".join(text).strip()
    return doc


def parse(source: str) -> List[Namespace]:
    namespaces: List[Namespace] = []
    current: Optional[Class] = None
    pending: Optional[Doc] = None
    comment: Optional[List[str]] = None
    for number, raw in enumerate(source.splitlines(), 1):
        line = raw.strip()
        if comment is not None:
            if line == "*/":
                pending, comment = parse_doc(comment), None
            else:
                comment.append(re.sub(r"^\* ?", "", line))
            continue
        if line == "/**":
            comment = []
            continue
        if line.startswith("/**") and line.endswith("*/"):
            pending = parse_doc([line[3:-2].strip()])
            continue
        if match := NAMESPACE.match(line):
            namespaces.append(Namespace(match.group(1)))
        elif match := CLASS.match(line):
            kind, name, extends, implements = match.groups()
            current = Class(name, namespaces[-1].name, kind, extends, implements, pending, number)
            namespaces[-1].classes.append(current)
        elif match := FUNCTION.match(line):
            static, name, params, returns = match.groups()
            function = Function(name, params, returns and returns.strip(), bool(static), pending, number)
            (current.methods if current else namespaces[-1].functions).append(function)
        elif (match := PROPERTY.match(line)) and current:
            var = pending.tag_values("var")[0] if pending and pending.tag_values("var") else ""
            type_, _, text = var.partition(" ")
            current.members.append(Member(match.group(1), "property", type_, (pending and pending.text) or text, number))
        elif (match := CONSTANT.match(line)) and current:
            current.members.append(Member(match.group(1), "constant", match.group(2), pending.text if pending else "", number))
        elif line == "}" and raw.startswith("    }") and not raw.startswith("        "):
            current = None
        elif line and not line.startswith("//") and line not in ("<?php", "}"):
            raise SystemExit(f"php_reference: line {number} is not understood: {line}")
        pending = None
    return namespaces


def property_reads(cls: Class) -> List[Member]:
    """The fields a class documents with `@property-read TYPE $name [description]`."""
    fields = []
    for value in cls.doc.tag_values("property-read") if cls.doc else []:
        match = re.match(r"(\S+) \$(\w+)\s*(.*)", value)
        if match:
            fields.append(Member(match.group(2), "property", match.group(1), match.group(3), cls.line))
    return fields


class Site:
    """The names the stubs define, the checks, and the HTML."""

    def __init__(self, namespaces: List[Namespace], path: str) -> None:
        self.namespaces = namespaces
        self.path = path
        self.problems: List[str] = []
        self.anchors: Dict[str, str] = {}
        for namespace in namespaces:
            for cls in namespace.classes:
                self.anchors[cls.qualified] = slug(cls.qualified)
                self.anchors.setdefault(cls.name, slug(cls.qualified))
                for method in cls.methods:
                    self.anchors[f"{cls.name}::{method.name}"] = slug(f"{cls.qualified}::{method.name}")
                for member in cls.members + property_reads(cls):
                    self.anchors[f"{cls.name}::${member.name}"] = slug(f"{cls.qualified}::property::{member.name}")
            for function in namespace.functions:
                self.anchors[f"{namespace.name}\\{function.name}"] = slug(f"{namespace.name}\\{function.name}")

    def problem(self, line: int, message: str) -> None:
        self.problems.append(f"{self.path}:{line}: {message}")

    # Checks.

    def check(self) -> None:
        for namespace in self.namespaces:
            for cls in namespace.classes:
                if not (cls.doc and cls.doc.text):
                    self.problem(cls.line, f"class {cls.qualified} has no description")
                for method in cls.methods:
                    if not self.not_constructed(method):
                        self.check_function(method, f"{cls.qualified}::{method.name}()")
                for member in cls.members:
                    if not member.text:
                        self.problem(member.line, f"{member.kind} {cls.qualified}::${member.name} has no description")
                for member in property_reads(cls):
                    if not member.type:
                        self.problem(cls.line, f"field {cls.qualified}->{member.name} has no type")
            for function in namespace.functions:
                self.check_function(function, f"{namespace.name}\\{function.name}()")

    def check_function(self, function: Function, name: str) -> None:
        if not (function.doc and function.doc.text):
            self.problem(function.line, f"{name} has no description")
            return
        documented = [re.search(r"\$(\w+)", value) for value in function.doc.tag_values("param")]
        documented_names = [match.group(1) for match in documented if match]
        for param in function.param_names():
            if param not in documented_names:
                self.problem(function.line, f"{name}: parameter ${param} has no @param")
        for param in documented_names:
            if param not in function.param_names():
                self.problem(function.line, f"{name}: @param ${param} names no parameter")

    @staticmethod
    def not_constructed(method: Function) -> bool:
        return method.name == "__construct" and not method.params and not method.doc

    # HTML.

    def link(self, name: str, line: int) -> str:
        """A backticked name: a link when it names a class, member or function of the stubs; a member or
        namespaced reference that names nothing is a problem (a plain word, `Token`, is just code)."""
        match = REFERENCE.match(name)
        anchor = self.anchors.get(match.group(1).lstrip("\\") if match else name.lstrip("\\"))
        if anchor is None:
            if match:
                self.problem(line, f"`{name}` names nothing in the stubs")
            return f"<code>{html.escape(name)}</code>"
        return f'<a href="#{html.escape(anchor)}"><code>{html.escape(name)}</code></a>'

    def text(self, text: str, line: int) -> str:
        """The doc comments' Markdown subset: paragraphs and backticked code."""
        paragraphs = []
        for paragraph in re.split(r"\n\s*\n", text.strip()):
            parts = re.split(r"`([^`]+)`", paragraph)
            out = "".join(
                self.link(part, line) if index % 2 else html.escape(part) for index, part in enumerate(parts)
            )
            paragraphs.append(f"<p>{out}</p>")
        return "\n".join(paragraphs)

    def type_link(self, type_: str) -> str:
        """A type, each class of it linked."""
        parts = re.split(r"([\w\\]+)", type_)
        return "".join(
            f'<a href="#{html.escape(self.anchors[part.lstrip(chr(92))])}">{html.escape(part)}</a>'
            if index % 2 and part.lstrip("\\") in self.anchors
            else html.escape(part)
            for index, part in enumerate(parts)
        )

    def function_html(self, function: Function, anchor: str, owner: str) -> str:
        static = "static " if function.static else ""
        returns = f": {function.returns}" if function.returns else ""
        signature = f"{static}function {function.name}({function.params}){returns}"
        out = [f'<div class="member" id="{slug(anchor)}"><h4>{html.escape(owner)}{html.escape(function.name)}()</h4>']
        out.append(f"<pre>{self.type_link(signature)}</pre>")
        if self.not_constructed(function):
            out.append("<p><em>Not constructed from PHP code: the extension makes these objects.</em></p>")
            return "\n".join(out) + "</div>"
        assert function.doc is not None
        out.append(self.text(function.doc.text, function.line))
        rows = []
        for value in function.doc.tag_values("param"):
            match = re.match(r"(.*?)\s*\$(\w+)\s*(.*)", value)
            if match:
                type_, name, text = match.groups()
                rows.append(f"<tr><td><code>${html.escape(name)}</code></td><td><code>{self.type_link(type_)}</code></td>"
                            f"<td>{self.text(text, function.line) if text else ''}</td></tr>")
        for value in function.doc.tag_values("return"):
            type_, _, text = value.partition(" ")
            rows.append(f"<tr><td>returns</td><td><code>{self.type_link(type_)}</code></td>"
                        f"<td>{self.text(text, function.line) if text else ''}</td></tr>")
        if rows:
            out.append('<table class="params">' + "".join(rows) + "</table>")
        return "\n".join(out) + "</div>"

    def class_html(self, cls: Class) -> str:
        heading = f"{cls.kind} {cls.name}"
        out = [f'<section class="class" id="{slug(cls.qualified)}"><h3>{html.escape(heading)}</h3>']
        relations = []
        if cls.extends:
            relations.append(f"extends <code>{self.type_link(cls.extends)}</code>")
        if cls.implements:
            relations.append(f"implements <code>{self.type_link(cls.implements)}</code>")
        if relations:
            out.append(f'<p class="relations">{" ".join(relations)}</p>')
        if cls.doc:
            out.append(self.text(cls.doc.text, cls.line))
        fields = cls.members + property_reads(cls)
        if fields:
            out.append('<table class="fields"><tr><th>property</th><th>type</th><th></th></tr>')
            for member in fields:
                anchor = slug(f"{cls.qualified}::property::{member.name}")
                out.append(f'<tr id="{anchor}"><td><code>${html.escape(member.name)}</code></td>'
                           f"<td><code>{self.type_link(member.type)}</code></td>"
                           f"<td>{self.text(member.text, member.line) if member.text else ''}</td></tr>")
            out.append("</table>")
        for method in cls.methods:
            owner = f"{cls.name}::" if method.static else f"{cls.name}->"
            out.append(self.function_html(method, f"{cls.qualified}::{method.name}", owner))
        return "\n".join(out) + "</section>"

    def page(self) -> str:
        toc, body = [], []
        for namespace in self.namespaces:
            toc.append(f"<li><strong>{html.escape(namespace.name)}</strong><ul>")
            body.append(f'<h2 id="{slug(namespace.name)}">namespace {html.escape(namespace.name)}</h2>')
            for cls in namespace.classes:
                toc.append(f'<li><a href="#{slug(cls.qualified)}">{html.escape(cls.name)}</a></li>')
                body.append(self.class_html(cls))
            if namespace.functions:
                body.append(f"<h3>Functions of {html.escape(namespace.name)}</h3>")
            for function in namespace.functions:
                anchor = f"{namespace.name}\\{function.name}"
                toc.append(f'<li><a href="#{slug(anchor)}">{html.escape(function.name)}()</a></li>')
                body.append(self.function_html(function, anchor, f"{namespace.name}\\"))
            toc.append("</ul></li>")
        return PAGE.format(toc="\n".join(toc), body="\n".join(body))


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tokensmith (PHP) API reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font: 15px/1.5 system-ui, sans-serif; margin: 0; display: flex; color: #1f2328; }}
nav {{ width: 17rem; flex: none; height: 100vh; overflow: auto; position: sticky; top: 0; padding: 1rem;
       background: #f6f8fa; border-right: 1px solid #d0d7de; box-sizing: border-box; font-size: 14px; }}
nav ul {{ list-style: none; padding-left: .8rem; margin: .2rem 0; }} nav > ul {{ padding: 0; }}
main {{ padding: 1rem 2.5rem; max-width: 62rem; flex: 1; min-width: 0; }}
a {{ color: #0969da; text-decoration: none; }} a:hover {{ text-decoration: underline; }}
section.class {{ border-top: 1px solid #d0d7de; margin-top: 2rem; }}
.member {{ margin: 1rem 0 1.5rem 1rem; }} h4 {{ margin-bottom: .3rem; font-family: ui-monospace, monospace; }}
pre {{ background: #f6f8fa; padding: .6rem .8rem; border-radius: 6px; overflow-x: auto; white-space: pre-wrap; }}
code {{ font-family: ui-monospace, monospace; font-size: 90%; }}
table {{ border-collapse: collapse; margin: .5rem 0; }} td, th {{ border: 1px solid #d0d7de; padding: .25rem .6rem; text-align: left; vertical-align: top; }}
td p {{ margin: 0; }} .relations {{ color: #59636e; }}
</style></head>
<body><nav><p><a href="../index.html">&larr; tokensmith references</a></p><ul>
{toc}
</ul></nav>
<main><h1>tokensmith (PHP) API reference</h1>
<p>The <code>tokensmith</code> extension's classes and functions, from its IDE stubs
(<code>php/stubs/tokensmith.php</code>). Per-call options (<code>timeout</code>, <code>headers</code>,
<code>max_retries</code>) go in each method's last array.</p>
{body}
</main></body></html>
"""


def main() -> None:
    stubs, out = Path(sys.argv[1]), Path(sys.argv[2])
    site = Site(parse(stubs.read_text()), str(stubs))
    site.check()
    page = site.page()
    if site.problems:
        sys.stderr.write("\n".join(site.problems) + f"\nphp_reference: {len(site.problems)} problem(s)\n")
        raise SystemExit(1)
    out.mkdir(parents=True, exist_ok=True)
    (out / "index.html").write_text(page)


if __name__ == "__main__":
    main()
