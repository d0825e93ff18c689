//! The body of the fuzz targets of the ops whose work grows with a count in the input.

use serde_json::Value;

use crate::op::fuzz_op;

/// The sizes above which [`fuzz_op_small`] leaves an input out: a count of blocks, accounts or
/// draws larger than this makes one input run for seconds (a cost, not a bug), which would
/// eat a short fuzzing run's time.
const SMALL: u64 = 400;

/// As [`fuzz_op`](crate::op::fuzz_op), for the ops whose work grows with a count in the input (`max_blocks`,
/// `blocks`, `count`): inputs with any such count above [`SMALL`] are left out.
pub fn fuzz_op_small(op: &str, data: &[u8]) {
    let Ok(input) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    if !too_big(&input) {
        fuzz_op(op, data);
    }
}

/// Whether `value` has a `max_blocks`, `blocks` or `count` above [`SMALL`] anywhere inside it
/// (as a number or a numeric string).
fn too_big(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.iter().any(|(k, v)| {
            let counted = matches!(k.as_str(), "max_blocks" | "blocks" | "count");
            let n = v
                .as_u64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
                .or_else(|| v.as_f64().map(|f| if f > SMALL as f64 { u64::MAX } else { 0 }));
            (counted && n.is_some_and(|n| n > SMALL)) || too_big(v)
        }),
        Value::Array(items) => items.iter().any(too_big),
        _ => false,
    }
}
