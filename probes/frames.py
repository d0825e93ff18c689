#!/usr/bin/env python3
"""The largest stack frames of lce's kernel functions in an ELF built with -Z emit-stack-sizes.

Reads `.stack_sizes` (`llvm-readelf --stack-sizes`), keeps the kernel's functions — lce's own
(`lce::…`, generic instances included) and the out-of-line wrappers of probes/nopanic/src/
kernel.rs, into which an entry point's body is inlined — and prints the largest as a Markdown
table. Fails (exit 1) when a kernel function's frame is above LIMIT bytes (Solana's 4 KiB
per frame), except the simulation's: the block engine and the equilibrium solver
(`lce::cascade::…` and their wrappers `cascade_run`, `equilibrium_solve`), which an on-chain
program does not run and whose stack `callgraph.py` holds to its own limit.

Usage: frames.py ELF TARGET [LIMIT_BYTES] [ROWS]
"""

import re
import subprocess
import sys

elf, target = sys.argv[1], sys.argv[2]
limit = int(sys.argv[3]) if len(sys.argv) > 3 else 4096
rows = int(sys.argv[4]) if len(sys.argv) > 4 else 12

frames = {}
for line in subprocess.run(["llvm-readelf", "--stack-sizes", elf], check=True, capture_output=True, text=True).stdout.splitlines():
    m = re.match(r"\s+(\d+)\s+(\S+)$", line)
    if m:
        frames[m.group(2)] = max(frames.get(m.group(2), 0), int(m.group(1)))
names = list(frames)
plain = subprocess.run(["llvm-cxxfilt"], input="\n".join(names), check=True, capture_output=True, text=True).stdout.splitlines()
plain = [re.sub(r"::h[0-9a-f]{16}$", "", n) for n in plain]


def kernel(name):
    if name.startswith("lce_nopanic::kernel::"):
        return True
    return "lce::" in name and not name.startswith("lce_nopanic")


def simulation(name):
    return "lce::cascade::" in name or re.match(r"lce_nopanic::kernel::(cascade_run|equilibrium_solve)\b", name)


def short(name):
    return re.sub(r"\b(?:[a-z_][a-z0-9_]*::)+(?=[A-Za-z_])", "", name)


kept = sorted(((frames[n], p) for n, p in zip(names, plain) if kernel(p)), reverse=True)
if not kept:
    sys.exit(f"frames: no kernel function in {elf}")
over = [(b, p) for b, p in kept if b > limit and not simulation(p)]
print(f"| largest frames, {target} | bytes |")
print("|---|---:|")
shown = kept[:rows] + [x for x in over if x not in kept[:rows]]
for b, p in shown:
    mark = " (simulation)" if simulation(p) else (" — ABOVE THE LIMIT" if b > limit else "")
    print(f"| `{short(p)}`{mark} | {b} |")
print()
print(f"({len(kept)} kernel functions; limit {limit} bytes a frame, the simulation's own frames aside)")
for b, p in over:
    print(f"frames: {p} has a {b}-byte frame on {target}, above {limit}", file=sys.stderr)
sys.exit(1 if over else 0)
