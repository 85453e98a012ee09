//! The space outside the cluster, cut where the policies look at it.
//!
//! Every CIDR and `except` a policy mentions (NetworkPolicy `ipBlock`s, the `networks`
//! of AdminNetworkPolicy and ClusterNetworkPolicy, the `nodes` peers' node addresses,
//! Calico `nets` and `notNets`), plus the addresses asked about (`--ip`), cuts the
//! address space into contiguous ranges; inside one range every policy decides alike,
//! so one address stands for the range. As np-guard's netpol-analyzer does, sources
//! (traffic coming in) are cut by what ingress rules mention and destinations by what
//! egress rules mention, and a range is written `FIRST-LAST` (`0.0.0.0-255.255.255.255`,
//! `10.0.0.1-10.0.0.1`). IPv4 is always there; IPv6 only when something mentions an IPv6
//! address.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::IpNet;
use serde::Serialize;

use crate::model::{Cluster, PeerKind};
use crate::tiers::TierPeerKind;

/// A contiguous range of addresses of one family, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct AddrRange {
    pub first: IpAddr,
    pub last: IpAddr,
}

impl AddrRange {
    pub fn contains(&self, ip: &IpAddr) -> bool {
        match (self.first, self.last, ip) {
            (IpAddr::V4(a), IpAddr::V4(b), IpAddr::V4(x)) => a <= *x && *x <= b,
            (IpAddr::V6(a), IpAddr::V6(b), IpAddr::V6(x)) => a <= *x && *x <= b,
            _ => false,
        }
    }
}

impl fmt::Display for AddrRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.first, self.last)
    }
}

/// Where ranges start, per family (as integers).
#[derive(Clone, Debug, Default)]
pub(super) struct Cuts {
    v4: Vec<u128>,
    v6: Vec<u128>,
}

fn bounds(net: &IpNet) -> (bool, u128, u128) {
    match net {
        IpNet::V4(n) => (
            false,
            u128::from(u32::from(n.network())),
            u128::from(u32::from(n.broadcast())),
        ),
        IpNet::V6(n) => (true, u128::from(n.network()), u128::from(n.broadcast())),
    }
}

impl Cuts {
    pub(super) fn add_net(&mut self, net: &IpNet) {
        let (v6, lo, hi) = bounds(net);
        let (cuts, max) = if v6 {
            (&mut self.v6, u128::MAX)
        } else {
            (&mut self.v4, u128::from(u32::MAX))
        };
        cuts.push(lo);
        if hi < max {
            cuts.push(hi + 1);
        }
    }

    pub(super) fn add_ip(&mut self, ip: &IpAddr) {
        self.add_net(&IpNet::from(*ip));
    }

    pub(super) fn extend(&mut self, other: &Cuts) {
        self.v4.extend_from_slice(&other.v4);
        self.v6.extend_from_slice(&other.v6);
    }

    pub(super) fn mentions_v6(&self) -> bool {
        !self.v6.is_empty()
    }

    /// The ranges between the cuts: all of IPv4, and all of IPv6 when `v6`.
    pub(super) fn ranges(&self, v6: bool) -> Vec<AddrRange> {
        let mut out = Vec::new();
        let family = |cuts: &[u128], max: u128, ip: &dyn Fn(u128) -> IpAddr| {
            let mut starts: Vec<u128> = cuts.to_vec();
            starts.push(0);
            crate::sort::ord(&mut starts);
            starts.dedup();
            let mut list = Vec::with_capacity(starts.len());
            for (k, &s) in starts.iter().enumerate() {
                let e = starts.get(k + 1).map_or(max, |next| next - 1);
                list.push(AddrRange {
                    first: ip(s),
                    last: ip(e),
                });
            }
            list
        };
        let v4 = |x: u128| IpAddr::V4(Ipv4Addr::from(u32::try_from(x).unwrap_or(u32::MAX)));
        out.extend(family(&self.v4, u128::from(u32::MAX), &v4));
        if v6 {
            let v6 = |x: u128| IpAddr::V6(Ipv6Addr::from(x));
            out.extend(family(&self.v6, u128::MAX, &v6));
        }
        out
    }
}

/// The cuts of sources (what ingress rules mention) and of destinations (egress rules).
pub(super) fn cuts(cluster: &Cluster, extra: &[IpAddr]) -> (Cuts, Cuts) {
    let (mut src, mut dst) = (Cuts::default(), Cuts::default());
    for p in &cluster.policies {
        for (rules, cuts) in [(&p.ingress, &mut src), (&p.egress, &mut dst)] {
            for rule in rules {
                for peer in &rule.peers {
                    if let PeerKind::IpBlock(b) = &peer.kind {
                        cuts.add_net(&b.cidr);
                        for e in &b.except {
                            cuts.add_net(e);
                        }
                    }
                }
            }
        }
    }
    let mut nodes = false;
    for cp in &cluster.cluster_policies {
        for (rules, cuts) in [(&cp.ingress, &mut src), (&cp.egress, &mut dst)] {
            for rule in rules {
                for peer in &rule.peers {
                    match &peer.kind {
                        TierPeerKind::Networks { cidrs } => {
                            for c in cidrs {
                                cuts.add_net(c);
                            }
                        }
                        TierPeerKind::Nodes { .. } => nodes = true,
                        _ => {}
                    }
                }
            }
        }
    }
    if nodes {
        for n in &cluster.nodes {
            for ip in &n.ips {
                dst.add_ip(ip);
            }
        }
    }
    for cp in &cluster.calico.policies {
        // Ingress: where the traffic comes from; egress: where it goes.
        for rule in &cp.ingress {
            for net in rule.source.nets.iter().chain(&rule.source.not_nets) {
                src.add_net(net);
            }
        }
        for rule in &cp.egress {
            for net in rule
                .destination
                .nets
                .iter()
                .chain(&rule.destination.not_nets)
            {
                dst.add_net(net);
            }
        }
    }
    for ip in extra {
        src.add_ip(ip);
        dst.add_ip(ip);
    }
    (src, dst)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranges(nets: &[&str], v6: bool) -> Vec<String> {
        let mut c = Cuts::default();
        for n in nets {
            c.add_net(&n.parse().unwrap());
        }
        c.ranges(v6).iter().map(ToString::to_string).collect()
    }

    #[test]
    fn the_space_is_cut_at_every_cidr_and_except() {
        assert_eq!(ranges(&[], false), ["0.0.0.0-255.255.255.255"]);
        assert_eq!(
            ranges(&["0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16"], false),
            [
                "0.0.0.0-9.255.255.255",
                "10.0.0.0-10.0.255.255",
                "10.1.0.0-10.1.255.255",
                "10.2.0.0-10.255.255.255",
                "11.0.0.0-255.255.255.255"
            ]
        );
        assert_eq!(
            ranges(&["203.0.113.9/32", "255.255.255.255/32"], false),
            [
                "0.0.0.0-203.0.113.8",
                "203.0.113.9-203.0.113.9",
                "203.0.113.10-255.255.255.254",
                "255.255.255.255-255.255.255.255"
            ]
        );
        assert_eq!(
            ranges(&["2001:db8::/32"], true),
            [
                "0.0.0.0-255.255.255.255",
                "::-2001:db7:ffff:ffff:ffff:ffff:ffff:ffff",
                "2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
                "2001:db9::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
            ]
        );
        let r = AddrRange {
            first: "10.0.0.0".parse().unwrap(),
            last: "10.0.0.9".parse().unwrap(),
        };
        assert!(r.contains(&"10.0.0.9".parse().unwrap()));
        assert!(!r.contains(&"10.0.0.10".parse().unwrap()));
        assert!(!r.contains(&"::1".parse().unwrap()));
    }
}
