// The comparison of src/eval/check.rs: null when `answer` meets `expect`, else why not.
import { isDeepStrictEqual } from "node:util";

export function check(answer, expect) {
  if (expect === null || typeof expect !== "object") return `malformed expect ${JSON.stringify(expect)}`;
  if ("error" in expect) {
    const want = expect.error;
    const got = answer.error;
    if (!got || got.kind !== want.kind || ["what", "why"].some((k) => k in want && got[k] !== want[k])) {
      return `expected error ${JSON.stringify(want)}, got ${JSON.stringify(answer)}`;
    }
    return null;
  }
  return isDeepStrictEqual(answer.output, expect)
    ? null
    : `expected output ${JSON.stringify(expect)}, got ${JSON.stringify(answer.output ?? answer.error)}`;
}
