//! The Query tab's question (source, destination, port, protocol): state of the page,
//! carried by share links and localStorage.

use netpol::QueryProtocol;
use serde::{Deserialize, Serialize};

use crate::json;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Query {
    pub from: String,
    pub to: String,
    pub port: String,
    pub protocol: String,
}

impl Default for Query {
    fn default() -> Self {
        Query {
            from: String::new(),
            to: String::new(),
            port: "80".into(),
            protocol: "TCP".into(),
        }
    }
}

impl Query {
    /// `{"from":...,"to":...,"port":...,"protocol":...}` (share links, localStorage).
    pub fn to_json(&self) -> String {
        json::object(&[
            ("from", &self.from),
            ("to", &self.to),
            ("port", &self.port),
            ("protocol", &self.protocol),
        ])
    }

    /// An object with the four string fields (others are ignored).
    pub fn from_value(v: &json::Value) -> Option<Query> {
        Some(Query {
            from: v.str("from")?,
            to: v.str("to")?,
            port: v.str("port")?,
            protocol: v.str("protocol")?,
        })
    }

    pub fn from_json(text: &str) -> Option<Query> {
        Query::from_value(&json::parse(text)?)
    }

    pub fn protocol(&self) -> QueryProtocol {
        QueryProtocol::parse(&self.protocol).unwrap_or(QueryProtocol::TCP)
    }
}
