#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Checks that the netlink spec, the uapi header and the kernel's policies agree.

Documentation/netlink/specs/gem.yaml is the family as YNL describes it;
uapi/linux/gem.h is what the kernel and the agent compile against;
kmod/netlink.c holds the request policies. Prints a TAP line a check and
exits 1 if any disagree.
"""

import re
import sys
from pathlib import Path

import yaml

TOP = Path(__file__).resolve().parents[3]
SPEC = TOP / "Documentation/netlink/specs/gem.yaml"
HEADER = TOP / "uapi/linux/gem.h"
POLICIES = TOP / "kmod/netlink.c"

NLA_TYPES = {
    "u8": {"NLA_U8"}, "u16": {"NLA_U16"}, "u32": {"NLA_U32"}, "u64": {"NLA_U64"},
    "s32": {"NLA_S32"}, "s64": {"NLA_S64"}, "flag": {"NLA_FLAG"},
    "string": {"NLA_NUL_STRING", "NLA_STRING"}, "binary": {"NLA_BINARY"},
    "nest": {"NLA_NESTED"}, "pad": {"NLA_UNSPEC"},
}


def c_name(prefix, name):
    return (prefix + name).upper().replace("-", "_")


def header_enums(text):
    """Every enum of the header, as {name: [(member, value), ...]}."""
    enums = {}
    for m in re.finditer(r"enum\s+(\w+)\s*\{(.*?)\};", text, re.S):
        body = re.sub(r"/\*.*?\*/", "", m.group(2), flags=re.S)
        members, value = [], -1
        for item in body.split(","):
            item = item.strip()
            if not item:
                continue
            name, _, expr = item.partition("=")
            name, expr = name.strip(), expr.strip()
            if expr:
                value = dict(members).get(expr) if not expr.isdigit() else int(expr)
                if value is None and re.fullmatch(r"(\w+)\s*-\s*1", expr):
                    value = dict(members)[expr.split("-")[0].strip()] - 1
            else:
                value += 1
            members.append((name, value))
        enums[m.group(1)] = members
    return enums


def header_defines(text):
    """#defines of the header; arithmetic over other defines is evaluated."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    raw = {m.group(1): m.group(2).strip()
           for m in re.finditer(r"^#define[ \t]+(\w+)[ \t]+(.+?)[ \t]*$", text, re.M)}

    def resolve(value, depth=0):
        expr = re.sub(r"[A-Z_][A-Z0-9_]*",
                      lambda m: resolve(raw[m.group(0)], depth + 1) if m.group(0) in raw else m.group(0),
                      value)
        if depth < 8 and re.fullmatch(r"[0-9+\-*() ]+", expr):
            return str(eval(expr, {"__builtins__": {}}))
        return expr

    return {name: resolve(value) for name, value in raw.items()}


def kernel_ops(text):
    """{command: policy name} from the genl_ops table."""
    ops = {}
    for m in re.finditer(r"\{\s*\.cmd\s*=\s*(GEM_CMD_\w+),(.*?)\}", text, re.S):
        p = re.search(r"\.policy\s*=\s*(\w+)", m.group(2))
        ops[m.group(1)] = p.group(1) if p else None
    return ops


def kernel_policies(text):
    """{policy name: {attribute: NLA type}} from the C policy arrays."""
    defines = {m.group(1): m.group(2).strip()
               for m in re.finditer(r"^#define[ \t]+(\w+)[ \t]+(.+?)[ \t]*$", text, re.M)}

    def nla_type(value):
        value = value.strip().rstrip(",")
        if value in defines:
            return nla_type(defines[value])
        if value.startswith("NLA_POLICY_EXACT_LEN"):
            return "NLA_BINARY"
        m = re.match(r"NLA_POLICY_\w+\(\s*(NLA_\w+)", value) or \
            re.match(r"\{\s*\.type\s*=\s*(NLA_\w+)", value)
        return m.group(1) if m else None

    out = {}
    for m in re.finditer(r"nla_policy\s+(\w+)\[[^]]*\]\s*=\s*\{(.*?)\n\};", text, re.S):
        out[m.group(1)] = {e.group(1): nla_type(e.group(2))
                           for e in re.finditer(r"\[(\w+)\]\s*=\s*(.+)", m.group(2))}
    return out


def main():
    spec = yaml.safe_load(SPEC.read_text())
    htext = HEADER.read_text()
    enums = header_enums(htext)
    defines = header_defines(htext)
    ktext = POLICIES.read_text()
    policies = kernel_policies(ktext)
    kops = kernel_ops(ktext)
    results = []

    def check(name, problems):
        results.append((name, problems))

    problems = []
    if defines.get("GEM_GENL_NAME") != f'"{spec["name"]}"':
        problems.append(f'GEM_GENL_NAME is {defines.get("GEM_GENL_NAME")}, spec name is {spec["name"]}')
    if spec["protocol"] == "genetlink" and defines.get("GEM_GENL_VERSION") != "1":
        problems.append("a genetlink family is version 1")
    check("family name and version", problems)

    problems = []
    for d in spec.get("definitions", []):
        if d["type"] == "const":
            cname = c_name("gem-", d["name"])
            if defines.get(cname) != str(d["value"]):
                problems.append(f"{cname} is {defines.get(cname)}, spec says {d['value']}")
    check("constants", problems)

    for d in spec.get("definitions", []):
        if d["type"] != "enum":
            continue
        want = [(c_name(d["name-prefix"], e), i) for i, e in enumerate(d["entries"])]
        got = None
        for members in enums.values():
            if members and members[0][0] == want[0][0]:
                got = [(n, v) for n, v in members if not n.startswith("__") and not n.endswith("_MAX")]
        check(f"enum {d['name']}", [] if got == want else [f"header {got}\n     spec {want}"])

    sets = {s["name"]: s for s in spec["attribute-sets"]}
    for aset in spec["attribute-sets"]:
        prefix = aset["name-prefix"]
        want, value = [(c_name(prefix, "unspec"), 0)], 0
        for a in aset["attributes"]:
            value = a.get("value", value + 1)
            want.append((c_name(prefix, a["name"]), value))
        upper = c_name(prefix, "")
        got = None
        for members in enums.values():
            if members and members[0][0] == c_name(prefix, "unspec"):
                got = [(n, v) for n, v in members if not n.startswith("__") and n != upper + "MAX"]
                maxes = dict(members)
                if maxes.get(upper + "MAX") != want[-1][1]:
                    problems = [f"{upper}MAX is {maxes.get(upper + 'MAX')}, want {want[-1][1]}"]
                    check(f"attribute-set {aset['name']}: MAX", problems)
        problems = []
        if got is None:
            problems.append(f"no enum starting with {c_name(prefix, 'unspec')} in the header")
        elif got != want:
            problems.append(f"header {got}\n     spec {want}")
        check(f"attribute-set {aset['name']}", problems)

    ops = spec["operations"]
    prefix = ops["name-prefix"]
    want, value = [(c_name(prefix, "unspec"), 0)], 0
    for op in ops["list"]:
        value = op.get("value", value + 1)
        want.append((c_name(prefix, op["name"]), value))
    got = [(n, v) for n, v in enums.get("gem_cmd", []) if not n.startswith("__") and n != "GEM_CMD_MAX"]
    check("operations", [] if got == want else [f"header {got}\n     spec {want}"])

    problems = []
    for grp in spec.get("mcast-groups", {}).get("list", []):
        cname = c_name("gem-mcgrp-", grp["name"])
        if defines.get(cname) != f'"{grp["name"]}"':
            problems.append(f"{cname} is {defines.get(cname)}, spec group is {grp['name']}")
    for op in ops["list"]:
        if "mcgrp" in op and op["mcgrp"] not in [g["name"] for g in spec["mcast-groups"]["list"]]:
            problems.append(f"{op['name']} names unknown group {op['mcgrp']}")
    check("multicast groups", problems)

    # Each operation's request attributes are what its kernel policy accepts.
    for op in ops["list"]:
        req = op.get("do", {}).get("request") or op.get("dump", {}).get("request")
        cmd = c_name(prefix, op["name"])
        if not req:
            if ("do" in op or "dump" in op) and cmd not in kops:
                check(f"policy of {op['name']}", [f"{cmd} is not in the kernel's ops"])
            continue
        pname = kops.get(cmd)
        aset = sets[op["attribute-set"]]
        types = {a["name"]: a["type"] for a in aset["attributes"]}
        problems = []
        policy = policies.get(pname)
        if policy is None:
            problems.append(f"kmod/netlink.c has no policy for {cmd} ({pname})")
        else:
            want_attrs = {c_name(aset["name-prefix"], a) for a in req["attributes"]}
            if set(policy) != want_attrs:
                problems.append(f"policy accepts {sorted(policy)}, spec requests {sorted(want_attrs)}")
            for a in req["attributes"]:
                cname = c_name(aset["name-prefix"], a)
                if cname in policy and policy[cname] not in NLA_TYPES[types[a]]:
                    problems.append(f"{cname} is {policy[cname]} in the policy, {types[a]} in the spec")
        check(f"policy of {op['name']}", problems)

    failed = 0
    for n, (name, problems) in enumerate(results, 1):
        print(f"{'not ' if problems else ''}ok {n} - spec: {name}")
        for p in problems:
            print(f"#   {p}")
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
