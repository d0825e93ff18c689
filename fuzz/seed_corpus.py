#!/usr/bin/env python3
"""Builds the fuzz seed corpus from the golden vectors: for every op, one file per distinct
`input` of `vectors/**/*.jsonl` in `fuzz/corpus/op_<op>/`, and the math decimals for `numbers`.

Run from the repository root: `python3 fuzz/seed_corpus.py`.
"""
import hashlib, json, pathlib

root = pathlib.Path(__file__).resolve().parent.parent
corpus = root / "fuzz" / "corpus"
count = {}
for path in sorted((root / "vectors").rglob("*.jsonl")):
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        try:
            case = json.loads(line)
        except json.JSONDecodeError:
            continue
        if not isinstance(case, dict) or not isinstance(case.get("op"), str):
            continue
        op, data = case["op"], json.dumps(case.get("input"), separators=(",", ":")).encode()
        target = "numbers" if path.parent.name in ("math", "random") else f"op_{op}"
        if target == "numbers":
            values = [v for v in (case.get("input") or {}).values() if isinstance(v, str)]
            blobs = [v.encode() for v in values]
        else:
            blobs = [data]
        d = corpus / target
        d.mkdir(parents=True, exist_ok=True)
        for blob in blobs:
            (d / hashlib.sha1(blob).hexdigest()).write_bytes(blob)
            count[target] = count.get(target, 0) + 1
for target, n in sorted(count.items()):
    print(f"{target}: {n} seeds")
