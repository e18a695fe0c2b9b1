#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Checks that the layout tables say where everything is.

README.md's "Layout" table and Documentation/gem/design.rst's "Where
things live" list every source folder of the tree, name only paths that
exist, and design.rst names every source file of kmod/ and agent/ (tests
and fuzzers aside), so that the owner of any behaviour can be found from
the file list. Prints TAP lines and exits 1 if either table is out of step.
"""

import re
import subprocess
import sys
from pathlib import Path

TOP = Path(__file__).resolve().parents[3]
SKIP_DIRS = ("LICENSES", ".ci")


def tracked():
    out = subprocess.run(["git", "-C", str(TOP), "ls-files"], capture_output=True, text=True,
                         check=True).stdout
    return [p for p in out.splitlines() if (TOP / p).exists()]


def section(text, start, end):
    m = re.search(start, text, re.M)
    if not m:
        return ""
    rest = text[m.end():]
    n = re.search(end, rest, re.M)
    return rest[:n.start()] if n else rest


def expand(path):
    """gem_nl.[ch] names gem_nl.c and gem_nl.h."""
    m = re.fullmatch(r"(.*)\.\[(\w+)\]", path)
    return [m.group(1) + "." + c for c in m.group(2)] if m else [path]


def readme_paths():
    body = section((TOP / "README.md").read_text(), r"^## Layout$", r"^## ")
    paths = []
    for line in body.splitlines():
        if line.startswith("|") and not line.startswith("| path") and "---" not in line:
            paths += re.findall(r"`([^`]+)`", line.split("|")[1])
    return paths


def design_paths():
    """Entry paths, and in a folder's entry the files its text names."""
    body = section((TOP / "Documentation/gem/design.rst").read_text(),
                   r"^Where things live\n=+$", r"^\S.*\n=+$")
    paths, folder = [], None
    for line in body.splitlines():
        if line.startswith("``"):
            keys = re.findall(r"``([^`]+)``", line)
            paths += keys
            folder = keys[0] if len(keys) == 1 and keys[0].endswith("/") else None
        elif folder and line.startswith("  "):
            paths += [folder + n for n in re.findall(r"``([^`/ ]+\.[^`/ ]+)``", line)
                      if not n.startswith(".")]
    return [q for p in paths for q in expand(p)]


def main():
    files = tracked()
    folders = sorted({str(Path(f).parent) for f in files if "/" in f and
                      not f.startswith(SKIP_DIRS)})
    sources = sorted(f for f in files if re.match(r"(kmod|agent)/", f) and
                     re.search(r"\.[ch]$", f) and not re.search(r"/(tests|fuzz)/", f))
    known = set(files) | set(folders) | {str(p) for f in files for p in Path(f).parents}
    failed = 0
    for name, paths in (("README.md Layout", readme_paths()),
                        ("design.rst Where things live", design_paths())):
        listed = {p.rstrip("/") for p in paths}
        missing = [d for d in folders if d not in listed]
        stale = [p for p in paths if p.rstrip("/") not in known]
        problems = [f"folder {d}/ not listed" for d in missing] + \
                   [f"{p} listed but not in the tree" for p in stale]
        if name.startswith("design"):
            problems += [f"{f} not named" for f in sources if f not in listed]
        for p in problems:
            print(f"# {name}: {p}")
        print(f"{'not ' if problems else ''}ok - layout: {name} matches the tree")
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
