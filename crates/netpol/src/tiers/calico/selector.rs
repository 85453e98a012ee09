//! Calico's selector expression language, parsed by recursive descent.
//!
//! Grammar (libcalico-go `selector/tokenizer` and `selector/parser`):
//!
//! ```text
//! or   := and ("||" and)*
//! and  := op ("&&" op)*
//! op   := "!"* ( "all()" | "global()" | "has(" key ")" | "(" or ")"
//!              | key ( "==" str | "!=" str | "contains" str | "starts with" str
//!                    | "ends with" str | "in" set | "not in" set ) )
//! set  := "{" (str ("," str)* ","?)? "}"
//! key  := [a-zA-Z0-9_./-]+
//! str  := '"' [^"]* '"' | "'" [^']* "'"
//! ```
//!
//! Whitespace is spaces and tabs; an empty (or blank) selector is `all()`. `!=` and
//! `not in` match when the label is absent; `contains`, `starts with` and `ends with` need
//! it present. `global()` is true on labels; in a `namespaceSelector` it stands for the
//! non-namespaced endpoints (host endpoints, global network sets), so it matches no pod.

use std::fmt;

pub use crate::model::calico::{Expr, Scope};
use crate::model::Labels;

/// A parse error: a lowercase message and the byte offset in the selector text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub offset: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.offset)
    }
}

/// Nesting limit for parentheses and `!`: a hostile selector must not overflow the stack.
const MAX_DEPTH: usize = 64;

pub fn parse(text: &str) -> Result<Expr, ParseError> {
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        pos: 0,
        depth: 0,
    };
    p.skip_ws();
    if p.pos == p.s.len() {
        return Ok(Expr::All);
    }
    let e = p.or()?;
    p.skip_ws();
    if p.pos < p.s.len() {
        return Err(p.err_here(format!(
            "unexpected `{}` after a complete expression; expected `&&`, `||` or the end",
            p.snippet()
        )));
    }
    Ok(e)
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    pos: usize,
    depth: usize,
}

fn is_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'/' | b'-')
}

impl Parser<'_> {
    /// The bytes from the current position on.
    fn rest(&self) -> &[u8] {
        self.s.get(self.pos..).unwrap_or_default()
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
    }

    fn err_at(&self, offset: usize, message: String) -> ParseError {
        ParseError { offset, message }
    }

    fn err_here(&self, message: String) -> ParseError {
        self.err_at(self.pos, message)
    }

    /// The text from the current position up to the next space (at most 20 characters).
    fn snippet(&self) -> String {
        let rest = self.text.get(self.pos..).unwrap_or("");
        let word: String = rest
            .chars()
            .take_while(|c| !matches!(c, ' ' | '\t'))
            .take(20)
            .collect();
        if word.is_empty() {
            rest.chars().take(1).collect()
        } else {
            word
        }
    }

    fn eat(&mut self, lit: &str) -> bool {
        if self.rest().starts_with(lit.as_bytes()) {
            self.pos += lit.len();
            true
        } else {
            false
        }
    }

    /// A keyword that must not run into a label character (`in` vs `index`).
    fn eat_word(&mut self, word: &str) -> bool {
        let end = self.pos + word.len();
        if self.rest().starts_with(word.as_bytes())
            && !self.s.get(end).copied().is_some_and(is_key_byte)
        {
            self.pos = end;
            true
        } else {
            false
        }
    }

    fn or(&mut self) -> Result<Expr, ParseError> {
        let mut exprs = vec![self.and()?];
        loop {
            self.skip_ws();
            if self.eat("||") {
                exprs.push(self.and()?);
            } else if self.peek() == Some(b'|') {
                return Err(self.err_here("expected `||`, found a single `|`".into()));
            } else {
                break;
            }
        }
        Ok(if exprs.len() == 1 {
            exprs.remove(0)
        } else {
            Expr::Or { exprs }
        })
    }

    fn and(&mut self) -> Result<Expr, ParseError> {
        let mut exprs = vec![self.op()?];
        loop {
            self.skip_ws();
            if self.eat("&&") {
                exprs.push(self.op()?);
            } else if self.peek() == Some(b'&') {
                return Err(self.err_here("expected `&&`, found a single `&`".into()));
            } else {
                break;
            }
        }
        Ok(if exprs.len() == 1 {
            exprs.remove(0)
        } else {
            Expr::And { exprs }
        })
    }

    fn op(&mut self) -> Result<Expr, ParseError> {
        self.skip_ws();
        let mut negated = false;
        while self.peek() == Some(b'!') && self.s.get(self.pos + 1) != Some(&b'=') {
            negated = !negated;
            self.pos += 1;
            self.skip_ws();
        }
        let e = self.operand()?;
        Ok(if negated {
            Expr::Not { expr: Box::new(e) }
        } else {
            e
        })
    }

    /// `name(` `)` with optional spaces inside, for `all()` / `global()`.
    fn call0(&mut self, name: &str) -> Result<bool, ParseError> {
        if !self.rest().starts_with(name.as_bytes())
            || self.s.get(self.pos + name.len()) != Some(&b'(')
        {
            return Ok(false);
        }
        self.pos += name.len() + 1;
        self.skip_ws();
        if !self.eat(")") {
            return Err(self.err_here(format!("expected `)` to close `{name}(`")));
        }
        Ok(true)
    }

    fn operand(&mut self) -> Result<Expr, ParseError> {
        if self.pos >= self.s.len() {
            return Err(self.err_here(
                "unexpected end of selector; expected a label, `has(`, `all()`, `global()` or `(`"
                    .into(),
            ));
        }
        if self.call0("all")? {
            return Ok(Expr::All);
        }
        if self.call0("global")? {
            return Ok(Expr::Global);
        }
        if self.eat("has(") {
            self.skip_ws();
            let key = self
                .key()
                .ok_or_else(|| self.err_here("expected a label name inside `has(`".into()))?;
            self.skip_ws();
            if !self.eat(")") {
                return Err(self.err_here(format!("expected `)` after `has({key}`")));
            }
            return Ok(Expr::Has { key });
        }
        if self.peek() == Some(b'(') {
            let open = self.pos;
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                return Err(
                    self.err_here(format!("parentheses nested deeper than {MAX_DEPTH} levels"))
                );
            }
            self.pos += 1;
            let e = self.or()?;
            self.skip_ws();
            if !self.eat(")") {
                let msg = if self.pos >= self.s.len() {
                    format!("`(` at byte {open} is never closed; expected `)`")
                } else {
                    format!(
                        "expected `)` to close `(` at byte {open}, found `{}`",
                        self.snippet()
                    )
                };
                return Err(self.err_here(msg));
            }
            self.depth -= 1;
            return Ok(e);
        }
        let start = self.pos;
        let Some(key) = self.key() else {
            return Err(self.err_here(format!(
                "unexpected `{}`; expected a label, `has(`, `all()`, `global()` or `(`",
                self.snippet()
            )));
        };
        self.skip_ws();
        let op_at = self.pos;
        if self.eat("==") {
            let value = self.string(&key, "==")?;
            return Ok(Expr::Eq { key, value });
        }
        if self.eat("!=") {
            let value = self.string(&key, "!=")?;
            return Ok(Expr::Ne { key, value });
        }
        if self.eat_word("contains") {
            let value = self.string(&key, "contains")?;
            return Ok(Expr::Contains { key, value });
        }
        for (first, op) in [("starts", "starts with"), ("ends", "ends with")] {
            if self.eat_word(first) {
                self.skip_ws();
                if !self.eat_word("with") {
                    return Err(self.err_here(format!("expected `with` after `{first}`")));
                }
                let value = self.string(&key, op)?;
                return Ok(if first == "starts" {
                    Expr::StartsWith { key, value }
                } else {
                    Expr::EndsWith { key, value }
                });
            }
        }
        if self.eat_word("not") {
            self.skip_ws();
            if !self.eat_word("in") {
                return Err(self.err_here("expected `in` after `not`".into()));
            }
            let values = self.set(&key, "not in")?;
            return Ok(Expr::NotIn { key, values });
        }
        if self.eat_word("in") {
            let values = self.set(&key, "in")?;
            return Ok(Expr::In { key, values });
        }
        if self.pos >= self.s.len() {
            return Err(self.err_at(
                op_at,
                format!("expected an operator after label `{key}` (`==`, `!=`, `in`, `not in`, `contains`, `starts with`, `ends with`), found the end"),
            ));
        }
        let found = self.snippet();
        let hint = match found.as_bytes().first() {
            Some(b'=') => "; equality is `==`",
            Some(b'"' | b'\'') => "; a value needs an operator before it, e.g. `==`",
            _ if start == op_at => "",
            _ => "",
        };
        Err(self.err_at(
            op_at,
            format!("expected an operator after label `{key}` (`==`, `!=`, `in`, `not in`, `contains`, `starts with`, `ends with`), found `{found}`{hint}"),
        ))
    }

    fn key(&mut self) -> Option<String> {
        let start = self.pos;
        while self.peek().is_some_and(is_key_byte) {
            self.pos += 1;
        }
        // Key bytes are ASCII, so `start..pos` lies on character boundaries.
        let key = self.text.get(start..self.pos).filter(|k| !k.is_empty())?;
        Some(key.to_string())
    }

    fn string(&mut self, key: &str, op: &str) -> Result<String, ParseError> {
        self.skip_ws();
        let at = self.pos;
        match self.s.get(self.pos) {
            Some(&q @ (b'"' | b'\'')) => {
                let body = self.pos + 1;
                let inside = self.s.get(body..).unwrap_or_default();
                match inside.iter().position(|&b| b == q) {
                    Some(len) => {
                        self.pos = body + len + 1;
                        // Between two ASCII quotes: on character boundaries.
                        Ok(self
                            .text
                            .get(body..body + len)
                            .unwrap_or_default()
                            .to_string())
                    }
                    None => Err(self.err_at(
                        at,
                        format!(
                            "unterminated string: the `{}` opened here is never closed",
                            q as char
                        ),
                    )),
                }
            }
            None => Err(self.err_here(format!(
                "expected a quoted value after `{key} {op}`, found the end"
            ))),
            Some(_) => Err(self.err_here(format!(
                "expected a quoted value after `{key} {op}`, found `{}`; quote it with '' or \"\"",
                self.snippet()
            ))),
        }
    }

    fn set(&mut self, key: &str, op: &str) -> Result<Vec<String>, ParseError> {
        self.skip_ws();
        if !self.eat("{") {
            return Err(self.err_here(format!(
                "expected a set `{{\"a\", \"b\"}}` after `{key} {op}`, found `{}`",
                self.snippet()
            )));
        }
        let mut values = Vec::new();
        loop {
            self.skip_ws();
            if self.eat("}") {
                return Ok(values);
            }
            if !matches!(self.s.get(self.pos), Some(b'"' | b'\'')) {
                let found = if self.pos >= self.s.len() {
                    "the end".to_string()
                } else {
                    format!("`{}`", self.snippet())
                };
                return Err(self.err_here(format!(
                    "expected a quoted value or `}}` in the set of `{key} {op}`, found {found}"
                )));
            }
            values.push(self.string(key, op)?);
            self.skip_ws();
            if self.eat(",") {
                continue;
            }
            if self.eat("}") {
                return Ok(values);
            }
            let found = if self.pos >= self.s.len() {
                "the end".to_string()
            } else {
                format!("`{}`", self.snippet())
            };
            return Err(self.err_here(format!(
                "expected `,` or `}}` in the set of `{key} {op}`, found {found}"
            )));
        }
    }
}

impl Expr {
    pub fn matches(&self, labels: &Labels) -> bool {
        self.eval(labels, Scope::Labels)
    }

    pub fn eval(&self, labels: &Labels, scope: Scope) -> bool {
        let get = |k: &str| labels.get(k).map(String::as_str);
        match self {
            Expr::All => true,
            Expr::Global => scope == Scope::Labels,
            Expr::Has { key } => labels.contains_key(key),
            Expr::Eq { key, value } => get(key) == Some(value.as_str()),
            Expr::Ne { key, value } => get(key) != Some(value.as_str()),
            Expr::In { key, values } => get(key).is_some_and(|v| values.iter().any(|x| x == v)),
            Expr::NotIn { key, values } => !get(key).is_some_and(|v| values.iter().any(|x| x == v)),
            Expr::Contains { key, value } => get(key).is_some_and(|v| v.contains(value.as_str())),
            Expr::StartsWith { key, value } => {
                get(key).is_some_and(|v| v.starts_with(value.as_str()))
            }
            Expr::EndsWith { key, value } => get(key).is_some_and(|v| v.ends_with(value.as_str())),
            Expr::Not { expr } => !expr.eval(labels, scope),
            Expr::And { exprs } => exprs.iter().all(|e| e.eval(labels, scope)),
            Expr::Or { exprs } => exprs.iter().any(|e| e.eval(labels, scope)),
        }
    }

    /// The label keys the expression looks at.
    pub fn keys(&self, out: &mut Vec<String>) {
        match self {
            Expr::All | Expr::Global => {}
            Expr::Has { key }
            | Expr::Eq { key, .. }
            | Expr::Ne { key, .. }
            | Expr::In { key, .. }
            | Expr::NotIn { key, .. }
            | Expr::Contains { key, .. }
            | Expr::StartsWith { key, .. }
            | Expr::EndsWith { key, .. } => {
                if !out.contains(key) {
                    out.push(key.clone())
                }
            }
            Expr::Not { expr } => expr.keys(out),
            Expr::And { exprs } | Expr::Or { exprs } => exprs.iter().for_each(|e| e.keys(out)),
        }
    }
}

fn quote(s: &str) -> String {
    if s.contains('\'') {
        format!("\"{s}\"")
    } else {
        format!("'{s}'")
    }
}

/// The canonical text, fully parenthesised where `&&` and `||` mix.
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let set = |values: &[String]| {
            let v: Vec<String> = values.iter().map(|s| quote(s)).collect();
            format!("{{{}}}", v.join(", "))
        };
        match self {
            Expr::All => f.write_str("all()"),
            Expr::Global => f.write_str("global()"),
            Expr::Has { key } => write!(f, "has({key})"),
            Expr::Eq { key, value } => write!(f, "{key} == {}", quote(value)),
            Expr::Ne { key, value } => write!(f, "{key} != {}", quote(value)),
            Expr::In { key, values } => write!(f, "{key} in {}", set(values)),
            Expr::NotIn { key, values } => write!(f, "{key} not in {}", set(values)),
            Expr::Contains { key, value } => write!(f, "{key} contains {}", quote(value)),
            Expr::StartsWith { key, value } => write!(f, "{key} starts with {}", quote(value)),
            Expr::EndsWith { key, value } => write!(f, "{key} ends with {}", quote(value)),
            Expr::Not { expr } => match **expr {
                Expr::And { .. } | Expr::Or { .. } => write!(f, "!({expr})"),
                _ => write!(f, "!{expr}"),
            },
            Expr::And { exprs } | Expr::Or { exprs } => {
                let sep = if matches!(self, Expr::And { .. }) {
                    " && "
                } else {
                    " || "
                };
                let parts: Vec<String> = exprs
                    .iter()
                    .map(|e| match e {
                        Expr::And { .. } | Expr::Or { .. } => format!("({e})"),
                        _ => e.to_string(),
                    })
                    .collect();
                f.write_str(&parts.join(sep))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `expected` is the canonical text of the parse, or `error@OFFSET: message`.
    fn check(input: &str, expected: &str) {
        let got = match parse(input) {
            Ok(e) => e.to_string(),
            Err(e) => format!("error@{}: {}", e.offset, e.message),
        };
        assert_eq!(got, expected, "selector `{input}`");
    }

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn parses() {
        check("", "all()");
        check("  \t ", "all()");
        check("all()", "all()");
        check("all( )", "all()");
        check("global()", "global()");
        check("app == 'web'", "app == 'web'");
        check("app==\"web\"", "app == 'web'");
        check("app != 'web'", "app != 'web'");
        check("has(app)", "has(app)");
        check(
            "has( projectcalico.org/name )",
            "has(projectcalico.org/name)",
        );
        check("!has(app)", "!has(app)");
        check("!!has(app)", "has(app)");
        check("! has(app)", "!has(app)");
        check("tier in {'a', \"b\"}", "tier in {'a', 'b'}");
        check("tier in {}", "tier in {}");
        check("tier in {'a',}", "tier in {'a'}");
        check("tier not in {'a'}", "tier not in {'a'}");
        check("tier notin {'a'}", "error@5: expected an operator after label `tier` (`==`, `!=`, `in`, `not in`, `contains`, `starts with`, `ends with`), found `notin`");
        check("name contains 'x'", "name contains 'x'");
        check("name starts with 'x'", "name starts with 'x'");
        check("name ends with 'x'", "name ends with 'x'");
        check("name starts  with 'x'", "name starts with 'x'");
        check(
            "a == 'x' && b == 'y' || c == 'z'",
            "(a == 'x' && b == 'y') || c == 'z'",
        );
        check(
            "a == 'x' && (b == 'y' || c == 'z')",
            "a == 'x' && (b == 'y' || c == 'z')",
        );
        check("!(a == 'x' || has(b))", "!(a == 'x' || has(b))");
        check("((a == 'x'))", "a == 'x'");
        check("k8s-app == \"it's\"", "k8s-app == \"it's\"");
        check("index == 'x'", "index == 'x'");
        check("in == 'x'", "in == 'x'");
        check("a == ''", "a == ''");
    }

    #[test]
    fn errors() {
        check("app = 'web'", "error@4: expected an operator after label `app` (`==`, `!=`, `in`, `not in`, `contains`, `starts with`, `ends with`), found `=`; equality is `==`");
        check("app", "error@3: expected an operator after label `app` (`==`, `!=`, `in`, `not in`, `contains`, `starts with`, `ends with`), found the end");
        check("app 'web'", "error@4: expected an operator after label `app` (`==`, `!=`, `in`, `not in`, `contains`, `starts with`, `ends with`), found `'web'`; a value needs an operator before it, e.g. `==`");
        check("app == web", "error@7: expected a quoted value after `app ==`, found `web`; quote it with '' or \"\"");
        check(
            "app == 'web",
            "error@7: unterminated string: the `'` opened here is never closed",
        );
        check(
            "app ==",
            "error@6: expected a quoted value after `app ==`, found the end",
        );
        check(
            "a == 'x' & b == 'y'",
            "error@9: expected `&&`, found a single `&`",
        );
        check(
            "a == 'x' | b == 'y'",
            "error@9: expected `||`, found a single `|`",
        );
        check("a == 'x' &&", "error@11: unexpected end of selector; expected a label, `has(`, `all()`, `global()` or `(`");
        check(
            "(a == 'x'",
            "error@9: `(` at byte 0 is never closed; expected `)`",
        );
        check(
            "(a == 'x' b",
            "error@10: expected `)` to close `(` at byte 0, found `b`",
        );
        check(
            "a == 'x')",
            "error@8: unexpected `)` after a complete expression; expected `&&`, `||` or the end",
        );
        check(
            "a == 'x' b == 'y'",
            "error@9: unexpected `b` after a complete expression; expected `&&`, `||` or the end",
        );
        check("has()", "error@4: expected a label name inside `has(`");
        check("has(a", "error@5: expected `)` after `has(a`");
        check("all(x)", "error@4: expected `)` to close `all(`");
        check(
            "t in 'a'",
            "error@5: expected a set `{\"a\", \"b\"}` after `t in`, found `'a'`",
        );
        check(
            "t in {'a' 'b'}",
            "error@10: expected `,` or `}` in the set of `t in`, found `'b'}`",
        );
        check(
            "t in {a}",
            "error@6: expected a quoted value or `}` in the set of `t in`, found `a}`",
        );
        check(
            "t in {'a'",
            "error@9: expected `,` or `}` in the set of `t in`, found the end",
        );
        check("t not 'a'", "error@6: expected `in` after `not`");
        check("t starts 'a'", "error@9: expected `with` after `starts`");
        check(
            "@app == 'x'",
            "error@0: unexpected `@app`; expected a label, `has(`, `all()`, `global()` or `(`",
        );
        check(
            "app == 'é' && @",
            "error@15: unexpected `@`; expected a label, `has(`, `all()`, `global()` or `(`",
        );
        let deep = format!("{}a == 'x'{}", "(".repeat(100), ")".repeat(100));
        check(&deep, "error@64: parentheses nested deeper than 64 levels");
    }

    #[test]
    fn evaluates() {
        let l = labels(&[("app", "web"), ("tier", "front-end")]);
        let yes = |s: &str| parse(s).map(|e| e.matches(&l)).unwrap_or(false);
        assert!(yes(""));
        assert!(yes("app == 'web'"));
        assert!(!yes("app == 'db'"));
        assert!(yes("app != 'db'"));
        assert!(yes("missing != 'x'"));
        assert!(yes("missing not in {'x'}"));
        assert!(!yes("missing in {'x'}"));
        assert!(!yes("missing contains ''"));
        assert!(yes("tier starts with 'front'"));
        assert!(yes("tier ends with 'end'"));
        assert!(yes("tier contains 't-e'"));
        assert!(yes("has(app) && !has(missing)"));
        assert!(yes("app == 'db' || tier in {'front-end'}"));
        assert!(yes("global()"));
        let g = parse("global()").unwrap_or(Expr::All);
        assert!(!g.eval(&l, Scope::PodNamespace));
        assert!(parse("all()")
            .unwrap_or(Expr::Global)
            .eval(&l, Scope::PodNamespace));
    }
}
