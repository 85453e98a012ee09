//! Writing the objects: JSON (indented as kubectl) and YAML (block style as kubectl).

use super::*;

/// JSON as kubectl prints it: four spaces per level, `"key": value`.
pub(super) fn json_value(out: &mut String, v: &Value, level: usize) {
    let pad = |out: &mut String, level: usize| {
        for _ in 0..level {
            out.push_str("    ");
        }
    };
    pad(out, level);
    json_inline(out, v, level);
}

pub(super) fn json_inline(out: &mut String, v: &Value, level: usize) {
    let pad = |out: &mut String, level: usize| {
        for _ in 0..level {
            out.push_str("    ");
        }
    };
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push_str("{\n");
            for (i, (k, v)) in m.iter().enumerate() {
                if i > 0 {
                    out.push_str(",\n");
                }
                pad(out, level + 1);
                out.push_str(&Value::String(k.clone()).to_string());
                out.push_str(": ");
                json_inline(out, v, level + 1);
            }
            out.push('\n');
            pad(out, level);
            out.push('}');
        }
        Value::Array(a) if !a.is_empty() => {
            out.push_str("[\n");
            for (i, v) in a.iter().enumerate() {
                if i > 0 {
                    out.push_str(",\n");
                }
                json_value(out, v, level + 1);
            }
            out.push('\n');
            pad(out, level);
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// The entries of a mapping in block style at `indent`; `first` when the first key goes
/// on the current line (after `- `).
pub(super) fn yaml_map_body(out: &mut String, v: &Value, indent: usize, first: bool) {
    let Value::Object(m) = v else {
        yaml_scalar(out, v, indent);
        out.push('\n');
        return;
    };
    for (i, (k, v)) in m.iter().enumerate() {
        if i > 0 || !first {
            push_indent(out, indent);
        }
        yaml_string(out, k, indent);
        out.push(':');
        yaml_value_after_key(out, v, indent);
    }
}

pub(super) fn push_indent(out: &mut String, n: usize) {
    for _ in 0..n {
        out.push(' ');
    }
}

/// A value after `key:` at `indent`.
pub(super) fn yaml_value_after_key(out: &mut String, v: &Value, indent: usize) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            yaml_map_body(out, v, indent + 2, false);
        }
        // go-yaml v2 does not indent a sequence under its key.
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            yaml_seq(out, a, indent);
        }
        _ => {
            out.push(' ');
            yaml_scalar(out, v, indent);
            out.push('\n');
        }
    }
}

pub(super) fn yaml_seq(out: &mut String, items: &[Value], indent: usize) {
    for item in items {
        push_indent(out, indent);
        out.push_str("- ");
        match item {
            Value::Object(m) if !m.is_empty() => yaml_map_body(out, item, indent + 2, true),
            Value::Array(a) if !a.is_empty() => {
                out.push('\n');
                yaml_seq(out, a, indent + 2);
            }
            _ => {
                yaml_scalar(out, item, indent);
                out.push('\n');
            }
        }
    }
}

pub(super) fn yaml_scalar(out: &mut String, v: &Value, indent: usize) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => yaml_string(out, s, indent),
        Value::Object(_) => out.push_str("{}"),
        Value::Array(_) => out.push_str("[]"),
    }
}

/// A string as go-yaml v2 writes it: plain when that reads back as the same string,
/// double-quoted when plain would read as another type, single-quoted when it holds
/// indicators, a literal block when it holds line breaks.
pub(super) fn yaml_string(out: &mut String, s: &str, indent: usize) {
    if s.contains('\n') {
        out.push_str(if s.ends_with('\n') { "|" } else { "|-" });
        for line in s.trim_end_matches('\n').split('\n') {
            out.push('\n');
            if !line.is_empty() {
                push_indent(out, indent + 2);
                out.push_str(line);
            }
        }
        return;
    }
    // go-yaml v2 also quotes what reads as a timestamp (`2026-06-20T20:13:09Z`).
    let b = s.as_bytes();
    let timestamp = b.len() >= 8 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-';
    let other_type = !crate::yaml::plain_is_string(s) || timestamp;
    let indicator = s.starts_with([
        '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@',
        '`', ' ',
    ]) || s.ends_with(' ')
        || s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':');
    if other_type {
        out.push_str(&Value::String(s.to_string()).to_string());
    } else if indicator {
        out.push('\'');
        out.push_str(&s.replace('\'', "''"));
        out.push('\'');
    } else {
        out.push_str(s);
    }
}
