#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Checks the netlink spec and what is generated from it.

Documentation/netlink/specs/gem.yaml is the family as YNL describes it;
uapi/linux/gem.h and kmod/netlink-gen.[ch] are generated from it by
scripts/ynl-regen. The first check regenerates them and diffs; the others
are what the generator cannot see: values the spec must repeat because
its schema takes no expression there, and rules of this family. Prints a
TAP line a check and exits 1 if any fails.
"""

import subprocess
import sys
from pathlib import Path

import yaml

TOP = Path(__file__).resolve().parents[3]
SPEC = TOP / "Documentation/netlink/specs/gem.yaml"


def regenerated():
    """The committed generated files are what the spec gives now."""
    run = subprocess.run([str(TOP / "scripts/ynl-regen"), "--check"], cwd=TOP,
                         capture_output=True, text=True)
    if run.returncode == 0:
        return []
    return (run.stdout + run.stderr).splitlines() or ["ynl-regen --check failed"]


def main():
    spec = yaml.safe_load(SPEC.read_text())
    defs = {d["name"]: d for d in spec.get("definitions", [])}
    consts = {n: d["value"] for n, d in defs.items() if d["type"] == "const"}
    sets = {s["name"]: {a["name"]: a for a in s["attributes"]} for s in spec["attribute-sets"]}
    ops = spec["operations"]["list"]
    results = []

    def check(name, problems):
        results.append((name, problems))

    check("generated files match the spec (scripts/ynl-regen --check)", regenerated())

    problems = []
    want = consts["wire-hdr-len"] + consts["aead-tag-len"] + consts["gak-tag-len"]
    if consts["overhead"] != want:
        problems.append(f"overhead is {consts['overhead']}, header and tags make {want}")
    check("overhead is the header and both tags", problems)

    # render-max would name it after the entries' prefix (GEM_TAG_MAX).
    last = len(defs["tag-alg"]["entries"]) - 1
    check("tag-alg-max is the last tag-alg",
          [] if consts["tag-alg-max"] == last else [f"tag-alg-max {consts['tag-alg-max']}, want {last}"])

    # The schema takes a number, not a constant's name, as a check's bound.
    idle = sets["norm"]["idle-timeout"]["checks"]
    check("idle-timeout is bounded by norm-idle-max",
          [] if idle.get("max") == consts["norm-idle-max"] else
          [f"idle-timeout max {idle.get('max')}, norm-idle-max {consts['norm-idle-max']}"])

    # Every attribute set keeps 0 unused, as the ABI did before it was generated.
    problems = []
    for name, attrs in sets.items():
        first = next(iter(attrs.values()))
        if first["name"] != "unspec" or first.get("value") != 0 or first["type"] != "unused":
            problems.append(f"attribute set {name} does not start with unspec = 0")
    check("attribute 0 is unspec in every set", problems)

    # Keys are write-only, and reading anything but devices needs the
    # permission changing it does (it tells who sends what to whom).
    problems = []
    for op in ops:
        for mode in ("do", "dump", "event"):
            msg = op.get(mode) or {}
            reply = msg.get("reply") if mode != "event" else msg
            if reply and "key" in reply.get("attributes", []):
                problems.append(f"{op['name']} {mode} carries the key")
        if ("do" in op or "dump" in op) and op.get("attribute-set") != "dev" and \
                "uns-admin-perm" not in op.get("flags", []):
            problems.append(f"{op['name']} does not need CAP_NET_ADMIN")
    check("keys are write-only; only devices are open to read", problems)

    # netlink.c registers each command as one genl_ops (Linux 6.1 has no
    # split ops): a do and a dump of one command must take the same request.
    problems = []
    for op in ops:
        if "do" in op and "dump" in op:
            do = (op["do"].get("request") or {}).get("attributes")
            dump = (op["dump"].get("request") or {}).get("attributes")
            if do != dump:
                problems.append(f"{op['name']}: do takes {do}, dump {dump}")
    check("a command's do and dump take the same attributes", problems)

    failed = 0
    for n, (name, problems) in enumerate(results, 1):
        print(f"{'not ' if problems else ''}ok {n} - spec: {name}")
        for p in problems:
            print(f"#   {p}")
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
