//! The truth table for one port (per pair of classes of endpoints: bitset rows and
//! columns, the tiers per class of what they read) and the set of allowed connections
//! of a pair (remembered per pair of classes).

#![allow(
    clippy::indexing_slicing,
    reason = "rows, columns and classes are numbered by the engine for these tables: a class index is below the number of classes, an endpoint index below the number of endpoints"
)]

use super::*;

/// What decides a side through the tiers, per class ([`tiers::matrix::TierSides`],
/// [`tiers::calico::matrix::CalicoSides`]).
trait Sides {
    /// The cells from source `i` come next.
    fn begin_row(&mut self, _i: usize) {}
    /// What stands for destination `j` in [`Sides::allows_key`] (by default `j`).
    fn key(&self, _dir: Direction, j: usize) -> usize {
        j
    }
    /// Whether one side allows `i -> j` (endpoints, `i != j`; `key` is `j`'s
    /// [`Sides::key`]), given the NetworkPolicy side's result.
    fn allows_key(&mut self, dir: Direction, i: usize, key: usize, iso: bool, ok: bool) -> bool;
}

impl Sides for tiers::matrix::TierSides<'_> {
    #[inline]
    fn allows_key(&mut self, dir: Direction, i: usize, j: usize, iso: bool, ok: bool) -> bool {
        tiers::matrix::TierSides::allows(self, dir, i, j, iso, ok)
    }
}

impl Sides for tiers::calico::matrix::CalicoSides<'_> {
    #[inline]
    fn begin_row(&mut self, i: usize) {
        tiers::calico::matrix::CalicoSides::begin_row(self, i)
    }
    #[inline]
    fn key(&self, dir: Direction, j: usize) -> usize {
        tiers::calico::matrix::CalicoSides::column(self, dir, j)
    }
    #[inline]
    fn allows_key(&mut self, dir: Direction, _i: usize, c: usize, iso: bool, ok: bool) -> bool {
        tiers::calico::matrix::CalicoSides::allows_column(self, dir, c, iso, ok)
    }
}

/// The cells between endpoint classes (`ke` of the `k` classes) through `sides`: each
/// side's NetworkPolicy result from the egress rows and ingress columns, then the tiers.
#[allow(clippy::too_many_arguments)]
fn fill_sides<S: Sides>(
    sides: &mut S,
    ke: usize,
    k: usize,
    reps: &[usize],
    others: &[Option<usize>],
    egress_rows: &[Option<Bitset>],
    cols: &[Bitset],
    col_id: &[usize],
    traffic: &[Option<Traffic>],
    cells: &mut [Cell],
) {
    let mut col_bit = vec![false; cols.len()];
    // Per column class: its destination, whether it receives the connection, its
    // ingress column and what stands for it in the two sides.
    let columns: Vec<(usize, bool, usize, usize, usize)> = (0..ke)
        .map(|cj| {
            let b = reps[cj];
            (
                b,
                traffic[b].is_some(),
                col_id[b],
                sides.key(Direction::Egress, b),
                sides.key(Direction::Ingress, b),
            )
        })
        .collect();
    for ci in 0..ke {
        let a = reps[ci];
        for (bit, col) in col_bit.iter_mut().zip(cols) {
            *bit = col.get(a);
        }
        let eg = egress_rows[a].as_ref();
        sides.begin_row(a);
        for (cj, &(b, receives, col, ek, ik)) in columns.iter().enumerate() {
            let (b, receives, col, ek, ik) = if ci == cj {
                // Two different members of the class (there may be none).
                match others[cj] {
                    Some(b) => (
                        b,
                        traffic[b].is_some(),
                        col_id[b],
                        sides.key(Direction::Egress, b),
                        sides.key(Direction::Ingress, b),
                    ),
                    None => continue,
                }
            } else {
                (b, receives, col, ek, ik)
            };
            cells[ci * k + cj] = if !receives {
                // The port does not resolve at the destination: unknown, as in `query`.
                None
            } else {
                Some(
                    sides.allows_key(
                        Direction::Egress,
                        a,
                        ek,
                        eg.is_some(),
                        eg.is_some_and(|r| r.get(b)),
                    ) && sides.allows_key(Direction::Ingress, a, ik, col != 0, col_bit[col]),
                )
            };
        }
    }
}

/// How many pairs of classes [`Engine::connections`] remembers (then it starts over).
pub const CONNECTION_MEMO: usize = 1 << 20;

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

    /// The truth table for one port and protocol over every endpoint (sorted by name),
    /// then the given external addresses: [`Engine::matrix_classes`], expanded.
    ///
    /// It agrees with [`Engine::query`] on every cell (a property test checks this).
    pub fn matrix(&self, protocol: QueryProtocol, port: &PortQuery, extra: &[IpAddr]) -> Matrix {
        self.matrix_classes(protocol, port, extra).expand()
    }

    /// The matrix's classes: the endpoint classes split by the port the queried name
    /// resolves to, each external address a class of its own (after them). Per endpoint
    /// its class; per class the target that stands for it, and a second one (a different
    /// endpoint of the same class) for the cells between two of its members.
    #[inline(always)]
    fn matrix_class_ids(
        &self,
        conns: &[Option<Conn>],
        extra: usize,
    ) -> (Vec<u32>, Vec<usize>, Vec<Option<usize>>) {
        let n = self.cluster.endpoints.len();
        let classes = self.classes();
        let mut class_of: Vec<u32> = Vec::with_capacity(n + extra);
        let mut reps: Vec<usize> = Vec::new();
        let mut others: Vec<Option<usize>> = Vec::new();
        let mut ids: std::collections::HashMap<(usize, Option<u16>), u32> = Default::default();
        for (i, conn) in conns.iter().enumerate().take(n) {
            let resolved = match conn {
                Some(Conn::Port(_, p)) => Some(*p),
                _ => None,
            };
            let key = (classes.class_of(i), resolved);
            let next = reps.len() as u32;
            let id = *ids.entry(key).or_insert(next);
            if id == next {
                reps.push(i);
                others.push(None);
            } else if let Some(o) = others.get_mut(id as usize) {
                o.get_or_insert(i);
            }
            class_of.push(id);
        }
        if reps.len() * 2 > n {
            // Classes that hardly group anything cost more than they save (the table is
            // expanded for output anyway): one class per endpoint.
            class_of = (0..n as u32).collect();
            reps = (0..n).collect();
            others = vec![None; n];
        }
        for x in 0..extra {
            class_of.push(reps.len() as u32);
            reps.push(n + x);
            others.push(None);
        }
        (class_of, reps, others)
    }

    /// The connection each target receives (a named port resolves per pod; None where
    /// it does not, or for port 0).
    #[inline(always)]
    fn received(
        &self,
        protocol: QueryProtocol,
        port: &PortQuery,
        targets: &[Target],
    ) -> Vec<Option<Conn>> {
        let c = &self.cluster;
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
        targets.iter().map(|t| conn_of(*t)).collect()
    }

    /// Egress rows (over endpoint destinations), per source: None where no policy
    /// isolates its egress.
    #[inline(always)]
    fn egress_rows(
        &self,
        protocol: QueryProtocol,
        port: &PortQuery,
        conns: &[Option<Conn>],
    ) -> Vec<Option<Bitset>> {
        let c = &self.cluster;
        let n = c.endpoints.len();
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
        egress_rows
    }

    /// Distinct ingress columns (over endpoint sources), and each destination's column.
    #[inline(always)]
    fn ingress_columns(&self, conns: &[Option<Conn>]) -> (Vec<Bitset>, Vec<usize>) {
        let c = &self.cluster;
        let n = c.endpoints.len();
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
        (cols, col_id)
    }

    /// The truth table for one port, per pair of classes of endpoints
    /// ([`Engine::classes`]; each external address is a class of its own): the cells
    /// between different endpoints depend only on their classes, so they are decided once
    /// per pair of classes. [`ClassMatrix::get`] gives any cell, [`ClassMatrix::expand`]
    /// the full [`Matrix`].
    ///
    /// Without cluster-scoped policies, a cell comes from bitsets: one egress row per
    /// source and one ingress column per destination, each an OR of precomputed peer
    /// sets, shared between endpoints that policies cannot tell apart. With
    /// AdminNetworkPolicy, BaselineAdminNetworkPolicy and ClusterNetworkPolicy, both sides
    /// then go through the tiers (decided per class of what the tiers read); with Calico,
    /// each pair of classes is decided by [`Engine::cell`] on two representatives.
    pub fn matrix_classes(
        &self,
        protocol: QueryProtocol,
        port: &PortQuery,
        extra: &[IpAddr],
    ) -> ClassMatrix {
        let c = &self.cluster;
        let n = c.endpoints.len();
        let mut targets: Vec<Target> = (0..n).map(Target::Endpoint).collect();
        targets.extend(extra.iter().map(|ip| Target::External(*ip)));
        let endpoints = targets.iter().map(|t| self.name(*t)).collect();
        let conns = self.received(protocol, port, &targets);
        // The classes, split by the port the queried name resolves to (a name no policy
        // names may still be asked); each external address a class of its own. Per class:
        // the target that stands for it, and a second one (a different endpoint of the
        // same class) for the cells between two of its members.
        let (class_of, reps, others) = self.matrix_class_ids(&conns, extra.len());
        let k = reps.len();
        let rep = |class: usize| reps[class];
        let other = |class: usize| others[class];
        let mut cells: Vec<Cell> = vec![None; k * k];
        // The pairs of classes: (row class, column class, source, destination), the two
        // different targets; a class of one member has no cell with itself.
        let pairs = |ci: usize, cj: usize| -> Option<(usize, usize)> {
            let a = rep(ci);
            let b = if ci == cj { other(cj)? } else { rep(cj) };
            Some((a, b))
        };

        let egress_rows = self.egress_rows(protocol, port, &conns);

        let (cols, col_id) = self.ingress_columns(&conns);

        // The cell from a target to itself: allowed where the port resolves (an address:
        // decided directly).
        let diagonal: Vec<Cell> = (0..targets.len())
            .map(|i| {
                if i < n {
                    conns[i].map(|_| true)
                } else {
                    self.cell(targets[i], targets[i], protocol, port)
                }
            })
            .collect();

        // AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy: each side's
        // NetworkPolicy result (from the rows and columns above) goes through the tiers,
        // decided once per class of endpoints the tiers cannot tell apart.
        let mut tiers = None;
        let traffic: Vec<Option<Traffic>> = conns[..n]
            .iter()
            .map(|conn| {
                conn.map(|conn| match conn {
                    Conn::Port(p, n) => Traffic::Port(p, n),
                    Conn::Icmp => Traffic::Icmp,
                })
            })
            .collect();
        let mut calico = None;
        // The endpoint classes (external addresses come after them).
        let ke = k - extra.len();
        let sides = if !c.calico.is_empty() {
            tiers::calico::matrix::CalicoSides::new(c, &class_of[..n], &reps[..ke], &traffic)
                .map(|s| calico = Some(s))
        } else if !c.cluster_policies.is_empty() {
            tiers::matrix::TierSides::new(c, &traffic).map(|t| tiers = Some(t))
        } else {
            Some(())
        };
        let full_row = Bitset::full(n);
        let mut col_bit = vec![false; cols.len()];
        if sides.is_some() && calico.is_none() && tiers.is_none() {
            // NetworkPolicy alone: the block of endpoint classes in one tight loop per
            // row (a cell is two lookups), then the few cells of external addresses.
            let col_rep: Vec<usize> = (0..ke).map(rep).collect();
            let col_of: Vec<usize> = col_rep.iter().map(|&b| col_id[b]).collect();
            for ci in 0..ke {
                let a = rep(ci);
                for (bit, col) in col_bit.iter_mut().zip(&cols) {
                    *bit = col.get(a);
                }
                let eg = egress_rows[a].as_ref().unwrap_or(&full_row);
                let row = &mut cells[ci * k..ci * k + ke];
                for ((cell, &b), &id) in row.iter_mut().zip(&col_rep).zip(&col_of) {
                    // Column 1: the destination cannot receive this connection (its port
                    // does not resolve): unknown, not denied.
                    *cell = (id != 1).then(|| eg.get(b) && col_bit[id]);
                }
                // Between two different members of the class (there may be none).
                row[ci] = other(ci).and_then(|b| {
                    let id = col_id[b];
                    (id != 1).then(|| eg.get(b) && col_bit[id])
                });
            }
        }
        // The tiers or Calico around the NetworkPolicy result: the block of endpoint
        // classes, then the few cells of external addresses.
        if let Some(s) = calico.as_mut() {
            fill_sides(
                s,
                ke,
                k,
                &reps,
                &others,
                &egress_rows,
                &cols,
                &col_id,
                &traffic,
                &mut cells,
            );
        } else if let Some(t) = tiers.as_mut() {
            fill_sides(
                t,
                ke,
                k,
                &reps,
                &others,
                &egress_rows,
                &cols,
                &col_id,
                &traffic,
                &mut cells,
            );
        }
        // What the tables did not decide, pair by pair: the cells of external addresses,
        // or every cell (Calico with cluster-scoped policies, or too many classes for
        // tables).
        let block = if sides.is_some() { ke } else { 0 };
        for ci in 0..k {
            for cj in 0..k {
                if ci < block && cj < block {
                    continue;
                }
                if let Some((a, b)) = pairs(ci, cj) {
                    cells[ci * k + cj] = self.cell(targets[a], targets[b], protocol, port);
                }
            }
        }
        ClassMatrix {
            port: port.clone(),
            protocol,
            endpoints,
            class_of,
            classes: k,
            cells,
            diagonal,
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
        if !self.has(from) || !self.has(to) {
            return PortSet::none();
        }
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

    /// What the egress side of `from` alone allows towards `to` (the destination's
    /// ingress is not asked).
    pub fn egress_connections(&self, from: Target, to: Target) -> PortSet {
        if !self.has(from) || !self.has(to) {
            return PortSet::none();
        }
        if from == to {
            return PortSet::all();
        }
        if self.cluster.has_tiers() {
            let np = match from {
                Target::Endpoint(i) if !self.selecting(i, Direction::Egress).is_empty() => {
                    Some(self.side_set(Direction::Egress, from, to, to))
                }
                _ => None,
            };
            return if self.cluster.calico.is_empty() {
                tiers::side_set(&self.cluster, Direction::Egress, from, to, to, np)
            } else {
                tiers::calico::side_set(&self.cluster, Direction::Egress, from, to, to, np)
            };
        }
        self.side_set(Direction::Egress, from, to, to)
    }

    /// Every connection allowed from `from` to `to`: e.g. `TCP 80,443; UDP 53`.
    ///
    /// Between two endpoints the set depends only on their classes ([`Engine::classes`]),
    /// so when the classes are fewer than half the endpoints it is computed once per pair
    /// of classes and remembered (up to [`CONNECTION_MEMO`] pairs, each distinct set
    /// once).
    pub fn connections(&self, from: Target, to: Target) -> PortSet {
        if !self.has(from) || !self.has(to) {
            return PortSet::none();
        }
        if from == to {
            return PortSet::all();
        }
        if let (Target::Endpoint(i), Target::Endpoint(j)) = (from, to) {
            let classes = self.classes();
            if classes.len() * 2 <= self.cluster.endpoints.len() {
                let key = (classes.class_of(i) as u32, classes.class_of(j) as u32);
                if let Some(set) = self.memo().get(key) {
                    return set.clone();
                }
                let set = self.connections_of(from, to);
                self.memo().insert(key, &set);
                return set;
            }
        }
        self.connections_of(from, to)
    }

    /// Every connection allowed from a member of class `from` to a different member of
    /// class `to` ([`Engine::classes`]); None when `from == to` and the class has one
    /// member (there is no such pair).
    pub fn class_connections(&self, from: usize, to: usize) -> Option<PortSet> {
        let classes = self.classes();
        let (a, b) = if from == to {
            classes.pair(from)?
        } else {
            (classes.representative(from), classes.representative(to))
        };
        (a < self.cluster.endpoints.len() && b < self.cluster.endpoints.len())
            .then(|| self.connections(Target::Endpoint(a), Target::Endpoint(b)))
    }

    fn memo(&self) -> std::sync::MutexGuard<'_, ConnectionMemo> {
        self.class_connections
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// [`Engine::connections`] computed (two different targets).
    fn connections_of(&self, from: Target, to: Target) -> PortSet {
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
