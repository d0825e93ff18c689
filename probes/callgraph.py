#!/usr/bin/env python3
"""Static worst-case stack use of the probes of a thumbv7em ELF built with -Z emit-stack-sizes.

Frame sizes come from the `.stack_sizes` section (`llvm-readelf --stack-sizes`); functions
without an entry there (precompiled `core` / `compiler_builtins`) get a size read off their
prologue (`push`, `vpush`, `sub sp`), marked `~`. The call graph comes from the disassembly:
`bl`/`blx <symbol>` calls and `b`/`b.w` tail branches to another function. For each root
(every `lce_nopanic::kernel::*` wrapper: one per kernel entry point) the script prints the largest sum of frames over a call path,
and that path. An indirect call (`blx rN`) or a recursion makes the bound incomplete: both
are reported, never ignored.

Usage: callgraph.py ELF [LIMIT_BYTES]   (exit status 1 if a root exceeds the limit or the
bound is incomplete for a root)
"""

import re
import subprocess
import sys
from functools import lru_cache

elf = sys.argv[1]
limit = int(sys.argv[2]) if len(sys.argv) > 2 else 16384
# The simulation entry points, which an on-chain program does not call (it calls health,
# liquidation and the decision), hold a whole block's state on the stack, and their static
# bound also counts the option-pricing path: an options venue's buy-back prices its series
# under the engine's block (Black-Scholes' 512-bit ladder, 14 KiB on its own, under a block
# whose venue parameters carry an option book and whose records carry the options and option
# pool lines): their own limit, far below a keeper thread's stack (2 MiB for a spawned Rust
# thread). It was 32 KiB before the options venues (27.0 KiB then; 49.1 KiB with them).
SIMULATION_LIMIT = 65536
SIMULATION = ("cascade_run", "equilibrium_solve")


def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


# Frame sizes from .stack_sizes.
sizes = {}
for line in run("llvm-readelf", "--stack-sizes", elf).splitlines():
    m = re.match(r"\s+(\d+)\s+(\S+)$", line)
    if m:
        sizes[m.group(2)] = int(m.group(1))

# Functions, their instructions, calls and tail branches.
head = re.compile(r"^([0-9a-f]+) <(.+)>:$")
insn = re.compile(r"^\s+[0-9a-f]+:\s+(\S+)\s*(.*)$")
target = re.compile(r"<([^>+]+)(\+0x[0-9a-f]+)?>")
# Unconditional and conditional branches (b, b.w, bne, bgt.w, ...), cbz / cbnz.
branch = re.compile(r"^(b(eq|ne|cs|hs|cc|lo|mi|pl|vs|vc|hi|ls|ge|lt|gt|le|al)?(\.w|\.n)?|cbn?z)$")
funcs = {}
order = []
cur = None
for line in run("llvm-objdump", "-d", "--no-show-raw-insn", elf).splitlines():
    m = head.match(line)
    if m and m.group(2).startswith("$"):
        continue  # an ARM mapping symbol ($t code, $d data): the function goes on
    if m:
        cur = m.group(2)
        funcs[cur] = {"calls": set(), "indirect": False, "prologue": 0, "n": 0}
        order.append(cur)
        continue
    m = insn.match(line)
    if not m or cur is None:
        continue
    op, args = m.group(1), m.group(2)
    f = funcs[cur]
    f["n"] += 1
    t = target.search(args)
    if op in ("bl", "blx") and t:
        f["calls"].add(t.group(1))
    elif branch.match(op) and t and t.group(1) != cur and not t.group(2):
        f["calls"].add(t.group(1))  # a tail call
    elif op == "blx" or (op == "bx" and not args.startswith("lr")):
        f["indirect"] = True
    # Prologue estimate (first instructions only).
    if f["n"] <= 8:
        regs = re.match(r"\{(.*)\}", args)
        if op in ("push", "push.w", "stmdb") and regs:
            f["prologue"] += 4 * sum(
                (int(b[1:]) - int(a[1:]) + 1) if "-" in r and (a := r.split("-")[0]) and (b := r.split("-")[1]) and a[1:].isdigit() else 1
                for r in (x.strip() for x in regs.group(1).split(","))
            )
        elif op == "vpush" and regs:
            f["prologue"] += 8 * sum(
                (int(r.split("-")[1][1:]) - int(r.split("-")[0][1:]) + 1) if "-" in r else 1
                for r in (x.strip() for x in regs.group(1).split(","))
            )
        sm = re.match(r"(?:sp, )?sp, #(\d+)", args)
        if op in ("sub", "sub.w", "subw") and sm:
            f["prologue"] += int(sm.group(1))


def frame(name):
    if name in sizes:
        return sizes[name], False
    f = funcs.get(name)
    return (f["prologue"] if f else 0), True


def demangle(names):
    out = subprocess.run(["llvm-cxxfilt"], input="\n".join(names), check=True, capture_output=True, text=True)
    return [re.sub(r"::h[0-9a-f]{16}$", "", n) for n in out.stdout.splitlines()]


ROOT = "lce_nopanic::kernel::"


def short(name):
    """A demangled name without crate paths: `lce::market::order_book::OrderBook` -> `OrderBook`."""
    return re.sub(r"\b(?:[a-z_][a-z0-9_]*::)+(?=[A-Za-z_])", "", name)


@lru_cache(maxsize=None)
def worst(name, stack=()):
    """(bytes, path, incomplete reasons) of the deepest call path from `name`."""
    if name in stack:
        return 0, (), frozenset({"recursion through " + name})
    own, _ = frame(name)
    f = funcs.get(name, {"calls": set(), "indirect": False})
    best, best_path, notes = 0, (), set()
    if f["indirect"]:
        notes.add("indirect call in " + name)
    for c in sorted(f["calls"]):
        b, p, n = worst(c, stack + (name,))
        notes |= n
        if b > best:
            best, best_path = b, p
    return own + best, (name,) + best_path, frozenset(notes)


plain = dict(zip(order, demangle(order)))
roots = [n for n in order if plain[n].startswith(ROOT)]
if not roots:
    sys.exit("callgraph: no " + ROOT + "* function in " + elf)
failed = False
print("| entry point (thumbv7em, static bound) | stack bytes | largest frames on the deepest path |")
print("|---|---:|---|")
for r in sorted(roots, key=lambda r: (-worst(r)[0], plain[r])):
    total, path, notes = worst(r)
    top = sorted(((frame(p)[0], plain.get(p, p), frame(p)[1]) for p in path), reverse=True)[:3]
    desc = ", ".join(f"{'~' if est else ''}{b} `{short(n)}`" for b, n, est in top)
    note = "" if not notes else " — INCOMPLETE: " + "; ".join(sorted(notes))
    print(f"| `{short(plain[r])}` | {total} | {desc}{note} |")
    own = SIMULATION_LIMIT if short(plain[r]) in SIMULATION else limit
    if total > own:
        failed = True
        print(f"callgraph: {plain[r]} above the limit of {own} bytes; path: {' > '.join(plain.get(p, p) for p in path)}", file=sys.stderr)
    if notes:
        failed = True
print()
print(f"(`~`: a frame read off the prologue, for code without .stack_sizes; limit {limit}, {SIMULATION_LIMIT} for {', '.join(SIMULATION)})")
sys.exit(1 if failed else 0)
