//! The truth table for one port (bitset rows and columns, per class with tiers) and the
//! set of allowed connections of a pair.

use super::*;

impl Engine {
    /// Just the verdict (no explanation): what the matrix uses.
    pub fn allowed(
        &self,
        from: Target,
        to: Target,
        protocol: QueryProtocol,
        port: &PortQuery,
    ) -> bool {
        self.decide(from, to, protocol, Some(port), false, false)
            .verdict
            == Verdict::Allowed
    }

    /// Just the verdict as a matrix [`Cell`]: `None` where [`Engine::query`] gives
    /// [`Verdict::Unknown`].
    pub fn cell(
        &self,
        from: Target,
        to: Target,
        protocol: QueryProtocol,
        port: &PortQuery,
    ) -> Cell {
        match self
            .decide(from, to, protocol, Some(port), false, false)
            .verdict
        {
            Verdict::Allowed => Some(true),
            Verdict::Denied => Some(false),
            Verdict::Unknown => None,
        }
    }

    /// Every cell through [`Engine::cell`] (the diagonal is allowed where the port resolves).
    pub(super) fn matrix_per_pair(
        &self,
        targets: &[Target],
        protocol: QueryProtocol,
        port: &PortQuery,
    ) -> Vec<Vec<Cell>> {
        targets
            .iter()
            .map(|&f| {
                targets
                    .iter()
                    .map(|&t| self.cell(f, t, protocol, port))
                    .collect()
            })
            .collect()
    }

    /// The truth table for one port and protocol over every endpoint (sorted by name),
    /// then the given external addresses.
    ///
    /// Computed with bitsets: one egress row per source and one ingress column per
    /// destination, each an OR of precomputed peer sets, shared between endpoints that
    /// policies cannot tell apart; a cell is then two bit tests. It agrees with
    /// [`Engine::query`] on every cell (a property test checks this).
    pub fn matrix(&self, protocol: QueryProtocol, port: &PortQuery, extra: &[IpAddr]) -> Matrix {
        let c = &self.cluster;
        let n = c.endpoints.len();
        let mut targets: Vec<Target> = (0..n).map(Target::Endpoint).collect();
        targets.extend(extra.iter().map(|ip| Target::External(*ip)));
        let endpoints = targets.iter().map(|t| self.name(*t)).collect();

        // The connection each destination receives (a named port resolves per pod).
        let conn_of = |t: Target| -> Option<Conn> {
            match (protocol.transport(), port) {
                (None, _) => Some(Conn::Icmp),
                (Some(_), PortQuery::Number(0)) => None,
                (Some(p), PortQuery::Number(n)) => Some(Conn::Port(p, *n)),
                (Some(p), PortQuery::Name(name)) => match t {
                    Target::Endpoint(i) => {
                        c.endpoints[i].named_port(name, p).map(|n| Conn::Port(p, n))
                    }
                    Target::External(_) => None,
                },
            }
        };
        let conns: Vec<Option<Conn>> = targets.iter().map(|t| conn_of(*t)).collect();

        // Calico: decide each cell through the per-pair path (its tiers, selectors and
        // profiles are not indexed as classes).
        if !c.calico.is_empty() {
            return Matrix {
                port: port.clone(),
                protocol,
                endpoints,
                allowed: self.matrix_per_pair(&targets, protocol, port),
            };
        }

        // Egress rows (over endpoint destinations), shared by sources with the same
        // selecting policies. `cov` memoizes, per egress rule, which destinations its
        // ports cover.
        let mut cov_memo: std::collections::HashMap<(usize, usize), Bitset> = Default::default();
        let mut named_memo: std::collections::HashMap<(&str, Protocol), Bitset> =
            Default::default();
        let uniform: Option<Conn> = match (protocol.transport(), port) {
            (None, _) => Some(Conn::Icmp),
            (Some(p), PortQuery::Number(n)) if *n > 0 => Some(Conn::Port(p, *n)),
            _ => None,
        };
        let mut row_memo: std::collections::HashMap<&[usize], Bitset> = Default::default();
        let mut egress_rows: Vec<Option<Bitset>> = Vec::with_capacity(n);
        for i in 0..n {
            let sel = self.selecting(i, Direction::Egress);
            if sel.is_empty() {
                egress_rows.push(None);
                continue;
            }
            if let Some(row) = row_memo.get(sel) {
                egress_rows.push(Some(row.clone()));
                continue;
            }
            let mut row = Bitset::new(n);
            for &pi in sel {
                for (ri, rule) in c.policies[pi].egress.iter().enumerate() {
                    let cov = cov_memo.entry((pi, ri)).or_insert_with(|| match uniform {
                        // Every destination receives the same connection: numeric port
                        // entries cover all of them or none; named ones cover the pods
                        // declaring that name with that number.
                        Some(conn) => {
                            let numeric = Rule {
                                peers: Vec::new(),
                                ports: rule
                                    .ports
                                    .iter()
                                    .filter(|p| !matches!(p.port, Some(PortValue::Name(_))))
                                    .cloned()
                                    .collect(),
                                location: rule.location.clone(),
                            };
                            let all_named = !rule.ports.is_empty() && numeric.ports.is_empty();
                            if !all_named
                                && self.rule_covers(
                                    &numeric,
                                    Target::External(IpAddr::from([0, 0, 0, 0])),
                                    conn,
                                )
                            {
                                return Bitset::full(n);
                            }
                            let mut b = Bitset::new(n);
                            if let Conn::Port(proto, port) = conn {
                                for pr in &rule.ports {
                                    if let (Some(PortValue::Name(name)), true) =
                                        (&pr.port, pr.protocol == proto)
                                    {
                                        let set = named_memo
                                            .entry((name.as_str(), proto))
                                            .or_insert_with(|| {
                                                let mut s = Bitset::new(n);
                                                for (j, e) in c.endpoints.iter().enumerate() {
                                                    if e.named_port(name, proto) == Some(port) {
                                                        s.set(j);
                                                    }
                                                }
                                                s
                                            });
                                        b.or_with(set);
                                    }
                                }
                            }
                            b
                        }
                        None => {
                            let mut b = Bitset::new(n);
                            for (j, conn) in conns.iter().enumerate().take(n) {
                                if let Some(conn) = *conn {
                                    if self.rule_covers(rule, Target::Endpoint(j), conn) {
                                        b.set(j);
                                    }
                                }
                            }
                            b
                        }
                    });
                    if rule.peers.is_empty() {
                        row.or_with(cov);
                    } else {
                        for k in 0..rule.peers.len() {
                            row.or_with(
                                &self.index.peer_set(pi, Direction::Egress, ri, k).and(cov),
                            );
                        }
                    }
                }
            }
            row_memo.insert(sel, row.clone());
            egress_rows.push(Some(row));
        }

        // Distinct ingress columns (over endpoint sources): 0 allows every source (not
        // isolated), 1 none (the destination cannot receive this connection: its cells
        // are unknown); the rest
        // are shared by destinations with the same selecting policies, connection and
        // container ports.
        let mut cols: Vec<Bitset> = vec![Bitset::full(n), Bitset::new(n)];
        let mut col_memo: std::collections::HashMap<ColumnKey<'_>, usize> = Default::default();
        let mut col_id: Vec<usize> = Vec::with_capacity(n);
        for (j, conn) in conns.iter().enumerate().take(n) {
            let Some(conn) = *conn else {
                col_id.push(1);
                continue;
            };
            let sel = self.selecting(j, Direction::Ingress);
            if sel.is_empty() {
                col_id.push(0);
                continue;
            }
            let port_key = match conn {
                Conn::Port(_, p) => Some(p),
                Conn::Icmp => None,
            };
            // Container ports only matter to rules with named ports.
            let named = sel.iter().any(|&pi| {
                c.policies[pi].ingress.iter().any(|r| {
                    r.ports
                        .iter()
                        .any(|p| matches!(p.port, Some(PortValue::Name(_))))
                })
            });
            let ports: &[ContainerPort] = if named { &c.endpoints[j].ports } else { &[] };
            let key = (sel, port_key, ports);
            if let Some(&id) = col_memo.get(&key) {
                col_id.push(id);
                continue;
            }
            let mut col = Bitset::new(n);
            'rules: for &pi in sel {
                for (ri, rule) in c.policies[pi].ingress.iter().enumerate() {
                    if !self.rule_covers(rule, Target::Endpoint(j), conn) {
                        continue;
                    }
                    if rule.peers.is_empty() {
                        col = Bitset::full(n);
                        break 'rules;
                    }
                    for k in 0..rule.peers.len() {
                        col.or_with(self.index.peer_set(pi, Direction::Ingress, ri, k));
                    }
                }
            }
            cols.push(col);
            col_memo.insert(key, cols.len() - 1);
            col_id.push(cols.len() - 1);
        }

        // AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy: each side's
        // NetworkPolicy result (from the rows and columns above) goes through the tiers,
        // decided once per class of endpoints the tiers cannot tell apart.
        if !c.cluster_policies.is_empty() {
            let traffic: Vec<Option<Traffic>> = conns[..n]
                .iter()
                .map(|conn| {
                    conn.map(|conn| match conn {
                        Conn::Port(p, n) => Traffic::Port(p, n),
                        Conn::Icmp => Traffic::Icmp,
                    })
                })
                .collect();
            let Some(mut tiers) = tiers::matrix::TierSides::new(c, &traffic) else {
                return Matrix {
                    port: port.clone(),
                    protocol,
                    endpoints,
                    allowed: self.matrix_per_pair(&targets, protocol, port),
                };
            };
            let total = targets.len();
            let mut allowed: Vec<Vec<Cell>> = vec![vec![None; total]; total];
            let mut col_bit = vec![false; cols.len()];
            for (i, row) in allowed.iter_mut().enumerate() {
                if i < n {
                    for (b, col) in col_bit.iter_mut().zip(&cols) {
                        *b = col.get(i);
                    }
                }
                for (j, cell) in row.iter_mut().enumerate() {
                    *cell = if i >= n || j >= n {
                        self.cell(targets[i], targets[j], protocol, port)
                    } else if traffic[j].is_none() {
                        // The port does not resolve at the destination: unknown, as in
                        // `query` (the diagonal too).
                        None
                    } else if i == j {
                        Some(true)
                    } else {
                        let eg = egress_rows[i].as_ref();
                        let col = col_id[j];
                        let allowed =
                            tiers.allows(
                                Direction::Egress,
                                i,
                                j,
                                eg.is_some(),
                                eg.is_some_and(|r| r.get(j)),
                            ) && tiers.allows(Direction::Ingress, i, j, col != 0, col_bit[col]);
                        Some(allowed)
                    };
                }
            }
            return Matrix {
                port: port.clone(),
                protocol,
                endpoints,
                allowed,
            };
        }

        let total = targets.len();
        let full_row = Bitset::full(n);
        let mut allowed: Vec<Vec<Cell>> = vec![vec![None; total]; total];
        let mut col_bit = vec![false; cols.len()];
        for (i, row) in allowed.iter_mut().enumerate() {
            if i < n {
                // Per row: which distinct columns admit source i; then a cell is two
                // lookups.
                for (b, col) in col_bit.iter_mut().zip(&cols) {
                    *b = col.get(i);
                }
                let eg = egress_rows[i].as_ref().unwrap_or(&full_row);
                // A word of the egress row at a time: 64 cells per load.
                for ((cells, ids), &word) in row[..n]
                    .chunks_mut(64)
                    .zip(col_id.chunks(64))
                    .zip(eg.words())
                {
                    let mut w = word;
                    for (cell, &id) in cells.iter_mut().zip(ids) {
                        // Column 1: the destination cannot receive this connection (its
                        // port does not resolve): unknown, not denied.
                        *cell = (id != 1).then_some(w & 1 != 0 && col_bit[id]);
                        w >>= 1;
                    }
                }
                if conns[i].is_some() {
                    row[i] = Some(true);
                }
            }
            for (j, cell) in row.iter_mut().enumerate() {
                if i >= n || j >= n {
                    // External addresses are few: decide those cells directly.
                    *cell = self.cell(targets[i], targets[j], protocol, port);
                }
            }
        }
        Matrix {
            port: port.clone(),
            protocol,
            endpoints,
            allowed,
        }
    }

    /// Does any port entry of `rule` cover `conn` at destination `dst`? (ICMP: only a
    /// rule without ports.)
    pub(super) fn rule_covers(&self, rule: &Rule, dst: Target, conn: Conn) -> bool {
        match conn {
            Conn::Icmp => rule.ports.is_empty(),
            Conn::Port(..) => {
                rule.ports.is_empty()
                    || rule.ports.iter().any(|pr| self.port_matches(pr, dst, conn))
            }
        }
    }

    /// What one side allows between `subject` and `other`, over the whole port space.
    pub(super) fn side_set(
        &self,
        dir: Direction,
        subject: Target,
        other: Target,
        dst: Target,
    ) -> PortSet {
        let Target::Endpoint(si) = subject else {
            return PortSet::all();
        };
        let selecting = self.selecting(si, dir);
        if selecting.is_empty() {
            return PortSet::all();
        }
        let mut set = PortSet::none();
        for &pi in selecting {
            let policy = &self.cluster.policies[pi];
            for (ri, rule) in policy.rules(dir).iter().enumerate() {
                let peer_ok =
                    rule.peers.is_empty()
                        || rule.peers.iter().enumerate().any(|(k, p)| {
                            self.peer_matches(pi, dir, ri, k, p, other) != PeerMatch::No
                        });
                if peer_ok {
                    set.union_with(&self.rule_ports(rule, dst));
                    if set.is_all() {
                        return set;
                    }
                }
            }
        }
        set
    }

    /// What the ingress side of `to` alone allows from `from` (the source's egress is
    /// not asked): np-guard's question for its assumed ingress controller.
    pub fn ingress_connections(&self, from: Target, to: Target) -> PortSet {
        if from == to {
            return PortSet::all();
        }
        if self.cluster.has_tiers() {
            let np = match to {
                Target::Endpoint(i) if !self.selecting(i, Direction::Ingress).is_empty() => {
                    Some(self.side_set(Direction::Ingress, to, from, to))
                }
                _ => None,
            };
            return if self.cluster.calico.is_empty() {
                tiers::side_set(&self.cluster, Direction::Ingress, to, from, to, np)
            } else {
                tiers::calico::side_set(&self.cluster, Direction::Ingress, to, from, to, np)
            };
        }
        self.side_set(Direction::Ingress, to, from, to)
    }

    /// Every connection allowed from `from` to `to`: e.g. `TCP 80,443; UDP 53`.
    pub fn connections(&self, from: Target, to: Target) -> PortSet {
        if from == to {
            return PortSet::all();
        }
        if self.cluster.has_tiers() {
            let side_set = if self.cluster.calico.is_empty() {
                tiers::side_set
            } else {
                tiers::calico::side_set
            };
            let side = |dir, subject: Target, other| {
                let np = match subject {
                    Target::Endpoint(i) if !self.selecting(i, dir).is_empty() => {
                        Some(self.side_set(dir, subject, other, to))
                    }
                    _ => None,
                };
                side_set(&self.cluster, dir, subject, other, to, np)
            };
            return side(Direction::Egress, from, to).intersect(&side(
                Direction::Ingress,
                to,
                from,
            ));
        }
        let eg = self.side_set(Direction::Egress, from, to, to);
        if eg.is_empty() {
            return eg;
        }
        eg.intersect(&self.side_set(Direction::Ingress, to, from, to))
    }
}
