//! The modules of core import each other in one direction only: no file, and no top-level module, imports one
//! that imports it back (docs/architecture.md). Read from the sources, so a new import that closes a circle
//! fails here, naming it.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// Module path (`akool::client`) to the modules it imports, from `crate::` and `super::` paths in code (not in
/// comments, not in the unit tests at the end of a file).
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![];
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let module = |path: &Path| {
        let relative = path.strip_prefix(&root).unwrap().with_extension("");
        let name = relative.to_string_lossy().replace('/', "::");
        name.trim_end_matches("::mod").trim_start_matches("lib").to_owned()
    };
    let modules: BTreeSet<String> = files.iter().map(|f| module(f)).collect();
    let resolve = |path: &str| -> Option<String> {
        let parts: Vec<&str> = path.split("::").collect();
        (1..=parts.len()).rev().map(|n| parts[..n].join("::")).find(|candidate| modules.contains(candidate))
    };
    let mut graph = BTreeMap::new();
    for file in &files {
        let name = module(file);
        let text = fs::read_to_string(file).unwrap();
        let code = text.split("#[cfg(test)]\nmod tests").next().unwrap();
        let code = code.split("#[cfg(test)]\npub(crate) mod tests").next().unwrap();
        let parent =
            if file.ends_with("mod.rs") { name.clone() } else { name.rsplit_once("::").map_or("", |p| p.0).to_owned() };
        let mut deps = BTreeSet::new();
        for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
            for (marker, base) in [("crate::", String::new()), ("super::", parent.clone())] {
                for (at, _) in line.match_indices(marker) {
                    let rest: String = line[at + marker.len()..]
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || *c == '_' || *c == ':')
                        .collect();
                    let full = if base.is_empty() { rest } else { format!("{base}::{rest}") };
                    if let Some(target) = resolve(full.trim_end_matches(':')) {
                        if target != name {
                            deps.insert(target);
                        }
                    }
                }
            }
        }
        graph.insert(name, deps);
    }
    graph
}

/// A circle in `graph`, if there is one.
fn circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        done: &mut BTreeSet<String>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            return Some(path[start..].iter().cloned().chain([node.to_owned()]).collect());
        }
        if !done.insert(node.to_owned()) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, done, path) {
                return Some(found);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|node| visit(node, graph, &mut done, &mut vec![]))
}

#[test]
fn no_file_imports_one_that_imports_it_back() {
    let graph = imports();
    assert!(graph.get("akool::client").is_some_and(|d| d.contains("transport")), "the reader finds imports");
    assert_eq!(circle(&graph), None);
}

#[test]
fn no_top_level_module_imports_one_that_imports_it_back() {
    let mut top: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, deps) in imports() {
        let from = module.split("::").next().unwrap().to_owned();
        for dep in deps {
            let to = dep.split("::").next().unwrap().to_owned();
            if from != to && !from.is_empty() {
                top.entry(from.clone()).or_default().insert(to);
            }
        }
    }
    assert!(top.get("error").is_some_and(|d| !d.contains("akool") && !d.contains("acedata")), "error names no vendor");
    assert_eq!(circle(&top), None);
}
