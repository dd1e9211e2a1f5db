#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The policies the loaded vmq module enforces, as the kernel reports
them (nlctrl's getpolicy dump, through the kernel's ynl library), held
against what Documentation/netlink/specs/vmq.yaml says of each
command's do and dump requests: the same attributes, of the same types,
with the same limits (a dump's policy may also have its do's
attributes: the family has one policy per command, for 6.1).  kmod/nl_policy.h is generated from the spec; this checks
that netlink.c hands each command the policy that is its own.

usage: spec_policy.py YNL_DIR VMQ_SPEC NLCTRL_SPEC

Prints one line per request checked and one per difference; exits 1 if
there is any.
"""
import sys

sys.path.insert(0, sys.argv[1])
from lib import SpecFamily, YnlFamily  # noqa: E402

# The kernel's name for the policy type ynl-gen gives each spec type.
KTYPE = {"u8": "u8", "u16": "u16", "u32": "u32", "u64": "u64",
         "string": "nul-string", "binary": "binary", "flag": "flag",
         "nest": "nested"}
UMAX = {"u8": 0xff, "u16": 0xffff, "u32": 0xffffffff,
        "u64": 0xffffffffffffffff}


def expected(spec, attr):
    """What the kernel should report of @attr's policy: type and limits."""
    y, want = attr.yaml, {"type": KTYPE[attr.type]}
    checks = y.get("checks", {})
    if attr.type in UMAX:
        top = UMAX[attr.type]
        if "enum" in y:
            top = max(e.value for e in spec.consts[y["enum"]].entries.values())
        want["min-value-u"] = checks.get("min", 0)
        want["max-value-u"] = checks.get("max", top)
    if "max-len" in checks:
        want["max-length"] = checks["max-len"]
    if "exact-len" in checks:
        want["min-length"] = want["max-length"] = checks["exact-len"]
    return want


def compare(spec, policies, where, attr_set, names, idx, shared=()):
    """Differences between policy @idx and @names of @attr_set; @shared
    may be in the policy too (a dump's, shared with its command's do)."""
    have = policies.get(idx, {})
    diffs = []
    want_ids = set()
    for name in names:
        # A subset's attribute is its parent set's (nlspec resolves it).
        attr = spec.attr_sets[attr_set].attrs[name]
        want_ids.add(attr.value)
        got = dict(have.get(attr.value, {}))
        if not got:
            diffs.append(f"{where} {name}: not in the kernel's policy")
            continue
        nested = got.pop("policy-idx", None)
        got.pop("policy-maxtype", None)
        want = expected(spec, attr)
        if got != want:
            diffs.append(f"{where} {name}: kernel {got}, spec {want}")
        if attr.type == "nest":
            sub = attr.yaml["nested-attributes"]
            diffs += compare(spec, policies, f"{where} {name}", sub,
                             list(spec.attr_sets[sub].attrs), nested)
    shared_ids = {spec.attr_sets[attr_set].attrs[n].value for n in shared}
    for extra in sorted(set(have) - want_ids - shared_ids):
        diffs.append(f"{where}: attribute {extra} in the kernel's policy, "
                     "not in the spec")
    return diffs


def kernel_policies(ctrl, family, op):
    """What nlctrl says of @op's policies: {"do": idx, "dump": idx} and
    {idx: {attr: policy}}.  Asked one command at a time: a whole-family
    dump on 6.12 labels the last command of the table op-id 0."""
    op_policy, policies = {}, {}
    for r in ctrl.dump("getpolicy", {"family-name": family, "op": op}):
        for mode in ("do", "dump"):
            if mode in r.get("op-policy", {}):
                op_policy[mode] = r["op-policy"][mode]
        if "policy" in r:
            p = dict(r["policy"])
            idx, attr = p.pop("policy-id"), p.pop("attr-id")
            policies.setdefault(idx, {})[attr] = p
    return op_policy, policies


def main():
    # No schema check: the host's (selftests/spec-check) has done it, and
    # under TCG it takes most of a minute.
    spec = SpecFamily(sys.argv[2], "")
    ctrl = YnlFamily(sys.argv[3], "")
    diffs, checked = [], 0
    for op in spec.ops.values():
        do = op.yaml.get("do", {}).get("request", {}).get("attributes", [])
        op_policy, policies = kernel_policies(ctrl, spec.name, op.req_value)
        for mode in ("do", "dump"):
            request = op.yaml.get(mode, {}).get("request")
            if not request:
                continue
            checked += 1
            where = f"{op.name} {mode}"
            idx = op_policy.get(mode)
            if idx is None:
                diffs.append(f"{where}: the kernel has no policy for it "
                             f"(its op-policy: {op_policy})")
                continue
            print(f"{where}: policy {idx}")
            # One policy per command: a dump's is its do's, if it has one.
            diffs += compare(spec, policies, where, op.yaml["attribute-set"],
                             request["attributes"], idx,
                             do if mode == "dump" else ())
    for d in diffs:
        print(d)
    print(f"{checked} requests checked, {len(diffs)} difference(s)")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
