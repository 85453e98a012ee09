//! Label selectors as sets of label maps, for questions about objects that do not exist:
//! can any label set match this selector (and which one), does every label set one
//! selector matches also match another, can both match one label set.
//!
//! A selector is an AND of requirements on keys, and keys are independent, so each
//! question is asked key by key over a [`Domain`]: may the key be absent, and which
//! values may it have (a finite set, or every value but a finite set).

use crate::model::{Labels, Operator, Selector};

/// Values sorted, each once. (Sorted Vecs here, not B-trees: the set operations and the
/// map of domains were copies of their own in the page's wasm.)
type Set = Vec<String>;

fn set_of(values: impl IntoIterator<Item = String>) -> Set {
    let mut v: Set = values.into_iter().collect();
    crate::sort::ord(&mut v);
    v.dedup();
    v
}

fn has(s: &Set, x: &str) -> bool {
    s.binary_search_by(|e| e.as_str().cmp(x)).is_ok()
}

/// What a selector allows for one key.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Domain {
    absent: bool,
    values: Values,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Values {
    /// One of these.
    In(Set),
    /// Any value but these.
    NotIn(Set),
}

impl Domain {
    fn any() -> Domain {
        Domain {
            absent: true,
            values: Values::NotIn(Set::new()),
        }
    }

    fn of(op: Operator, values: &[String]) -> Domain {
        let set = || set_of(values.iter().cloned());
        match op {
            Operator::In => Domain {
                absent: false,
                values: Values::In(set()),
            },
            Operator::NotIn => Domain {
                absent: true,
                values: Values::NotIn(set()),
            },
            Operator::Exists => Domain {
                absent: false,
                values: Values::NotIn(Set::new()),
            },
            Operator::DoesNotExist => Domain {
                absent: true,
                values: Values::In(Set::new()),
            },
        }
    }

    fn intersect(&self, other: &Domain) -> Domain {
        let values = match (&self.values, &other.values) {
            (Values::In(a), Values::In(b)) => {
                Values::In(a.iter().filter(|x| has(b, x)).cloned().collect())
            }
            (Values::In(a), Values::NotIn(b)) | (Values::NotIn(b), Values::In(a)) => {
                Values::In(a.iter().filter(|x| !has(b, x)).cloned().collect())
            }
            (Values::NotIn(a), Values::NotIn(b)) => {
                Values::NotIn(set_of(a.iter().chain(b).cloned()))
            }
        };
        Domain {
            absent: self.absent && other.absent,
            values,
        }
    }

    fn is_empty(&self) -> bool {
        !self.absent && matches!(&self.values, Values::In(v) if v.is_empty())
    }

    fn subset_of(&self, other: &Domain) -> bool {
        if self.absent && !other.absent {
            return false;
        }
        match (&self.values, &other.values) {
            (Values::In(a), Values::In(b)) => a.iter().all(|x| has(b, x)),
            (Values::In(a), Values::NotIn(b)) => !a.iter().any(|x| has(b, x)),
            // Infinitely many values against finitely many.
            (Values::NotIn(_), Values::In(_)) => false,
            (Values::NotIn(a), Values::NotIn(b)) => b.iter().all(|x| has(a, x)),
        }
    }

    /// A value in the domain (None: the key absent).
    fn witness(&self) -> Option<String> {
        if self.absent {
            return None;
        }
        match &self.values {
            Values::In(v) => v.first().cloned(),
            Values::NotIn(v) => {
                let mut w = "x".to_string();
                while has(v, &w) {
                    w.push('x');
                }
                Some(w)
            }
        }
    }
}

/// A selector as one domain per key it names; keys it does not name are free.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Space {
    /// Sorted by key, each key once.
    keys: Vec<(String, Domain)>,
}

impl Space {
    pub(crate) fn of(sel: &Selector) -> Space {
        let mut s = Space::default();
        for (k, v) in &sel.match_labels {
            s.restrict(k, &Domain::of(Operator::In, std::slice::from_ref(v)));
        }
        for r in &sel.match_expressions {
            s.restrict(&r.key, &Domain::of(r.operator, &r.values));
        }
        s
    }

    /// A namespace's labels: also `kubernetes.io/metadata.name`, which every namespace
    /// carries (its name).
    pub(crate) fn of_namespace(sel: &Selector) -> Space {
        let mut s = Space::of(sel);
        s.restrict(
            crate::model::NAMESPACE_NAME_LABEL,
            &Domain::of(Operator::Exists, &[]),
        );
        s
    }

    fn get(&self, key: &str) -> Option<&Domain> {
        let at = self
            .keys
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()?;
        self.keys.get(at).map(|(_, d)| d)
    }

    fn restrict(&mut self, key: &str, d: &Domain) {
        match self.keys.binary_search_by(|(k, _)| k.as_str().cmp(key)) {
            Ok(at) => {
                if let Some((_, cur)) = self.keys.get_mut(at) {
                    *cur = cur.intersect(d);
                }
            }
            Err(at) => self
                .keys
                .insert(at, (key.to_string(), Domain::any().intersect(d))),
        }
    }

    /// Does some label set match?
    pub(crate) fn satisfiable(&self) -> bool {
        self.keys.iter().all(|(_, d)| !d.is_empty())
    }

    /// Both at once.
    pub(crate) fn and(&self, other: &Space) -> Space {
        let mut s = self.clone();
        for (k, d) in &other.keys {
            s.restrict(k, d);
        }
        s
    }

    /// Does every label set of `self` belong to `other`? (`self` satisfiable.)
    pub(crate) fn within(&self, other: &Space) -> bool {
        other.keys.iter().all(|(k, d)| {
            self.get(k)
                .cloned()
                .unwrap_or_else(Domain::any)
                .subset_of(d)
        })
    }

    /// A label set that matches, if any: the fewest labels.
    pub(crate) fn witness(&self) -> Option<Labels> {
        if !self.satisfiable() {
            return None;
        }
        Some(crate::sort::map(
            self.keys
                .iter()
                .filter_map(|(k, d)| d.witness().map(|v| (k.clone(), v))),
        ))
    }

    /// The value the space forces on `key`, when it allows exactly one and not absence.
    pub(crate) fn forced(&self, key: &str) -> Option<&str> {
        match self.get(key) {
            Some(Domain {
                absent: false,
                values: Values::In(v),
            }) if v.len() == 1 => v.first().map(String::as_str),
            _ => None,
        }
    }
}

/// How a rule's peers relate to a class of peers that may not exist yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Relation {
    /// No peer of the class matches.
    Disjoint,
    /// Every peer of the class matches.
    Covers,
    /// Some may, some may not (or it cannot be told).
    Overlaps,
}

impl Relation {
    /// Both parts must match (a namespace and a pod selector).
    pub(crate) fn and(self, other: Relation) -> Relation {
        use Relation::*;
        match (self, other) {
            (Disjoint, _) | (_, Disjoint) => Disjoint,
            (Covers, Covers) => Covers,
            _ => Overlaps,
        }
    }

    /// The class is the union of two parts (pods and addresses).
    pub(crate) fn union(self, other: Relation) -> Relation {
        use Relation::*;
        match (self, other) {
            (Disjoint, Disjoint) => Disjoint,
            (Covers, Covers) => Covers,
            _ => Overlaps,
        }
    }

    /// Any of several peers may match.
    pub(crate) fn any(self, other: Relation) -> Relation {
        use Relation::*;
        match (self, other) {
            (Covers, _) | (_, Covers) => Covers,
            (Disjoint, Disjoint) => Disjoint,
            _ => Overlaps,
        }
    }

    /// The selector `rule` against the class `class` of label sets.
    pub(crate) fn of(class: &Space, rule: &Space) -> Relation {
        if !class.and(rule).satisfiable() {
            Relation::Disjoint
        } else if class.within(rule) {
            Relation::Covers
        } else {
            Relation::Overlaps
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Requirement;

    fn sel(labels: &[(&str, &str)], exprs: &[(&str, Operator, &[&str])]) -> Selector {
        Selector {
            match_labels: labels
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            match_expressions: exprs
                .iter()
                .map(|(k, op, vs)| Requirement {
                    key: k.to_string(),
                    operator: *op,
                    values: vs.iter().map(|v| v.to_string()).collect(),
                })
                .collect(),
        }
    }

    #[test]
    fn witnesses_match_and_contradictions_have_none() {
        use Operator::*;
        for s in [
            sel(&[("app", "web")], &[]),
            sel(&[], &[("env", NotIn, &["prod"])]),
            sel(&[], &[("env", DoesNotExist, &[])]),
            sel(&[], &[("tier", In, &["a", "b"]), ("tier", NotIn, &["a"])]),
            sel(&[], &[("x", NotIn, &["x", "xx"]), ("x", Exists, &[])]),
            Selector::default(),
        ] {
            let w = Space::of(&s).witness().unwrap();
            assert!(s.matches(&w), "{s}: {w:?}");
        }
        for s in [
            sel(&[("app", "web")], &[("app", NotIn, &["web"])]),
            sel(&[], &[("a", Exists, &[]), ("a", DoesNotExist, &[])]),
            sel(&[("a", "1"), ("a", "2")], &[]),
        ] {
            assert!(Space::of(&s).witness().is_none(), "{s}");
        }
        // Every namespace has a name label.
        let ns = sel(&[], &[("kubernetes.io/metadata.name", DoesNotExist, &[])]);
        assert!(!Space::of_namespace(&ns).satisfiable());
    }

    #[test]
    fn relations() {
        use Operator::*;
        let r = |c: Selector, s: Selector| Relation::of(&Space::of(&c), &Space::of(&s));
        let web = sel(&[("app", "web")], &[]);
        assert_eq!(r(web.clone(), Selector::default()), Relation::Covers);
        assert_eq!(r(Selector::default(), web.clone()), Relation::Overlaps);
        assert_eq!(
            r(web.clone(), sel(&[], &[("app", NotIn, &["web"])])),
            Relation::Disjoint
        );
        assert_eq!(
            r(web.clone(), sel(&[], &[("app", In, &["web", "api"])])),
            Relation::Covers
        );
        assert_eq!(
            r(
                sel(&[], &[("env", NotIn, &["a", "b"])]),
                sel(&[], &[("env", NotIn, &["a"])])
            ),
            Relation::Covers
        );
        assert_eq!(
            r(
                sel(&[], &[("env", DoesNotExist, &[])]),
                sel(&[], &[("env", NotIn, &["a"])])
            ),
            Relation::Covers
        );
        assert_eq!(
            r(
                sel(&[], &[("env", NotIn, &["a"])]),
                sel(&[], &[("env", DoesNotExist, &[])])
            ),
            Relation::Overlaps
        );
    }
}
