#!/usr/bin/env python3
"""Finds import cycles between the modules of each crate: a newcomer should be able to read
the modules in some order, each using only those read before.

Looks at every path a file names (`use crate::a::b`, `crate::a::f()`, `super::x::Y`) and
draws an edge from the file's module to the module the path leads into. It checks two
levels: the crate's top-level modules (`analysis` → `detect`), and the files inside one
folder module (`analysis::team` → `analysis::report_building`), where a child naming its
parent (`super::Analysis`) does not count: the parent owns the child. Prints every cycle
and exits 1 if there is one.

    python3 scripts/module_cycles.py [crates/core/src crates/web/src crates/cli/src]
"""

import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CRATES = ["crates/core/src", "crates/web/src", "crates/cli/src"]
PATH = re.compile(r"\b(crate|super)((?:::[A-Za-z_][A-Za-z0-9_]*)+)")
# `use crate::a::{b, c::D}`: the names inside the braces, one level deep.
BRACES = re.compile(r"\b(crate|super)((?:::[A-Za-z_][A-Za-z0-9_]*)*)::\{([^{}]*)\}")


def modules_of(src):
    """Every module of the crate under `src`, by path (`analysis::team`), with its file."""
    modules = {}
    for directory, _, files in os.walk(src):
        for name in files:
            if not name.endswith(".rs"):
                continue
            relative = os.path.relpath(os.path.join(directory, name), src)[:-3].split(os.sep)
            if relative[0] == "bin":
                continue
            if relative[-1] == "mod" or relative in (["lib"], ["main"]):
                relative = relative[:-1]
            modules["::".join(relative)] = os.path.join(directory, name)
    return modules


def code_of(path):
    """The file's text without comments and string literals."""
    text = open(path, encoding="utf-8").read()
    text = re.sub(r"//[^\n]*", "", text)
    return re.sub(r'"(?:\\.|[^"\\])*"', '""', text)


def target(module, origin, parts, modules):
    """The deepest known module `parts` (from `crate` or `super`) leads into."""
    base = [] if origin == "crate" else module.split("::")[:-1] if module else []
    while parts and parts[0] == "super":
        base, parts = base[:-1], parts[1:]
    path = base + parts
    while path and "::".join(path) not in modules:
        path = path[:-1]
    return "::".join(path)


def edges_of(modules):
    edges = set()
    for module, path in modules.items():
        code = code_of(path)
        named = []
        for origin, prefix, inside in BRACES.findall(code):
            for item in inside.split(","):
                item = item.strip().split(" as ")[0]
                if item and item != "self":
                    named.append((origin, prefix.strip(":").split("::") + item.split("::")))
        for origin, rest in PATH.findall(code):
            named.append((origin, rest.strip(":").split("::")))
        for origin, parts in named:
            parts = [p for p in parts if p]
            into = target(module, origin, parts, modules)
            if into != module:
                edges.add((module, into))
    return edges


def cycles(nodes, edges):
    """Strongly connected components of more than one node (Tarjan)."""
    graph = {node: sorted({b for a, b in edges if a == node}) for node in nodes}
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for after in graph.get(node, []):
            if after not in index:
                visit(after)
                low[node] = min(low[node], low[after])
            elif after in on_stack:
                low[node] = min(low[node], index[after])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(nodes):
        if node not in index:
            visit(node)
    return found


def main():
    sys.setrecursionlimit(10_000)
    found = 0
    for src in sys.argv[1:] or CRATES:
        modules = modules_of(os.path.join(ROOT, src))
        edges = edges_of(modules)
        top = lambda m: m.split("::")[0]
        levels = {"top-level modules": {(top(a), top(b)) for a, b in edges if top(a) and top(b) and top(a) != top(b)}}
        for folder in {top(m) for m in modules if "::" in m}:
            inside = lambda m: m.startswith(folder + "::")
            child = lambda m: "::".join(m.split("::")[:2])
            levels[f"files of {folder}/"] = {
                (child(a), child(b)) for a, b in edges
                if inside(a) and inside(b) and child(a) != child(b)
            }
        for level, level_edges in sorted(levels.items()):
            nodes = {n for edge in level_edges for n in edge}
            for component in cycles(nodes, level_edges):
                found += 1
                print(f"{src}, {level}: {' ↔ '.join(component)}")
    if found:
        sys.exit(1)
    print("no import cycles")


if __name__ == "__main__":
    main()
