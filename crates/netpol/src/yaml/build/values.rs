//! The builder's scalar values: typed as YAML 1.1 resolves them, placed in their parent, limits counted.

use super::*;

impl<'l, 'h> Builder<'l, 'h> {
    /// A finished value (None: pruned) goes to its parent, or becomes the root. `at` is
    /// its input offset.
    pub(in crate::yaml) fn value(&mut self, node: Option<Node>, at: usize) -> Result<(), Stop> {
        if let Some(Node {
            kind:
                NodeKind::Scalar {
                    value,
                    ty: ScalarType::Float(f),
                    ..
                },
            span,
        }) = &node
        {
            if !f.is_finite() {
                return Err(Stop::Fail(non_finite(value, span.start)));
            }
        }
        let Some(top) = self.stack.last_mut() else {
            if self.root.is_none() {
                self.root = node;
            }
            self.check_nodes(at)?;
            return Ok(());
        };
        let top_ctx = top.ctx;
        match &mut top.body {
            Body::Seq { items, stream } => {
                if let Some(node) = node {
                    let streamable = *stream
                        && items.is_empty()
                        && node.as_map().is_some()
                        && (node.get("kind").is_some() || node.get("apiVersion").is_some())
                        && node.get("items").is_none();
                    if streamable {
                        self.streamed += 1;
                        if self.streamed > self.skip_items {
                            if let Some(hand) = self.stream.as_mut() {
                                hand(node);
                            }
                        }
                    } else {
                        *stream = false;
                        if top_ctx != Ctx::Drop {
                            items.push(node);
                        }
                    }
                }
            }
            Body::Map {
                map,
                key,
                kind,
                dropped,
                ..
            } => match key.take() {
                None => {}
                Some(Pending::Collection { at }) => {
                    return Err(Stop::Fail((
                        "kubectl cannot use a list or a mapping as a key (go-yaml: \"invalid map key\"), so it refuses this document".into(),
                        at,
                        false,
                    )));
                }
                Some(Pending::Kept { key: k, .. }) => {
                    let v = node.unwrap_or_else(|| Node {
                        kind: NodeKind::Scalar {
                            value: String::new(),
                            plain: true,
                            ty: ScalarType::Null,
                        },
                        span: at..at,
                    });
                    if top_ctx == Ctx::Object && k.text() == Some("kind") {
                        if let Some(t) = v.text() {
                            *kind = Kind::of(t);
                        }
                    }
                    insert(map, k, v, &mut self.notes)?;
                }
                Some(Pending::Dropped { text, ty, span }) => {
                    // The key's text is the arena's last (what was pushed after it is
                    // gone with the mappings that pushed it).
                    let mut text = text;
                    if !matches!(ty, ScalarType::Str | ScalarType::Merge) {
                        let raw = self.arena.get(text.clone()).unwrap_or_default().to_string();
                        let key = dropped_key(&raw, ty, &span, &mut self.notes)?;
                        self.arena.truncate(text.start);
                        self.arena.push_str(&key);
                        text = text.start..self.arena.len();
                    }
                    let key = self.arena.get(text.clone()).unwrap_or_default();
                    let arena = &self.arena;
                    let earlier = self
                        .dropped
                        .iter_mut()
                        .skip(*dropped)
                        .find(|(t, _)| arena.get(t.clone()) == Some(key));
                    match earlier {
                        Some((_, at)) => {
                            // The later key takes the entry's place (as `MapBuild::set`).
                            let earlier = std::mem::replace(at, span.clone());
                            let key = key.to_string();
                            self.notes.duplicate(&key, span, earlier);
                            self.arena.truncate(text.start);
                        }
                        None => self.dropped.push((text, span)),
                    }
                }
            },
        }
        self.check_nodes(at)?;
        Ok(())
    }
}
