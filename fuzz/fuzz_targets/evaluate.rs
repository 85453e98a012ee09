//! Loaded input through the evaluator: matrix, queries with explanations and suggested
//! fixes, connection sets.
#![no_main]

use std::net::IpAddr;

use libfuzzer_sys::fuzz_target;
use netpol::eval::PortQuery;
use netpol::{explain, Engine, Lang, QueryProtocol, Target};

const PROTOCOLS: [QueryProtocol; 4] = [
    QueryProtocol::TCP,
    QueryProtocol::UDP,
    QueryProtocol::SCTP,
    QueryProtocol::ICMP,
];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let loaded = netpol::load(&text);
    let cluster = &loaded.cluster;
    // The matrix is quadratic: keep the per-input work small so the fuzzer stays fast.
    if cluster.endpoints.len() > 24 {
        return;
    }
    let engine = Engine::new(cluster);
    let ip: IpAddr = [203, 0, 113, 9].into();
    let ports = [
        PortQuery::Number(80),
        PortQuery::Number(53),
        PortQuery::Number(0),
        PortQuery::Number(65535),
        PortQuery::Name("http".into()),
        PortQuery::Name(String::new()),
    ];
    for (i, port) in ports.iter().enumerate() {
        let _ = engine.matrix(PROTOCOLS[i % 4], port, &[ip]);
    }
    let mut targets: Vec<Target> = (0..cluster.endpoints.len().min(4))
        .map(Target::Endpoint)
        .collect();
    targets.push(Target::External(ip));
    // A pod address (assigned from 10.244.0.0/16), an outside one, IPv6, names.
    for text in ["10.244.0.1", "203.0.113.9", "::1", "a/b", "x"] {
        if let Ok(t) = engine.resolve(text) {
            targets.push(t);
        }
    }
    for &from in &targets {
        for &to in &targets {
            for (i, proto) in PROTOCOLS.iter().enumerate() {
                let port = &ports[i];
                let d = engine.query(from, to, *proto, Some(port));
                for f in netpol::fix::suggest(&engine, &d, from, to) {
                    let _ = explain::fix_title(&f, Lang::Es);
                }
                let _ = explain::explain(&d, Lang::En);
                let _ = explain::explain(&d, Lang::Es);
                let _ = explain::headline(&d, Lang::En);
            }
            let d = engine.query(from, to, QueryProtocol::TCP, None);
            let _ = explain::explain(&d, Lang::En);
            let _ = engine.connections(from, to).to_string();
        }
    }
});
