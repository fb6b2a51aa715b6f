#!/usr/bin/env python3
"""Checks rom/'s layering from its #include lines.

  tools/check-layers.py [ROM_DIR]

Layers, lowest first (rom/sources.mk): arch, lib, xen, block, bios, variants.
A file may include headers of its own layer and of the layers below, never
above; and the modules (a .c and its .h, e.g. xen/grant) must form no
include circle.  Prints one line per violation and the plain closing line
"N passed, N failed" (one check per file, plus one for the circles).
"""
import os
import re
import sys

LAYERS = ["arch", "lib", "xen", "block", "bios", "variants"]
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def sources(rom):
    for layer in LAYERS:
        folder = os.path.join(rom, layer)
        for name in sorted(os.listdir(folder)):
            if name.endswith((".c", ".h", ".S")):
                yield layer, "%s/%s" % (layer, name)


def module(path):
    return os.path.splitext(path)[0]


def check_layers(rom, files):
    """{module: set(modules it includes)} and the layer violations."""
    graph, bad = {}, []
    for layer, path in files:
        text = open(os.path.join(rom, path)).read()
        deps = graph.setdefault(module(path), set())
        for inc in INCLUDE.findall(text):
            top = inc.split("/")[0]
            if top not in LAYERS:
                continue            # generated (layout.h) or the C library's
            if not os.path.exists(os.path.join(rom, inc)):
                bad.append("%s: includes %s, which does not exist" % (path, inc))
            elif LAYERS.index(top) > LAYERS.index(layer):
                bad.append("%s: layer %s includes %s from the higher layer %s"
                           % (path, layer, inc, top))
            if module(inc) != module(path):
                deps.add(module(inc))
    return graph, bad


def find_circle(graph):
    """One include circle as a list of modules, or None."""
    state = {}

    def visit(node, trail):
        state[node] = "open"
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == "open":
                return trail[trail.index(dep):] + [dep] if dep in trail else [node, dep]
            if dep not in state:
                found = visit(dep, trail + [dep])
                if found:
                    return found
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node, [node])
            if found:
                return found
    return None


def main():
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    rom = sys.argv[1] if len(sys.argv) > 1 else os.path.join(top, "rom")
    files = list(sources(rom))
    graph, bad = check_layers(rom, files)
    failed_files = {line.split(":")[0] for line in bad}
    for line in bad:
        print("FAIL " + line)
    circle = find_circle(graph)
    if circle:
        print("FAIL include circle: " + " -> ".join(circle))
    failed = len(failed_files) + (1 if circle else 0)
    passed = len(files) + 1 - failed
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
