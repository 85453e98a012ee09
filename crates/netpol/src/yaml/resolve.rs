//! Scalar typing as go-yaml v2 does it (YAML 1.1): the types kubectl sends to the API
//! server as JSON.

use super::*;

/// The type of an untagged plain scalar. The first character picks what it may be (the
/// `resolveTable` hint), then the word table (booleans, nulls, infinities), then Go's
/// `strconv.ParseInt(s, 0, 64)` / `ParseUint` / the float pattern on the text without
/// underscores. Timestamps (`2024-01-02`) stay strings, as go-yaml keeps them when
/// decoding into `interface{}`.
pub(super) fn resolve_plain(v: &str) -> ScalarType {
    let Some(&first) = v.as_bytes().first() else {
        return ScalarType::Null;
    };
    match first {
        b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~' => {
            resolve_word(v)
        }
        b'.' => resolve_word(v).or_else(|| {
            yaml_style_float(v)
                .then(|| finite_float(v))
                .flatten()
                .map(ScalarType::Float)
        }),
        b'0'..=b'9' => resolve_number(v),
        b'+' | b'-' => resolve_word(v).or_else(|| resolve_number(v)),
        _ => None,
    }
    .unwrap_or(ScalarType::Str)
}

/// go-yaml v2's `resolveMap`.
pub(super) fn resolve_word(v: &str) -> Option<ScalarType> {
    Some(match v {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            ScalarType::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            ScalarType::Bool(false)
        }
        "" | "~" | "null" | "Null" | "NULL" => ScalarType::Null,
        ".nan" | ".NaN" | ".NAN" => ScalarType::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => ScalarType::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => ScalarType::Float(f64::NEG_INFINITY),
        _ => return None,
    })
}

pub(super) fn resolve_number(v: &str) -> Option<ScalarType> {
    let plain: std::borrow::Cow<'_, str> = if v.contains('_') {
        v.replace('_', "").into()
    } else {
        v.into()
    };
    if let Ok(i) = go_parse_int(&plain) {
        return Some(ScalarType::Int(i));
    }
    let unsigned = go_parse_uint(&plain);
    if unsigned.is_ok() {
        return Some(ScalarType::BigInt);
    }
    if yaml_style_float(&plain) {
        if let Some(f) = finite_float(&plain) {
            return Some(ScalarType::Float(f));
        }
    }
    // Too large for 64 bits but well formed: go-yaml makes a big.Int of it.
    (unsigned == Err(NumError::Range)).then_some(ScalarType::BigInt)
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum NumError {
    Syntax,
    Range,
}

/// Go's `strconv.ParseUint(s, 0, 64)`: `0x`/`0o`/`0b` prefixes, a leading `0` for octal,
/// no sign.
pub(super) fn go_parse_uint(s: &str) -> Result<u64, NumError> {
    if s.is_empty() {
        return Err(NumError::Syntax);
    }
    let prefixed = |p: &[&str]| {
        p.iter()
            .find_map(|p| s.strip_prefix(p))
            .filter(|_| s.len() >= 3)
    };
    let (base, digits) = if let Some(d) = prefixed(&["0b", "0B"]) {
        (2, d)
    } else if let Some(d) = prefixed(&["0o", "0O"]) {
        (8, d)
    } else if let Some(d) = prefixed(&["0x", "0X"]) {
        (16, d)
    } else if let Some(d) = s.strip_prefix('0') {
        (8, d)
    } else {
        (10, s)
    };
    // Syntax is checked to the end (Go stops at an overflow, but go-yaml then needs the
    // whole text to be a valid number for a big.Int, which comes to the same).
    let mut n = Some(0u64);
    for c in digits.chars() {
        let d = match c.to_digit(36) {
            Some(d) if d < base => d,
            _ => return Err(NumError::Syntax),
        };
        n = n.and_then(|n| n.checked_mul(u64::from(base))?.checked_add(u64::from(d)));
    }
    n.ok_or(NumError::Range)
}

/// Go's `strconv.ParseInt(s, 0, 64)`.
pub(super) fn go_parse_int(s: &str) -> Result<i64, NumError> {
    let (neg, rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if rest.is_empty() {
        return Err(NumError::Syntax);
    }
    let u = go_parse_uint(rest)?;
    if neg {
        if u > 1u64 << 63 {
            return Err(NumError::Range);
        }
        Ok((u as i64).wrapping_neg())
    } else {
        i64::try_from(u).map_err(|_| NumError::Range)
    }
}

/// go-yaml v2's `yamlStyleFloat`: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
pub(super) fn yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// `strconv.ParseFloat` on text matching [`yaml_style_float`]; `None` when it overflows
/// (Go reports a range error and go-yaml then keeps the text as a string).
pub(super) fn finite_float(s: &str) -> Option<f64> {
    let f: f64 = s.strip_prefix('+').unwrap_or(s).parse().ok()?;
    f.is_finite().then_some(f)
}

pub(super) const TAG_PREFIX: &str = "tag:yaml.org,2002:";

/// The type of a scalar with its tag (if any), as go-yaml v2's `resolve(tag, value)`:
/// untagged quoted scalars are strings, explicit standard tags are checked against the
/// value (`!!int abc` is an error kubectl refuses the document for), other tags leave
/// the text a string.
pub(super) fn resolve_tagged(
    tag: Option<&str>,
    value: &str,
    plain: bool,
) -> Result<ScalarType, String> {
    let Some(tag) = tag else {
        return Ok(if !plain {
            ScalarType::Str
        } else if value == "<<" {
            ScalarType::Merge
        } else {
            resolve_plain(value)
        });
    };
    let Some(short) = tag.strip_prefix(TAG_PREFIX) else {
        return Ok(ScalarType::Str);
    };
    let resolved = resolve_plain(value);
    let ok = match short {
        "merge" if value == "<<" => Some(ScalarType::Merge),
        "int" => matches!(resolved, ScalarType::Int(_) | ScalarType::BigInt).then_some(resolved),
        "float" => match resolved {
            ScalarType::Int(i) => Some(ScalarType::Float(i as f64)),
            ScalarType::Float(_) => Some(resolved),
            _ => None,
        },
        "bool" => matches!(resolved, ScalarType::Bool(_)).then_some(resolved),
        "null" => matches!(resolved, ScalarType::Null).then_some(resolved),
        _ => Some(ScalarType::Str),
    };
    ok.ok_or_else(|| {
        let found = match resolved {
            ScalarType::Null => "null",
            ScalarType::Bool(_) => "bool",
            ScalarType::Int(_) | ScalarType::BigInt => "int",
            ScalarType::Float(_) => "float",
            ScalarType::Str | ScalarType::Merge => "str",
        };
        format!("kubectl cannot read `{value}` as `!!{short}` (go-yaml: \"cannot decode !!{found} `{value}` as a !!{short}\"), so it refuses this document")
    })
}

/// The JSON key sigs.k8s.io/yaml makes of a resolved scalar key (`convertToJSONableObject`
/// in `yaml.go`): ints in decimal, booleans `true`/`false`, floats as Go's
/// `strconv.FormatFloat(f, 'g', -1, 32)`; `Err` for keys it cannot convert.
pub(super) fn json_key(value: &str, ty: ScalarType) -> Result<String, &'static str> {
    match ty {
        ScalarType::Str | ScalarType::Merge => Ok(value.to_string()),
        ScalarType::Int(i) => Ok(i.to_string()),
        ScalarType::Bool(b) => Ok(b.to_string()),
        ScalarType::Float(f) => Ok(go_format_float32(f)),
        ScalarType::Null => Err("a null key"),
        ScalarType::BigInt => Err("a key that is a number beyond 64 bits"),
    }
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 32)` with go-yaml's names for infinities and NaN.
pub(super) fn go_format_float32(f: f64) -> String {
    let x = f as f32;
    if x.is_nan() {
        return ".nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { ".inf" } else { "-.inf" }.into();
    }
    // The shortest digits that round-trip, as Go's shortest mode.
    let (digits, exp) = shortest_f32(x);
    let mut out = String::from(if x.is_sign_negative() { "-" } else { "" });
    let nd = digits.len() as i32;
    let dp = exp + 1;
    if !(-4..6).contains(&exp) {
        let mut chars = digits.chars();
        out.extend(chars.next());
        let rest: String = chars.collect();
        if !rest.is_empty() {
            out.push('.');
            out.push_str(&rest);
        }
        out.push_str(&format!(
            "e{}{:02}",
            if exp < 0 { '-' } else { '+' },
            exp.abs()
        ));
    } else if dp <= 0 {
        out.push_str("0.");
        out.push_str(&"0".repeat((-dp) as usize));
        out.push_str(&digits);
    } else if dp >= nd {
        out.push_str(&digits);
        out.push_str(&"0".repeat((dp - nd) as usize));
    } else {
        let (int, frac) = digits.split_at(dp as usize);
        out.push_str(int);
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// The shortest decimal digits that read back as `x` (finite), the closest to it of
/// those, and the exponent of the first digit: what Rust's `{:e}` prints (`1.5e0` is
/// `("15", 0)`), computed in exact integers (Burger and Dybvig's free-format algorithm)
/// so the page's WebAssembly carries no float formatter (about 7 KB gzipped).
fn shortest_f32(x: f32) -> (String, i32) {
    if x == 0.0 {
        return ("0".into(), 0);
    }
    let bits = x.abs().to_bits();
    let (biased, frac) = ((bits >> 23) as i32, bits & 0x7f_ffff);
    let (m, e) = if biased == 0 {
        (frac, -149)
    } else {
        (frac | 0x80_0000, biased - 150)
    };
    // x = r / s; the halfway points to the neighbours are (r + up) / s and (r - down) / s
    // (the one below is nearer at a power of two); they read back as x when m is even.
    let boundary = frac == 0 && biased > 1;
    let inclusive = m % 2 == 0;
    let (mut r, mut s, mut up, mut down) = if boundary {
        (
            Big::from(4 * u64::from(m)),
            Big::from(4),
            Big::from(2),
            Big::from(1),
        )
    } else {
        (
            Big::from(2 * u64::from(m)),
            Big::from(2),
            Big::from(1),
            Big::from(1),
        )
    };
    if e >= 0 {
        for b in [&mut r, &mut up, &mut down] {
            b.mul_pow(2, e as u32);
        }
    } else {
        s.mul_pow(2, (-e) as u32);
    }
    // k: the least power of ten above the upper halfway point (reached, when it reads
    // back as x), from an estimate off by at most one.
    let mut k = ((e + 24) * 30103).div_euclid(100_000) - 1;
    let above = |k: i32, r: &Big, s: &Big, up: &Big| {
        let mut high = r.clone();
        high.add(up);
        let mut ten = s.clone();
        if k >= 0 {
            ten.mul_pow(10, k as u32);
        } else {
            high.mul_pow(10, (-k) as u32);
        }
        match high.cmp(&ten) {
            std::cmp::Ordering::Less => true,
            std::cmp::Ordering::Equal => !inclusive,
            std::cmp::Ordering::Greater => false,
        }
    };
    while !above(k, &r, &s, &up) {
        k += 1;
    }
    while above(k - 1, &r, &s, &up) {
        k -= 1;
    }
    if k >= 0 {
        s.mul_pow(10, k as u32);
    } else {
        for b in [&mut r, &mut up, &mut down] {
            b.mul_pow(10, (-k) as u32);
        }
    }
    let mut digits: Vec<u8> = Vec::new();
    loop {
        for b in [&mut r, &mut up, &mut down] {
            b.mul_pow(10, 1);
        }
        let mut d = 0u8;
        while r.cmp(&s) != std::cmp::Ordering::Less && d < 9 {
            r.sub(&s);
            d += 1;
        }
        let low_ok = match r.cmp(&down) {
            std::cmp::Ordering::Less => true,
            std::cmp::Ordering::Equal => inclusive,
            std::cmp::Ordering::Greater => false,
        };
        let mut high = r.clone();
        high.add(&up);
        let high_ok = match high.cmp(&s) {
            std::cmp::Ordering::Greater => true,
            std::cmp::Ordering::Equal => inclusive,
            std::cmp::Ordering::Less => false,
        };
        if !low_ok && !high_ok && digits.len() < 12 {
            digits.push(d);
            continue;
        }
        let round_up = match (low_ok, high_ok) {
            (true, false) => false,
            (false, true) => true,
            _ => {
                let mut twice = r.clone();
                twice.mul_pow(2, 1);
                twice.cmp(&s) != std::cmp::Ordering::Less
            }
        };
        digits.push(d + u8::from(round_up));
        break;
    }
    // A 9 rounded up carries.
    let mut exp = k - 1;
    let mut i = digits.len();
    while i > 0 && digits.get(i - 1) == Some(&10) {
        digits.truncate(i - 1);
        i -= 1;
        match digits.last_mut() {
            Some(prev) => *prev += 1,
            None => {
                digits.push(1);
                exp += 1;
            }
        }
    }
    while digits.len() > 1 && digits.last() == Some(&0) {
        digits.pop();
    }
    (digits.iter().map(|d| char::from(b'0' + d)).collect(), exp)
}

/// A non-negative integer in base 2^32, least significant limb first: just what
/// [`shortest_f32`] needs.
#[derive(Clone)]
struct Big(Vec<u32>);

impl From<u64> for Big {
    fn from(v: u64) -> Big {
        Big(vec![v as u32, (v >> 32) as u32])
    }
}

impl Big {
    fn mul_pow(&mut self, base: u32, times: u32) {
        for _ in 0..times {
            let mut carry = 0u64;
            for limb in &mut self.0 {
                let v = u64::from(*limb) * u64::from(base) + carry;
                *limb = v as u32;
                carry = v >> 32;
            }
            if carry > 0 {
                self.0.push(carry as u32);
            }
        }
    }

    fn add(&mut self, other: &Big) {
        let mut carry = 0u64;
        for i in 0..self.0.len().max(other.0.len()) {
            let v = u64::from(self.0.get(i).copied().unwrap_or(0))
                + u64::from(other.0.get(i).copied().unwrap_or(0))
                + carry;
            match self.0.get_mut(i) {
                Some(limb) => *limb = v as u32,
                None => self.0.push(v as u32),
            }
            carry = v >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
    }

    /// `self - other`, for `self >= other`.
    fn sub(&mut self, other: &Big) {
        let mut borrow = 0i64;
        for (i, limb) in self.0.iter_mut().enumerate() {
            let v = i64::from(*limb) - i64::from(other.0.get(i).copied().unwrap_or(0)) - borrow;
            borrow = i64::from(v < 0);
            *limb = v.rem_euclid(1 << 32) as u32;
        }
    }

    fn cmp(&self, other: &Big) -> std::cmp::Ordering {
        let len = self.0.len().max(other.0.len());
        for i in (0..len).rev() {
            let (a, b) = (
                self.0.get(i).copied().unwrap_or(0),
                other.0.get(i).copied().unwrap_or(0),
            );
            if a != b {
                return a.cmp(&b);
            }
        }
        std::cmp::Ordering::Equal
    }
}

#[cfg(test)]
mod shortest_tests {
    use super::shortest_f32;

    /// What Rust's `{:e}` prints, as (digits, exponent).
    fn reference(x: f32) -> (String, i32) {
        let e = format!("{x:e}");
        let (mantissa, exp) = e.split_once('e').unwrap_or((&e, "0"));
        let digits = mantissa.chars().filter(char::is_ascii_digit).collect();
        (digits, exp.parse().unwrap_or(0))
    }

    /// Every power of two, the subnormals' ends, short decimals, and one f32 in every
    /// 16,411 of all bit patterns (every 101st agreed too, once): the same digits as `{:e}`.
    #[test]
    fn shortest_digits_as_the_float_formatter() {
        let mut xs: Vec<f32> = (0..255)
            .flat_map(|b| {
                let p = f32::from_bits(b << 23);
                [
                    p,
                    f32::from_bits((b << 23) | 1),
                    f32::from_bits((b << 23).wrapping_sub(1)),
                ]
            })
            .collect();
        xs.extend([
            f32::MIN_POSITIVE,
            f32::MAX,
            f32::from_bits(1),
            f32::from_bits(0x7f_ffff),
            0.1,
            0.3,
            1.5,
            80.0,
            1e6,
            123456789.0,
            16777216.0,
            16777217.0,
            9.999999e9,
            1e-45,
        ]);
        let mut bits = 0u32;
        while let Some(next) = bits.checked_add(16411) {
            xs.push(f32::from_bits(bits));
            bits = next;
        }
        for x in xs.into_iter().filter(|x| x.is_finite()) {
            assert_eq!(
                shortest_f32(x.abs()),
                reference(x.abs()),
                "{:#x}",
                x.to_bits()
            );
        }
    }
}
