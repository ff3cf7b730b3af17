#!/usr/bin/env python3
"""make lint-includes: no include circles among the production headers.

Every quoted #include of a header under shim/ and tools/ is an edge; a
cycle (a.h -> b.h -> a.h) is printed and fails the check.  A header is
found in the directories the Makefile puts on the include path, in that
order, as the compiler would find it.
"""
import os
import re
import sys

DIRS = ["shim/core", "shim", "tools", "tools/kernel", "tools/report"]
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def resolve(name, here):
    for d in [here] + DIRS:
        p = os.path.normpath(os.path.join(d, name))
        if os.path.isfile(p):
            return p
    return None


def edges(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    out = []
    for name in INCLUDE.findall(text):
        p = resolve(name, os.path.dirname(path))
        if p is not None and p.endswith(".h"):
            out.append(p)
    return out


def main():
    headers = sorted({os.path.join(d, f) for d in DIRS if os.path.isdir(d)
                      for f in os.listdir(d) if f.endswith(".h")})
    graph = {h: edges(h) for h in headers}
    state, stack, cycles = {}, [], []

    def visit(h):
        state[h] = 1
        stack.append(h)
        for n in graph.get(h, []):
            if state.get(n) == 1:
                cycles.append(stack[stack.index(n):] + [n])
            elif n not in state:
                visit(n)
        stack.pop()
        state[h] = 2

    for h in headers:
        if h not in state:
            visit(h)
    for c in cycles:
        print("include circle: " + " -> ".join(c))
    if cycles:
        print("lint-includes: FAIL (%d circles)" % len(cycles))
        return 1
    print("lint-includes: OK (%d headers, no circle)" % len(headers))
    return 0


if __name__ == "__main__":
    sys.exit(main())
