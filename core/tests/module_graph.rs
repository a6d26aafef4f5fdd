//! No crate of the workspace has an import circle: no file imports one that imports it back, and no top-level
//! module does (docs/architecture.md). Read from the sources, so a new import that closes a circle fails here,
//! naming each step and the line that writes it.
//!
//! Which crates: every `members` entry of the workspace's `Cargo.toml` (so a new crate is covered without an edit
//! here), each with every target it has: the library, binaries (`src/main.rs`, `src/bin/`), integration tests,
//! examples, benches, the build script, and any `path` its manifest names.
//!
//! How: from each crate root the reader follows `mod` declarations (files, `x/mod.rs`, `#[path]`, modules
//! declared inline) and collects every path that names something of the crate: `use` trees (grouped and nested,
//! `self`, `super`, `as`, globs, `pub(crate) use`), and paths written in code (`crate::errors::to_php(..)`,
//! `super::x::Y`, `self::a::B`, `child::f()`, or `errors::f()` after `use crate::errors`), attributes and macro
//! bodies (`$crate::`) included. Each path is resolved to the module that defines the item, through re-exports
//! (`use`, `pub use`, globs, `#[macro_export]`), so `crate::Error` imports `error`, not the crate root. Two things
//! are not imports: `mod` declarations, and a module's re-exports of its own submodules' items (`pub use
//! client::AkoolClient` in `akool/mod.rs` is that module's face, as its `mod client;` is). Test code is left
//! out: every item under `#[cfg(test)]` (the `mod tests` at the end of a file). A small tokenizer skips comments
//! and string literals. A name the reader cannot place (made by a macro) counts as an import of the module that
//! the path names; paths into other crates are not imports of this one.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fs;
use std::path::Path;

/// Source files by their path from the workspace root (`/`-separated): the workspace's `Cargo.toml`, and every
/// `Cargo.toml` and `.rs` file of its members.
type Files = BTreeMap<String, String>;

/// Imports: from a node to the nodes it imports, each with where the first such import is written.
type Graph = BTreeMap<String, BTreeMap<String, String>>;

// ---------------------------------------------------------------------------------------------------------------
// The workspace: members and crate roots.

/// The workspace from the disk: this crate's parent folder.
fn workspace() -> Files {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("core/ sits in the workspace");
    let mut files = Files::new();
    files.insert("Cargo.toml".to_owned(), fs::read_to_string(root.join("Cargo.toml")).unwrap());
    for member in members(&files) {
        let mut dirs = vec![root.join(&member)];
        while let Some(dir) = dirs.pop() {
            for entry in fs::read_dir(&dir).unwrap_or_else(|e| panic!("member {member}: {}: {e}", dir.display())) {
                let path = entry.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                if path.is_dir() {
                    if !name.starts_with('.') && name != "target" && name != "node_modules" {
                        dirs.push(path);
                    }
                } else if name.ends_with(".rs") || name == "Cargo.toml" {
                    let key = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
                    files.insert(key, fs::read_to_string(&path).unwrap());
                }
            }
        }
    }
    files
}

/// The member folders, from `members = [..]` in the workspace's `Cargo.toml` (`dir/*` expanded).
fn members(files: &Files) -> Vec<String> {
    let manifest = &files["Cargo.toml"];
    let lines: Vec<&str> = manifest.lines().map(|l| l.split('#').next().unwrap_or_default()).collect();
    let start = lines.iter().position(|l| l.trim_start().starts_with("members")).expect("the workspace has members");
    let text = lines[start..].join("\n");
    let list = &text[text.find('[').unwrap() + 1..text.find(']').unwrap()];
    let mut dirs = vec![];
    for entry in list.split(',').map(|e| e.trim().trim_matches('"')).filter(|e| !e.is_empty()) {
        match entry.strip_suffix("/*") {
            Some(parent) => dirs.extend(files.keys().filter_map(|file| {
                let dir = file.strip_prefix(parent)?.strip_prefix('/')?.strip_suffix("/Cargo.toml")?;
                (!dir.contains('/')).then(|| format!("{parent}/{dir}"))
            })),
            None => dirs.push(entry.to_owned()),
        }
    }
    dirs
}

/// Every crate root of the member in `dir`: the `path`s its manifest names, and cargo's default places.
fn crate_roots(files: &Files, dir: &str) -> Vec<String> {
    let manifest = files.get(&format!("{dir}/Cargo.toml")).unwrap_or_else(|| panic!("member {dir} has no Cargo.toml"));
    let mut roots = BTreeSet::new();
    let mut section = "";
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            section = line.trim_matches(['[', ']']);
            continue;
        }
        let Some((key, value)) = line.split_once('=') else { continue };
        let Some(value) = value.split('"').nth(1) else { continue };
        let target = ["lib", "bin", "test", "example", "bench"].contains(&section);
        if (target && key.trim() == "path") || (section == "package" && key.trim() == "build") {
            roots.insert(format!("{dir}/{value}"));
        }
    }
    for file in files.keys() {
        let Some(relative) = file.strip_prefix(dir).and_then(|f| f.strip_prefix('/')) else { continue };
        let default = match relative.split('/').collect::<Vec<_>>().as_slice() {
            ["src", "lib.rs" | "main.rs"] | ["build.rs"] => true,
            ["src", "bin", name] | ["tests" | "examples" | "benches", name] => name.ends_with(".rs"),
            ["src", "bin", _, "main.rs"] | ["tests" | "examples" | "benches", _, "main.rs"] => true,
            _ => false,
        };
        if default {
            roots.insert(file.clone());
        }
    }
    roots.into_iter().collect()
}

// ---------------------------------------------------------------------------------------------------------------
// Tokens: identifiers, `::`, string literals (`"` and their text), single punctuation; no comments.

#[derive(Clone, Debug)]
struct Token {
    text: String,
    line: usize,
}

impl Token {
    fn is_ident(&self) -> bool {
        self.text.starts_with(|c: char| c.is_alphabetic() || c == '_')
    }
}

fn tokenize(source: &str) -> Vec<Token> {
    let s: Vec<char> = source.chars().collect();
    let at = |i: usize| s.get(i).copied().unwrap_or('\0');
    let ident_start = |c: char| c.is_alphabetic() || c == '_';
    let ident_char = |c: char| c.is_alphanumeric() || c == '_';
    let (mut tokens, mut i, mut line) = (vec![], 0, 1);
    while i < s.len() {
        let (c, start) = (s[i], i);
        let mut push = |text: String| tokens.push(Token { text, line });
        // A raw string: r"..", r#".."#, br"..", cr"..".
        let r = i + usize::from(matches!(c, 'b' | 'c'));
        let hashes = s[(r + 1).min(s.len())..].iter().take_while(|&&h| h == '#').count();
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && at(i + 1) == '/' {
            while i < s.len() && s[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < s.len() {
                if s[i] == '/' && at(i + 1) == '*' {
                    (depth, i) = (depth + 1, i + 2);
                } else if s[i] == '*' && at(i + 1) == '/' {
                    (depth, i) = (depth - 1, i + 2);
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if at(r) == 'r' && at(r + 1 + hashes) == '"' && (r > i || c == 'r') {
            let body = r + 2 + hashes;
            let mut end = body;
            while end < s.len() && !(s[end] == '"' && (1..=hashes).all(|h| at(end + h) == '#')) {
                end += 1;
            }
            push(format!("\"{}", s[body..end.min(s.len())].iter().collect::<String>()));
            i = end + 1 + hashes;
        } else if c == '"' || (matches!(c, 'b' | 'c') && at(i + 1) == '"') {
            let body = if c == '"' { i + 1 } else { i + 2 };
            let mut end = body;
            while end < s.len() && s[end] != '"' {
                end += if s[end] == '\\' { 2 } else { 1 };
            }
            push(format!("\"{}", s[body..end.min(s.len())].iter().collect::<String>()));
            i = end + 1;
        } else if c == '\'' || (c == 'b' && at(i + 1) == '\'') {
            // A character literal, or a lifetime or label (dropped).
            let q = if c == '\'' { i } else { i + 1 };
            if at(q + 1) == '\\' {
                i = q + 3;
                while i < s.len() && s[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if at(q + 2) == '\'' {
                i = q + 3;
            } else {
                i = q + 1;
                while ident_char(at(i)) {
                    i += 1;
                }
            }
        } else if ident_start(c) || (c == '$' && ident_start(at(i + 1))) {
            if c == 'r' && at(i + 1) == '#' && ident_start(at(i + 2)) {
                i += 2;
            }
            let from = i;
            i += 1;
            while ident_char(at(i)) {
                i += 1;
            }
            let word: String = s[from..i].iter().collect();
            // `$crate::x` in a macro is `crate::x` where the macro is written.
            push(if word == "$crate" { "crate".to_owned() } else { word });
        } else if c.is_ascii_digit() {
            while ident_char(at(i)) {
                i += 1;
            }
            push("0".to_owned());
        } else if c == ':' && at(i + 1) == ':' {
            push("::".to_owned());
            i += 2;
        } else {
            push(c.to_string());
            i += 1;
        }
        line += s[start..i.min(s.len())].iter().filter(|&&c| c == '\n').count();
    }
    tokens
}

/// The index of the bracket that closes the one at `open`.
fn matching(tokens: &[Token], open: usize) -> usize {
    let mut depth = 0;
    for (k, token) in tokens.iter().enumerate().skip(open) {
        match token.text.as_str() {
            "(" | "[" | "{" => depth += 1,
            ")" | "]" | "}" => {
                depth -= 1;
                if depth == 0 {
                    return k;
                }
            }
            _ => {}
        }
    }
    tokens.len().saturating_sub(1)
}

/// Whether an attribute's tokens are `cfg(test)` (or `cfg(all(test, ..))`): test code only.
fn cfg_test(attribute: &[String]) -> bool {
    attribute.first().is_some_and(|a| a == "cfg")
        && attribute.iter().any(|a| a == "test")
        && !attribute.iter().any(|a| a == "any" || a == "not")
}

/// Whether `tokens` begin an item (which an attribute then applies to).
fn starts_item(tokens: &[Token]) -> bool {
    tokens.first().is_some_and(|t| {
        let keywords = "mod use fn impl const static struct enum trait type async unsafe extern macro_rules union pub";
        keywords.split(' ').any(|k| k == t.text)
    })
}

/// The index after the item starting at `start`: after its `;`, or after the `}` that closes its body.
fn skip_item(tokens: &[Token], start: usize) -> usize {
    let head = tokens[start..].iter().take_while(|t| !matches!(t.text.as_str(), "{" | ";" | "="));
    let block = head
        .map(|t| t.text.as_str())
        .any(|t| matches!(t, "fn" | "mod" | "impl" | "trait" | "struct" | "enum" | "union" | "macro_rules"));
    let mut depth = 0usize;
    for (k, token) in tokens.iter().enumerate().skip(start) {
        match token.text.as_str() {
            ";" if depth == 0 => return k + 1,
            "(" | "[" | "{" => depth += 1,
            ")" | "]" | "}" => {
                if depth == 0 {
                    return k;
                }
                depth -= 1;
                if depth == 0 && token.text == "}" && block {
                    return k + 1;
                }
            }
            _ => {}
        }
    }
    tokens.len()
}

/// The path of two or more segments that starts at `at` (`a::b::C`), and the index after it.
fn path_at(tokens: &[Token], at: usize) -> Option<(Vec<String>, usize)> {
    let next_is_colons = tokens.get(at + 1).is_some_and(|t| t.text == "::");
    let after_colons = at > 0 && tokens[at - 1].text == "::";
    if !tokens[at].is_ident() || !next_is_colons || after_colons {
        return None;
    }
    let mut path = vec![tokens[at].text.clone()];
    let mut k = at + 1;
    while tokens.get(k).is_some_and(|t| t.text == "::") && tokens.get(k + 1).is_some_and(Token::is_ident) {
        path.push(tokens[k + 1].text.clone());
        k += 2;
    }
    (path.len() > 1).then_some((path, k))
}

/// Whether the `use` at `at` is `pub`, `pub(crate)`, `pub(super)` or `pub(in ..)`.
fn public(tokens: &[Token], at: usize) -> bool {
    match at.checked_sub(1).map(|k| tokens[k].text.as_str()) {
        Some("pub") => true,
        Some(")") => {
            let open = (0..at - 1).rev().find(|&k| tokens[k].text == "(");
            open.is_some_and(|k| k > 0 && tokens[k - 1].text == "pub")
        }
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------------------------
// A crate's modules, read from its root.

/// A path written in a module, and the line it is written on.
#[derive(Debug)]
struct Ref {
    path: Vec<String>,
    line: usize,
    /// Written in a `pub use`, `pub(crate) use`, ...: a re-export.
    reexport: bool,
}

#[derive(Debug, Default)]
struct Module {
    /// From the crate root (empty for the root).
    path: Vec<String>,
    file: String,
    parent: Option<usize>,
    /// Under `#![cfg(test)]`.
    test: bool,
    children: BTreeMap<String, usize>,
    /// The names of the items it defines.
    items: BTreeSet<String>,
    /// The names its `use`s bring in, with the path each stands for (as written in this module).
    uses: BTreeMap<String, Vec<String>>,
    /// The paths of its glob imports (`use x::*`).
    globs: Vec<Vec<String>>,
    refs: Vec<Ref>,
}

#[derive(Debug, Default)]
struct Crate {
    modules: Vec<Module>,
    /// `#[macro_export]` macros, which sit at the crate root, and the modules that define them.
    exported_macros: BTreeMap<String, usize>,
    /// What the reader could not read (a `mod x;` without its file).
    problems: Vec<String>,
}

/// What one `use` brings in.
#[derive(Default)]
struct Use {
    names: Vec<(String, Vec<String>)>,
    globs: Vec<Vec<String>>,
    paths: Vec<(Vec<String>, usize)>,
}

/// Reads the use tree at `at` under `prefix` (`crate::{a::X, b::{self, c::*}}`); the index after it.
fn use_tree(tokens: &[Token], mut at: usize, mut prefix: Vec<String>, out: &mut Use) -> usize {
    let Some(token) = tokens.get(at) else { return at };
    match token.text.as_str() {
        "{" => {
            at += 1;
            while at < tokens.len() && tokens[at].text != "}" {
                let next = use_tree(tokens, at, prefix.clone(), out);
                at = if tokens.get(next).is_some_and(|t| t.text == ",") { next + 1 } else { next.max(at + 1) };
            }
            at + 1
        }
        "*" => {
            out.globs.push(prefix.clone());
            out.paths.push((prefix, token.line));
            at + 1
        }
        "::" => {
            // `use ::name`: another crate.
            prefix.push("::".to_owned());
            use_tree(tokens, at + 1, prefix, out)
        }
        _ if token.is_ident() => {
            if tokens.get(at + 1).is_some_and(|t| t.text == "::") {
                prefix.push(token.text.clone());
                return use_tree(tokens, at + 2, prefix, out);
            }
            let mut name = token.text.clone();
            if name == "self" {
                name = prefix.last().cloned().unwrap_or_default();
            } else {
                prefix.push(name.clone());
            }
            at += 1;
            if tokens.get(at).is_some_and(|t| t.text == "as") {
                name = tokens.get(at + 1).map(|t| t.text.clone()).unwrap_or_default();
                at += 2;
            }
            if name != "_" {
                out.names.push((name, prefix.clone()));
            }
            out.paths.push((prefix, token.line));
            at
        }
        _ => at + 1,
    }
}

impl Crate {
    fn read(files: &Files, root: &str) -> Crate {
        let mut krate = Crate::default();
        krate.modules.push(Module { file: root.to_owned(), ..Module::default() });
        krate.read_file(files, root, 0, true);
        krate
    }

    fn add(&mut self, parent: usize, name: &str, file: &str) -> usize {
        let id = self.modules.len();
        let mut path = self.modules[parent].path.clone();
        path.push(name.to_owned());
        let test = self.modules[parent].test;
        self.modules.push(Module { path, file: file.to_owned(), parent: Some(parent), test, ..Module::default() });
        self.modules[parent].children.insert(name.to_owned(), id);
        id
    }

    /// Reads `file`, the module `module`. `owner`: its `mod x;` files sit in its own folder (a crate root, a
    /// `mod.rs`, a `#[path]` file), rather than in a folder named after it.
    fn read_file(&mut self, files: &Files, file: &str, module: usize, owner: bool) {
        let Some(text) = files.get(file) else {
            self.problems
                .push(format!("{file}: no such file (declared as `mod {}`)", self.modules[module].path.join("::")));
            return;
        };
        let tokens = tokenize(text);
        let dir = file.rsplit_once('/').map_or("", |(dir, _)| dir).to_owned();
        let stem = file.rsplit('/').next().unwrap_or_default().trim_end_matches(".rs");
        let own_dir = if owner { dir.clone() } else { format!("{dir}/{stem}") };
        // The modules declared inline and open here: (module, brace depth at its `{`, name).
        let mut inline: Vec<(usize, usize, String)> = vec![];
        let mut depth = 0;
        let mut attributes: Vec<Vec<String>> = vec![];
        let mut at = 0;
        while at < tokens.len() {
            let here = inline.last().map_or(module, |m| m.0);
            let text = tokens[at].text.as_str();
            let position = at;
            let word = |k: usize| tokens.get(position + k).map_or("", |t| t.text.as_str());
            if text == "#" {
                let inner = word(1) == "!";
                let open = at + 1 + usize::from(inner);
                if tokens.get(open).is_some_and(|t| t.text == "[") {
                    let close = matching(&tokens, open);
                    let attribute: Vec<String> = tokens[open + 1..close].iter().map(|t| t.text.clone()).collect();
                    for k in open + 1..close {
                        if let Some((path, _)) = path_at(&tokens, k) {
                            self.modules[here].refs.push(Ref { path, line: tokens[k].line, reexport: false });
                        }
                    }
                    if inner && cfg_test(&attribute) {
                        self.modules[here].test = true;
                    } else if !inner {
                        attributes.push(attribute);
                    }
                    at = close + 1;
                    continue;
                }
            }
            let attributes = std::mem::take(&mut attributes);
            if attributes.iter().any(|a| cfg_test(a)) && starts_item(&tokens[at..]) {
                at = skip_item(&tokens, at);
                continue;
            }
            match text {
                "{" => depth += 1,
                "}" => {
                    depth -= 1;
                    if inline.last().is_some_and(|m| m.1 == depth) {
                        inline.pop();
                    }
                }
                "mod" if tokens.get(at + 1).is_some_and(Token::is_ident) && matches!(word(2), ";" | "{") => {
                    let name = word(1).to_owned();
                    if word(2) == "{" {
                        let id = self.add(here, &name, file);
                        inline.push((id, depth, name));
                        depth += 1;
                    } else {
                        let base = inline.iter().fold(own_dir.clone(), |dir, m| format!("{dir}/{}", m.2));
                        let path_attribute = attributes.iter().find_map(|a| match a.as_slice() {
                            [path, eq, value] if path == "path" && eq == "=" => Some(value[1..].to_owned()),
                            _ => None,
                        });
                        let (child, owner) = match path_attribute {
                            Some(path) => {
                                (normalize(&format!("{}/{path}", if inline.is_empty() { &dir } else { &base })), true)
                            }
                            None if files.contains_key(&format!("{base}/{name}.rs")) => {
                                (format!("{base}/{name}.rs"), false)
                            }
                            None => (format!("{base}/{name}/mod.rs"), true),
                        };
                        let id = self.add(here, &name, &child);
                        self.read_file(files, &child, id, owner);
                    }
                    at += 3;
                    continue;
                }
                "use" => {
                    let reexport = public(&tokens, at);
                    let mut found = Use::default();
                    let end = use_tree(&tokens, at + 1, vec![], &mut found);
                    let module = &mut self.modules[here];
                    module.uses.extend(found.names);
                    module.globs.extend(found.globs);
                    module.refs.extend(found.paths.into_iter().map(|(path, line)| Ref { path, line, reexport }));
                    at = end;
                    continue;
                }
                "macro_rules" if word(1) == "!" => {
                    let name = word(2).to_owned();
                    if attributes.iter().any(|a| a.first().is_some_and(|a| a == "macro_export")) {
                        self.exported_macros.insert(name.clone(), here);
                    }
                    self.modules[here].items.insert(name);
                }
                "fn" | "struct" | "enum" | "trait" | "type" | "const" | "static" | "union"
                    if tokens.get(at + 1).is_some_and(Token::is_ident) =>
                {
                    self.modules[here].items.insert(word(1).to_owned());
                }
                _ => {
                    if let Some((path, end)) = path_at(&tokens, at) {
                        self.modules[here].refs.push(Ref { path, line: tokens[at].line, reexport: false });
                        at = end;
                        continue;
                    }
                }
            }
            at += 1;
        }
    }

    /// The module that defines what `path`, written in module `from`, names; `None` for another crate's (or a
    /// local name's, a generic's, `Self`'s).
    fn resolve(&self, from: usize, path: &[String], depth: usize) -> Option<usize> {
        let first = path.first()?;
        if depth > 24 {
            return None;
        }
        match first.as_str() {
            "crate" => self.walk(0, &path[1..], depth),
            "self" => self.walk(from, &path[1..], depth),
            "super" => {
                let supers = path.iter().take_while(|s| *s == "super").count();
                let mut module = from;
                for _ in 0..supers {
                    module = self.modules[module].parent?;
                }
                self.walk(module, &path[supers..], depth)
            }
            "::" | "Self" => None,
            name => {
                let module = &self.modules[from];
                if let Some(&child) = module.children.get(name) {
                    self.walk(child, &path[1..], depth)
                } else if let Some(target) = module.uses.get(name) {
                    if target.len() == 1 && target[0] == *name {
                        return None; // `use other_crate;`
                    }
                    self.resolve(from, &[&target[..], &path[1..]].concat(), depth + 1)
                } else if module.items.contains(name) {
                    Some(from)
                } else {
                    self.through_glob(from, path, depth)
                }
            }
        }
    }

    /// Goes down `rest` from module `module`, following re-exports.
    fn walk(&self, module: usize, rest: &[String], depth: usize) -> Option<usize> {
        let Some(name) = rest.first() else { return Some(module) };
        let m = &self.modules[module];
        if let Some(&child) = m.children.get(name) {
            return self.walk(child, &rest[1..], depth);
        }
        if m.items.contains(name) {
            return Some(module);
        }
        if let Some(target) = m.uses.get(name) {
            return self.resolve(module, &[&target[..], &rest[1..]].concat(), depth + 1).or(Some(module));
        }
        if module == 0 {
            if let Some(&defined) = self.exported_macros.get(name) {
                return Some(defined);
            }
        }
        self.through_glob(module, rest, depth).or(Some(module))
    }

    /// `rest` through a glob import of `module` that provides its first name.
    fn through_glob(&self, module: usize, rest: &[String], depth: usize) -> Option<usize> {
        self.modules[module].globs.iter().find_map(|glob| {
            let source = self.resolve(module, glob, depth + 1).filter(|&s| s != module)?;
            self.provides(source, &rest[0], depth + 1).then(|| self.walk(source, rest, depth + 1)).flatten()
        })
    }

    fn provides(&self, module: usize, name: &str, depth: usize) -> bool {
        let m = &self.modules[module];
        depth < 24
            && (m.children.contains_key(name)
                || m.items.contains(name)
                || m.uses.contains_key(name)
                || m.globs
                    .iter()
                    .any(|g| self.resolve(module, g, depth + 1).is_some_and(|s| self.provides(s, name, depth + 1))))
    }

    fn is_within(&self, module: usize, ancestor: usize) -> bool {
        let (inner, outer) = (&self.modules[module].path, &self.modules[ancestor].path);
        inner.len() > outer.len() && inner.starts_with(outer)
    }

    /// The imports between files, and between top-level modules (`crate` is the root).
    fn graphs(&self) -> (Graph, Graph) {
        let (mut files, mut top) = (Graph::new(), Graph::new());
        let top_name =
            |m: &Module| m.path.first().map_or_else(|| "crate".to_owned(), |first| format!("crate::{first}"));
        for (id, module) in self.modules.iter().enumerate().filter(|(_, m)| !m.test) {
            for r in &module.refs {
                let Some(target) = self.resolve(id, &r.path, 0) else { continue };
                if r.reexport && self.is_within(target, id) {
                    continue; // the module's face: `pub use child::Item`
                }
                let evidence = format!("{}:{} `{}`", module.file, r.line, r.path.join("::"));
                let to = &self.modules[target];
                if to.file != module.file {
                    let edges = files.entry(module.file.clone()).or_default();
                    edges.entry(to.file.clone()).or_insert_with(|| evidence.clone());
                }
                if top_name(to) != top_name(module) {
                    top.entry(top_name(module)).or_default().entry(top_name(to)).or_insert(evidence);
                }
            }
        }
        (files, top)
    }
}

/// `a/b/../c` -> `a/c`.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = vec![];
    for part in path.split('/') {
        match part {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    parts.join("/")
}

// ---------------------------------------------------------------------------------------------------------------
// Circles.

/// Each group of nodes that import each other (a strongly connected component), with one shortest circle
/// through it.
fn circles(graph: &Graph) -> Vec<(BTreeSet<String>, Vec<String>)> {
    let reach = |from: &String| {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<&String> = graph.get(from).into_iter().flat_map(|e| e.keys()).collect();
        while let Some(node) = todo.pop() {
            if seen.insert(node.clone()) {
                todo.extend(graph.get(node).into_iter().flat_map(|e| e.keys()));
            }
        }
        seen
    };
    let reachable: BTreeMap<&String, BTreeSet<String>> = graph.keys().map(|n| (n, reach(n))).collect();
    let mut reported = BTreeSet::new();
    let mut found = vec![];
    for node in graph.keys() {
        if reported.contains(node) || !reachable[node].contains(node) {
            continue;
        }
        let component: BTreeSet<String> =
            reachable[node].iter().filter(|m| reachable.get(m).is_some_and(|r| r.contains(node))).cloned().collect();
        reported.extend(component.iter().cloned());
        // Breadth first from `node` back to it: the shortest circle.
        let mut before: BTreeMap<&String, &String> = BTreeMap::new();
        let mut queue = VecDeque::from([node]);
        'search: while let Some(current) = queue.pop_front() {
            for next in graph.get(current).into_iter().flat_map(|e| e.keys()) {
                if next == node {
                    let mut circle = vec![node.clone(), current.clone()];
                    let mut step = current;
                    while step != node {
                        step = before[step];
                        circle.push(step.clone());
                    }
                    circle.reverse();
                    found.push((component, circle));
                    break 'search;
                }
                if !before.contains_key(next) {
                    before.insert(next, current);
                    queue.push_back(next);
                }
            }
        }
    }
    found
}

/// What the check finds over a workspace.
struct Report {
    /// Per crate root: its file graph and its top-level module graph.
    graphs: BTreeMap<String, (Graph, Graph)>,
    /// Each group of files, or of top-level modules, of one crate that import each other: one shortest circle
    /// through it, with the line that writes each import.
    file_circles: Vec<String>,
    top_level_circles: Vec<String>,
    /// Source files under a member that no crate root reaches, and `mod` declarations without a file.
    problems: Vec<String>,
}

fn check(files: &Files) -> Report {
    let mut report =
        Report { graphs: BTreeMap::new(), file_circles: vec![], top_level_circles: vec![], problems: vec![] };
    let mut reached = BTreeSet::new();
    let describe = |root: &str, what: &str, graph: &Graph, (members, circle): (BTreeSet<String>, Vec<String>)| {
        let steps: Vec<String> = circle.windows(2).map(|pair| format!("\n    {}", graph[&pair[0]][&pair[1]])).collect();
        let mut text = format!("{root}: {what} in a circle: {}{}", circle.join(" -> "), steps.concat());
        if members.len() + 1 > circle.len() {
            let all: Vec<&str> = members.iter().map(String::as_str).collect();
            text += &format!("\n    (all that import each other through this one: {})", all.join(", "));
        }
        text
    };
    for member in members(files) {
        let roots = crate_roots(files, &member);
        if roots.is_empty() {
            report.problems.push(format!("member {member}: no crate root found"));
        }
        for root in roots {
            let krate = Crate::read(files, &root);
            reached.extend(krate.modules.iter().map(|m| m.file.clone()));
            report.problems.extend(krate.problems.iter().cloned());
            let (file_graph, top_graph) = krate.graphs();
            for found in circles(&file_graph) {
                report.file_circles.push(describe(&root, "files", &file_graph, found));
            }
            for found in circles(&top_graph) {
                report.top_level_circles.push(describe(&root, "top-level modules", &top_graph, found));
            }
            report.graphs.insert(root, (file_graph, top_graph));
        }
        let prefix = format!("{member}/");
        for file in files.keys().filter(|f| f.starts_with(&prefix) && f.ends_with(".rs")) {
            if !reached.contains(file) {
                report.problems.push(format!("{file}: not reached from any crate root of {member}"));
            }
        }
    }
    report
}

// ---------------------------------------------------------------------------------------------------------------
// The workspace.

#[test]
fn every_member_of_the_workspace_is_read() {
    let files = workspace();
    let members = members(&files);
    assert!(members.iter().any(|m| m == "core") && members.len() > 1, "members read from Cargo.toml: {members:?}");
    let report = check(&files);
    for member in &members {
        let roots: Vec<&String> = report.graphs.keys().filter(|r| r.starts_with(&format!("{member}/"))).collect();
        assert!(!roots.is_empty(), "member {member}: no crate root read");
    }
    assert_eq!(report.problems, Vec::<String>::new(), "every source file is reached from a crate root");
    let core = &report.graphs["core/src/lib.rs"];
    assert!(core.0["core/src/akool/client.rs"].contains_key("core/src/transport/mod.rs"), "the reader finds imports");
    let error = core.1.get("crate::error").cloned().unwrap_or_default();
    assert!(!error.contains_key("crate::akool") && !error.contains_key("crate::acedata"), "error names no vendor");
}

#[test]
fn no_file_imports_one_that_imports_it_back() {
    let circles: Vec<String> = check(&workspace()).file_circles;
    assert!(circles.is_empty(), "\n{}\n", circles.join("\n"));
}

#[test]
fn no_top_level_module_imports_one_that_imports_it_back() {
    let circles: Vec<String> = check(&workspace()).top_level_circles;
    assert!(circles.is_empty(), "\n{}\n", circles.join("\n"));
}

// ---------------------------------------------------------------------------------------------------------------
// The checker itself, on small source trees.

/// A workspace of `members`, from (path, text) pairs; a member without a `Cargo.toml` among them gets one.
fn tree(members: &[&str], sources: &[(&str, &str)]) -> Files {
    let list: Vec<String> = members.iter().map(|m| format!("\"{m}\"")).collect();
    let mut files = Files::from([("Cargo.toml".to_owned(), format!("[workspace]\nmembers = [{}]\n", list.join(", ")))]);
    for member in members.iter().filter(|m| !m.contains('*')) {
        files.insert(format!("{member}/Cargo.toml"), "[package]\nname = \"x\"\n".to_owned());
    }
    files.extend(sources.iter().map(|(path, text)| ((*path).to_owned(), (*text).to_owned())));
    files
}

#[test]
fn checker_finds_a_circle_through_grouped_imports() {
    let files = tree(
        &["core"],
        &[
            ("core/src/lib.rs", "mod a;\nmod b;\npub use a::A;\n"),
            ("core/src/a.rs", "use crate::{\n    b::{c::{self, C}, B},\n};\npub struct A;\n"),
            ("core/src/b/mod.rs", "pub(crate) mod c;\npub struct B;\n"),
            ("core/src/b/c.rs", "pub(crate) use super::super::a::A as Renamed;\npub struct C;\n"),
        ],
    );
    let report = check(&files);
    assert_eq!(report.problems, Vec::<String>::new());
    assert_eq!(report.file_circles.len(), 1, "{:?}", report.file_circles);
    let circle = &report.file_circles[0];
    let first_line = "core/src/lib.rs: files in a circle: core/src/a.rs -> core/src/b/c.rs -> core/src/a.rs\n";
    assert!(circle.starts_with(first_line), "{circle}");
    assert!(
        circle.contains("core/src/a.rs:2 `crate::b::c`") && circle.contains("core/src/b/c.rs:1 `super::super::a::A`")
    );
    assert_eq!(report.top_level_circles.len(), 1, "{:?}", report.top_level_circles);
    assert!(report.top_level_circles[0].contains("crate::a -> crate::b -> crate::a"));
}

#[test]
fn checker_finds_a_circle_in_a_binding_crate() {
    let errors = "use ext::Exception;\n/// Delivers with crate::other::x (a comment)\npub(crate) fn php() {\n    \
                  let _ = \"crate::other::y\";\n    crate::logging::deliver();\n}\n";
    let logging =
        "use crate::errors::php;\npub(crate) fn deliver() {}\n#[cfg(test)]\nmod tests {\n    use super::*;\n}\n";
    let files = tree(
        &["core", "bindings/x"],
        &[
            ("core/src/lib.rs", "pub fn f() {}\n"),
            ("bindings/x/src/lib.rs", "mod errors;\nmod logging;\nmod other;\n"),
            ("bindings/x/src/errors.rs", errors),
            ("bindings/x/src/logging.rs", logging),
            ("bindings/x/src/other.rs", "use crate::errors::php;\n"),
        ],
    );
    let report = check(&files);
    assert_eq!(report.problems, Vec::<String>::new());
    assert_eq!(
        report.file_circles.iter().map(String::as_str).collect::<Vec<_>>(),
        ["bindings/x/src/lib.rs: files in a circle: bindings/x/src/errors.rs -> bindings/x/src/logging.rs -> \
          bindings/x/src/errors.rs\n    bindings/x/src/errors.rs:5 `crate::logging::deliver`\n    \
          bindings/x/src/logging.rs:1 `crate::errors::php`"]
    );
    assert_eq!(report.top_level_circles.len(), 1);
    // Comments and strings are not imports: errors.rs imports logging alone.
    let x = &report.graphs["bindings/x/src/lib.rs"].0;
    assert_eq!(x["bindings/x/src/errors.rs"].keys().collect::<Vec<_>>(), ["bindings/x/src/logging.rs"]);
}

#[test]
fn checker_follows_self_super_inline_modules_reexports_and_paths_without_use() {
    let lib = "mod a;\nmod b;\nmod c;\npub use a::inner::Thing;\n#[macro_export]\nmacro_rules! m { () => {} }\n";
    let a = "pub mod inner {\n    pub struct Thing;\n    pub fn go() { self::deeper::f(); }\n    \
             mod deeper { pub fn f() { super::super::helper() } }\n}\nfn helper() {}\n";
    // b reaches a through the root's re-export, and through `use` of a module then a path.
    let b = "use crate::Thing;\nuse crate::a;\nfn f() { a::inner::go(); }\n";
    // c: only b imports it, in code; it imports b back inside an inline module.
    let c = "pub(crate) mod nested {\n    pub(crate) fn g() { crate::b::h(); }\n}\n";
    let b_rs = format!("{b}pub(crate) fn h() {{ crate::c::nested::g(); crate::m!(); }}\n");
    let files = tree(
        &["core"],
        &[("core/src/lib.rs", lib), ("core/src/a.rs", a), ("core/src/b.rs", b_rs.as_str()), ("core/src/c.rs", c)],
    );
    let report = check(&files);
    let (graph, top) = &report.graphs["core/src/lib.rs"];
    let imports = |file: &str| graph.get(file).map(|e| e.keys().cloned().collect::<Vec<_>>()).unwrap_or_default();
    assert_eq!(imports("core/src/lib.rs"), Vec::<String>::new(), "the root's re-exports are its face");
    assert_eq!(imports("core/src/a.rs"), Vec::<String>::new(), "inline modules are their file");
    assert_eq!(imports("core/src/b.rs"), ["core/src/a.rs", "core/src/c.rs", "core/src/lib.rs"]);
    assert!(graph["core/src/b.rs"]["core/src/a.rs"].contains("b.rs:1 `crate::Thing`"), "{graph:?}");
    assert_eq!(report.file_circles.len(), 1, "{:?}", report.file_circles);
    assert!(report.file_circles[0].contains("core/src/b.rs -> core/src/c.rs -> core/src/b.rs"));
    assert!(top["crate::c"].contains_key("crate::b"));

    // Without the import back from c, no circle; a test module importing anything is no import.
    let c =
        "pub(crate) mod nested {\n    pub(crate) fn g() {}\n}\n#[cfg(test)]\nmod tests {\n    use crate::b::*;\n}\n";
    let b_rs = format!("{b}pub(crate) fn h() {{ crate::c::nested::g(); }}\n");
    let files = tree(
        &["core"],
        &[("core/src/lib.rs", lib), ("core/src/a.rs", a), ("core/src/b.rs", b_rs.as_str()), ("core/src/c.rs", c)],
    );
    let report = check(&files);
    assert!(report.file_circles.is_empty() && report.top_level_circles.is_empty(), "{:?}", report.file_circles);
}

#[test]
fn checker_reads_every_member_and_every_target() {
    let files = tree(
        &["core", "tools/*"],
        &[
            ("core/src/lib.rs", ""),
            ("tools/one/Cargo.toml", "[package]\nname = \"one\"\n[[bin]]\nname = \"one\"\npath = \"main/one.rs\"\n"),
            ("tools/one/main/one.rs", "mod x;\nfn main() { x::f(); }\n"),
            ("tools/one/main/x.rs", "pub fn f() { crate::y(); }\n"),
            ("tools/one/tests/t.rs", "mod common;\n"),
            ("tools/one/tests/common/mod.rs", "pub fn c() {}\n"),
            ("tools/one/src/orphan.rs", "\n"),
        ],
    );
    let report = check(&files);
    let roots: Vec<&String> = report.graphs.keys().collect();
    assert_eq!(roots, ["core/src/lib.rs", "tools/one/main/one.rs", "tools/one/tests/t.rs"]);
    assert_eq!(report.problems, ["tools/one/src/orphan.rs: not reached from any crate root of tools/one"]);
    assert_eq!(report.file_circles.len(), 1, "a crate root that is imported back: {:?}", report.file_circles);
}
