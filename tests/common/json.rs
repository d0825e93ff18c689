//! Walking and editing JSON documents, for the laws that mutate the vectors' inputs.

use serde_json::{Value, json};

/// Appends to `out` the path to every leaf of `v` (object keys as strings, array indices as
/// numbers), `path` being the path to `v` itself.
pub fn leaves(v: &Value, path: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                path.push(json!(k));
                leaves(x, path, out);
                path.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                path.push(json!(i));
                leaves(x, path, out);
                path.pop();
            }
        }
        _ => out.push(path.clone()),
    }
}

/// Replaces the value at `path` in `v` (a path from [`leaves`]) by `x`.
pub fn set(v: &mut Value, path: &[Value], x: Value) {
    let mut at = v;
    for p in path {
        at = match p {
            Value::String(k) => &mut at[k.as_str()],
            _ => &mut at[usize::try_from(p.as_u64().unwrap()).unwrap()],
        };
    }
    *at = x;
}
