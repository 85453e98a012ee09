//! Words: the one place that knows English and Spanish. Each submodule puts one concern's
//! results into sentences (lowercase messages, user input in backticks); the rest of the
//! crate builds data and asks here for its text.
//!
//! - `explain`: decisions, sides, tier steps, caveats, fixes;
//! - `diff`: semantic diffs; `exposure`: exposure reports; `services`: routed decisions;
//! - `trace`: the steps of the step-through trace; `console`: the simulated consoles' notes;
//! - `exercise`: exercises' goals and constraints; `group`: the workload view's notes;
//! - `lint`: the lints' messages and help; `lint_docs`: the lint registry's entries.

pub(crate) mod console;
pub mod diff;
pub mod exercise;
pub mod explain;
pub mod exposure;
pub(crate) mod group;
pub(crate) mod lint;
pub(crate) mod lint_docs;
pub mod services;
pub mod trace;

/// A number as `{:.N}` prints it (N from the format, none: 0 decimals): the exact value
/// of the float rounded, ties to even, written without the float formatter, whose
/// exact-digits code costs about 2 KB of the page's WebAssembly (the simulated ping's
/// times, the Graph tab's coordinates and the timings are the only decimals printed).
/// Exact below 10^15 (beyond, the digits saturate); NaN prints as 0.
#[derive(Clone, Copy, Debug)]
pub struct Decimal(pub f64);

impl std::fmt::Display for Decimal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let digits = f.precision().unwrap_or(0).min(9);
        let scale = 10u64.pow(digits as u32);
        let n = scaled(self.0.abs(), scale);
        if self.0.is_sign_negative() && !self.0.is_nan() {
            f.write_str("-")?;
        }
        write!(f, "{}", n / scale)?;
        if digits > 0 {
            write!(f, ".{:0digits$}", n % scale)?;
        }
        Ok(())
    }
}

/// `x * scale` (x >= 0, scale at most 10^9) rounded to an integer, ties to even, from the
/// float's exact value: x = m * 2^e, so x * scale = m * scale / 2^-e in integers.
/// Saturates; NaN is 0.
fn scaled(x: f64, scale: u64) -> u64 {
    if !x.is_finite() {
        return if x.is_nan() { 0 } else { u64::MAX };
    }
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1u64 << 52) - 1);
    let (m, e) = if exp == 0 {
        (frac, -1074)
    } else {
        (frac | (1u64 << 52), exp - 1075)
    };
    let p = u128::from(m) * u128::from(scale);
    let q = if e >= 0 {
        p.checked_shl(e as u32)
            .filter(|v| v >> e == p)
            .unwrap_or(u128::MAX)
    } else {
        let k = (-e) as u32;
        if k >= 128 {
            0
        } else {
            let q = p >> k;
            let r = p & ((1u128 << k) - 1);
            let half = 1u128 << (k - 1);
            if r > half || (r == half && q & 1 == 1) {
                q + 1
            } else {
                q
            }
        }
    };
    u64::try_from(q).unwrap_or(u64::MAX)
}

/// The language of the words.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Es,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.to_ascii_lowercase();
        if s.starts_with("es") {
            Some(Lang::Es)
        } else if s.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }
    pub(crate) fn pick<'a>(self, en: &'a str, es: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Es => es,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Decimal;

    /// `Decimal` prints what `{:.N}` prints: ties, values just off ties, the ping's and
    /// the graph's numbers, negatives, tiny and huge values.
    #[test]
    fn decimal_prints_as_the_float_formatter() {
        let mut values = vec![
            0.0, -0.0, 0.5, 1.5, 2.5, -2.5, 0.25, 0.35, 0.1765, 0.17649999, 0.045, 10.300, 13.961,
            1.522, 99.95, 199.75, -0.04, 1e-12, 5e-324, 123456.789, 1e15,
        ];
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let v = (x % 2_000_000) as f64 / 1000.0 - 1000.0;
            values.push(v);
            values.push(v / 7.0);
            values.push((x % 100_000) as f64 / 10_000.0);
        }
        for v in values {
            assert_eq!(format!("{:.0}", Decimal(v)), format!("{v:.0}"), "{v:e}");
            assert_eq!(format!("{:.1}", Decimal(v)), format!("{v:.1}"), "{v:e}");
            assert_eq!(format!("{:.2}", Decimal(v)), format!("{v:.2}"), "{v:e}");
            assert_eq!(format!("{:.3}", Decimal(v)), format!("{v:.3}"), "{v:e}");
            assert_eq!(format!("{}", Decimal(v)), format!("{v:.0}"), "{v:e}");
        }
    }
}
