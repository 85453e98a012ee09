//! Sets of connections over the whole port space: per transport protocol a set of port
//! ranges, plus ICMP.

use std::fmt;

use serde::Serialize;

use crate::model::Protocol;

#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct PortSet {
    /// Per protocol (TCP, UDP, SCTP), sorted, disjoint, non-adjacent inclusive ranges.
    ranges: [Vec<(u16, u16)>; 3],
    icmp: bool,
}

impl PortSet {
    /// The ranges of `p` as text: `80,443,8000-8080` (empty when none).
    pub fn ports_text(&self, p: Protocol) -> String {
        let items: Vec<String> = self
            .ranges(p)
            .iter()
            .map(|&(lo, hi)| {
                if lo == hi {
                    lo.to_string()
                } else {
                    format!("{lo}-{hi}")
                }
            })
            .collect();
        items.join(",")
    }

    pub fn none() -> Self {
        PortSet::default()
    }

    pub fn all() -> Self {
        PortSet {
            ranges: [vec![(1, 65535)], vec![(1, 65535)], vec![(1, 65535)]],
            icmp: true,
        }
    }

    pub fn is_all(&self) -> bool {
        *self == PortSet::all()
    }

    pub fn is_empty(&self) -> bool {
        !self.icmp && self.ranges.iter().all(Vec::is_empty)
    }

    pub fn icmp(&self) -> bool {
        self.icmp
    }

    pub fn set_icmp(&mut self, on: bool) {
        self.icmp = on;
    }

    pub fn ranges(&self, p: Protocol) -> &[(u16, u16)] {
        let [tcp, udp, sctp] = &self.ranges;
        match p {
            Protocol::TCP => tcp,
            Protocol::UDP => udp,
            Protocol::SCTP => sctp,
        }
    }

    fn ranges_mut(&mut self, p: Protocol) -> &mut Vec<(u16, u16)> {
        let [tcp, udp, sctp] = &mut self.ranges;
        match p {
            Protocol::TCP => tcp,
            Protocol::UDP => udp,
            Protocol::SCTP => sctp,
        }
    }

    pub fn contains(&self, p: Protocol, port: u16) -> bool {
        self.ranges(p)
            .iter()
            .any(|&(lo, hi)| lo <= port && port <= hi)
    }

    pub fn add(&mut self, p: Protocol, lo: u16, hi: u16) {
        if lo > hi {
            return;
        }
        let v = self.ranges_mut(p);
        v.push((lo, hi));
        normalize(v);
    }

    pub fn add_all(&mut self, p: Protocol) {
        self.add(p, 1, 65535);
    }

    pub fn union_with(&mut self, other: &PortSet) {
        for (mine, theirs) in self.ranges.iter_mut().zip(&other.ranges) {
            if theirs.is_empty() {
                continue;
            }
            mine.extend_from_slice(theirs);
            normalize(mine);
        }
        self.icmp |= other.icmp;
    }

    pub fn intersect(&self, other: &PortSet) -> PortSet {
        let mut out = PortSet::none();
        for ((a, b), into) in self.ranges.iter().zip(&other.ranges).zip(&mut out.ranges) {
            // Both sorted and disjoint: walk them together.
            let (mut a, mut b) = (a.iter().peekable(), b.iter().peekable());
            while let (Some(&&(alo, ahi)), Some(&&(blo, bhi))) = (a.peek(), b.peek()) {
                let (lo, hi) = (alo.max(blo), ahi.min(bhi));
                if lo <= hi {
                    into.push((lo, hi));
                }
                if ahi < bhi {
                    a.next();
                } else {
                    b.next();
                }
            }
        }
        out.icmp = self.icmp && other.icmp;
        out
    }

    /// What `self` has and `other` has not.
    pub fn minus(&self, other: &PortSet) -> PortSet {
        let mut rest = PortSet::none();
        for (theirs, into) in other.ranges.iter().zip(&mut rest.ranges) {
            // The complement of sorted, disjoint ranges within 1-65535.
            let mut start: u32 = 1;
            for &(lo, hi) in theirs {
                if u32::from(lo) > start {
                    into.push((start as u16, lo - 1));
                }
                start = u32::from(hi) + 1;
            }
            if start <= 65535 {
                into.push((start as u16, 65535));
            }
        }
        rest.icmp = !other.icmp;
        self.intersect(&rest)
    }
}

fn normalize(v: &mut Vec<(u16, u16)>) {
    v.sort_unstable();
    let mut out: Vec<(u16, u16)> = Vec::with_capacity(v.len());
    for &(lo, hi) in v.iter() {
        match out.last_mut() {
            Some(last) if u32::from(lo) <= u32::from(last.1) + 1 => last.1 = last.1.max(hi),
            _ => out.push((lo, hi)),
        }
    }
    *v = out;
}

impl fmt::Display for PortSet {
    /// `All connections`, `No connections`, or e.g. `TCP 80,443; UDP 53; ICMP`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_all() {
            return f.write_str("All connections");
        }
        if self.is_empty() {
            return f.write_str("No connections");
        }
        let mut parts = Vec::new();
        for p in Protocol::ALL {
            let r = self.ranges(p);
            if r.is_empty() {
                continue;
            }
            if r == [(1, 65535)] {
                parts.push(format!("{p} all ports"));
                continue;
            }
            parts.push(format!("{p} {}", self.ports_text(p)));
        }
        if self.icmp {
            parts.push("ICMP".into());
        }
        f.write_str(&parts.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(set: &PortSet, expected: &str) {
        assert_eq!(set.to_string(), expected);
    }

    #[test]
    fn display_and_algebra() {
        let mut a = PortSet::none();
        check(&a, "No connections");
        a.add(Protocol::TCP, 443, 443);
        a.add(Protocol::TCP, 80, 80);
        a.add(Protocol::TCP, 81, 90);
        a.add(Protocol::UDP, 53, 53);
        check(&a, "TCP 80-90,443; UDP 53");
        let mut b = PortSet::none();
        b.add_all(Protocol::TCP);
        b.set_icmp(true);
        check(&a.intersect(&b), "TCP 80-90,443");
        check(&b, "TCP all ports; ICMP");
        check(&PortSet::all(), "All connections");
        let mut c = a.clone();
        c.union_with(&b);
        check(&c, "TCP all ports; UDP 53; ICMP");
        assert!(a.contains(Protocol::TCP, 85) && !a.contains(Protocol::TCP, 91));
        // minus: holes at both ends, the edges of the port space, ICMP.
        check(&c.minus(&a), "TCP 1-79,91-442,444-65535; ICMP");
        check(&a.minus(&c), "No connections");
        let mut edges = PortSet::none();
        edges.add(Protocol::TCP, 1, 1);
        edges.add(Protocol::TCP, 65535, 65535);
        check(
            &PortSet::all().minus(&edges),
            "TCP 2-65534; UDP all ports; SCTP all ports; ICMP",
        );
        check(&edges.minus(&PortSet::all()), "No connections");
        check(&edges.minus(&PortSet::none()), "TCP 1,65535");
        // Property: (x - y) and (x & y) split x, and (x - y) & y is empty.
        let sets = [a, b, c, edges, PortSet::all(), PortSet::none()];
        for x in &sets {
            for y in &sets {
                let (d, i) = (x.minus(y), x.intersect(y));
                assert!(d.intersect(y).is_empty(), "{x} - {y}");
                let mut u = d.clone();
                u.union_with(&i);
                assert_eq!(&u, x, "{x} - {y} = {d}");
            }
        }
    }
}
