//! Reading a cluster-scoped policy's ports: AdminNetworkPolicy's `ports` and ClusterNetworkPolicy's `protocols`, numbers, ranges and names.

use super::*;

impl Reader<'_, '_, '_> {
    /// v1alpha1 `ports[]`: exactly one of portNumber, namedPort, portRange.
    pub(super) fn anp_port(&mut self, node: &Node, path: &str) -> Option<TierPort> {
        self.mapping(node, path)?;
        self.r.cx.unknown_fields(node, path, ANP_PORT, |k| match k {
            "port" | "protocol" | "endPort" => Some("ports are `portNumber: {protocol, port}`, `namedPort: <name>` or `portRange: {protocol, start, end}`".into()),
            _ => None,
        });
        let (field, value) = self.exactly_one(node, path, ANP_PORT)?;
        let fpath = join(path, field);
        let kind = match field {
            "portNumber" => {
                self.mapping(value, &fpath)?;
                self.r
                    .cx
                    .unknown_fields(value, &fpath, PORT_NUMBER, |_| None);
                let protocol = self.protocol(value.get("protocol"), &join(&fpath, "protocol"));
                let port = match value.get("port") {
                    Some(p) => self.int_in(p, &join(&fpath, "port"), 1, 65535),
                    None => {
                        self.error(value, &join(&fpath, "port"), "Required value");
                        None
                    }
                }?;
                TierPortKind::Number {
                    protocol,
                    port: port as u16,
                }
            }
            "namedPort" => {
                let name = self.r.string(value, &fpath)?;
                for e in names::port_name(&name) {
                    self.error(value, &fpath, format!("Invalid value: `{name}`: {e}"));
                }
                TierPortKind::Named { name }
            }
            _ => {
                self.mapping(value, &fpath)?;
                self.r
                    .cx
                    .unknown_fields(value, &fpath, PORT_RANGE, |_| None);
                let protocol = self.protocol(value.get("protocol"), &join(&fpath, "protocol"));
                self.range(value, &fpath, protocol)?
            }
        };
        Some(TierPort {
            kind,
            location: self.r.cx.loc(node),
        })
    }

    pub(super) fn range(
        &mut self,
        value: &Node,
        fpath: &str,
        protocol: Protocol,
    ) -> Option<TierPortKind> {
        let get = |this: &mut Self, k: &str| match value.get(k) {
            Some(n) => this.int_in(n, &join(fpath, k), 1, 65535),
            None => {
                this.error(value, &join(fpath, k), "Required value");
                None
            }
        };
        let start = get(self, "start");
        let end = get(self, "end");
        let (start, end) = (start?, end?);
        if start >= end {
            self.error(
                value,
                fpath,
                format!("Invalid value: start {start}, end {end}: Start port must be less than End port"),
            );
            return None;
        }
        Some(TierPortKind::Range {
            protocol,
            start: start as u16,
            end: end as u16,
        })
    }

    /// v1alpha2 `protocols[]`: exactly one of tcp, udp, sctp, destinationNamedPort.
    pub(super) fn cnp_protocol(&mut self, node: &Node, path: &str) -> Option<TierPort> {
        self.mapping(node, path)?;
        self.r
            .cx
            .unknown_fields(node, path, CNP_PROTOCOL, |k| match k {
                "TCP" | "UDP" | "SCTP" => {
                    Some("protocol keys are lower case: `tcp`, `udp`, `sctp`".into())
                }
                "portNumber" | "port" => Some("use `tcp: {destinationPort: {number: 80}}`".into()),
                _ => None,
            });
        let (field, value) = self.exactly_one(node, path, CNP_PROTOCOL)?;
        let fpath = join(path, field);
        let protocol = match field {
            "tcp" => Protocol::TCP,
            "udp" => Protocol::UDP,
            "sctp" => Protocol::SCTP,
            _ => {
                let name = self.r.string(value, &fpath)?;
                for e in names::port_name(&name) {
                    self.error(value, &fpath, format!("Invalid value: `{name}`: {e}"));
                }
                return Some(TierPort {
                    kind: TierPortKind::Named { name },
                    location: self.r.cx.loc(node),
                });
            }
        };
        self.mapping(value, &fpath)?;
        self.r.cx.unknown_fields(value, &fpath, CNP_L4, |_| None);
        let Some(dp) = value.get("destinationPort").filter(|n| !n.is_null()) else {
            self.error(
                value,
                &fpath,
                "Invalid value: should have at least 1 properties (`destinationPort`); omit `protocols` to match every port",
            );
            return None;
        };
        let dpath = join(&fpath, "destinationPort");
        self.mapping(dp, &dpath)?;
        self.r.cx.unknown_fields(dp, &dpath, CNP_PORT, |k| match k {
            "port" => Some("the port number is `number`".into()),
            _ => None,
        });
        let (f, v) = self.exactly_one(dp, &dpath, CNP_PORT)?;
        let kind = if f == "number" {
            let n = self.int_in(v, &join(&dpath, "number"), 1, 65535)?;
            TierPortKind::Number {
                protocol,
                port: n as u16,
            }
        } else {
            let rpath = join(&dpath, "range");
            self.mapping(v, &rpath)?;
            self.r.cx.unknown_fields(v, &rpath, CNP_RANGE, |_| None);
            self.range(v, &rpath, protocol)?
        };
        Some(TierPort {
            kind,
            location: self.r.cx.loc(node),
        })
    }
}
