//! The builder's one entry for the reader's events: each event placed in the tree being built (what loading prunes is skipped, not built).

use super::*;

impl<'l, 'h> Builder<'l, 'h> {
    /// Handles one event; Ok(true) at the end of the document.
    pub(in crate::yaml) fn event(&mut self, ev: Event<'_>) -> Result<bool, Stop> {
        match ev {
            Event::DocumentEnd => Ok(true),
            Event::Scalar {
                value,
                plain,
                anchor,
                tag,
                start,
                end,
            } => self.scalar(value, plain, anchor, tag, start..end),
            Event::Alias { name, start, end } => self.alias(&name, start, end),
            Event::SeqStart { anchor, start } => self.collection_start(true, anchor, start),
            Event::MapStart { anchor, start } => self.collection_start(false, anchor, start),
            Event::CollectionEnd { start, end } => self.collection_end(start, end),
        }
    }

    /// A scalar: a key, a value built, or a value pruned (checked, not built).
    #[inline(always)]
    fn scalar(
        &mut self,
        value: Cow<'_, str>,
        plain: bool,
        anchor: Option<String>,
        tag: Option<String>,
        span: Range<usize>,
    ) -> Result<bool, Stop> {
        let (start, end) = (span.start, span.end);
        if anchor.is_some() && self.pruning_matters() {
            return Err(Stop::Restart);
        }
        let (ctx, is_key) = self.next_ctx();
        let pruned = ctx == Ctx::Drop && !is_key && !self.placeholder_next();
        // A pruned value only needs its type for what kubectl refuses: a bad tag,
        // an infinity or NaN (which start with `.`, `+` or `-`).
        let ty = if pruned
            && tag.is_none()
            && (!plain || !matches!(value.as_bytes().first(), Some(b'.' | b'+' | b'-')))
        {
            ScalarType::Str
        } else {
            resolve_tagged(tag.as_deref(), &value, plain).map_err(|m| (m, start, false))?
        };
        self.nodes += 1;
        if is_key {
            self.key(value, plain, ty, start..end, anchor)?;
            self.check_nodes(start)?;
            return Ok(false);
        }
        if pruned {
            // Checked as `value` would, not built.
            check_value(&value, ty, start)?;
            self.value(None, start)?;
            return Ok(false);
        }
        let node = Node {
            kind: NodeKind::Scalar {
                value: value.into_owned(),
                plain,
                ty,
            },
            span: start..end,
        };
        if let Some(a) = anchor {
            self.anchors.insert(a, node.clone());
        }
        self.value(Some(node), start)?;

        Ok(false)
    }

    /// An alias: a copy of the anchored node, within the depth and alias limits.
    #[inline(always)]
    fn alias(&mut self, name: &str, start: usize, end: usize) -> Result<bool, Stop> {
        if self.pruning_matters() {
            return Err(Stop::Restart);
        }
        let Some(target) = self.anchors.get(name) else {
            return Err(Stop::Fail((
                format!("unknown anchor `{name}`"),
                start,
                false,
            )));
        };
        // Anchored nodes were built within the limits, so this recursion is shallow.
        let (count, depth) = target.measure();
        if self.stack.len() + depth > self.limits.max_depth {
            return Err(Stop::Fail((
                format!(
                    "nesting deeper than {} levels through alias `{name}`; the document was not loaded",
                    self.limits.max_depth
                ),
                start,
                true,
            )));
        }
        self.nodes += count;
        self.aliased += count;
        if self.aliased > self.alias_cap {
            return Err(Stop::Fail((
                format!(
                    "the input copies more than {} YAML nodes through aliases (an alias bomb?); this document and the ones after it were not loaded",
                    self.limits.max_alias_nodes
                ),
                start,
                true,
            )));
        }
        self.check_nodes(start)?;
        let mut node = target.clone();
        node.span = start..end;
        if matches!(
            self.stack.last(),
            Some(Frame {
                body: Body::Map { key: None, .. },
                ..
            })
        ) {
            // An alias as a key: a key node like any other.
            return match node.kind {
                NodeKind::Scalar {
                    value, plain, ty, ..
                } => self.key(Cow::Owned(value), plain, ty, node.span, None),
                _ => {
                    self.set_key(Pending::Collection {
                        at: node.span.start,
                    });
                    self.check_nodes(start)?;
                    Ok(false)
                }
            };
        }
        self.value(Some(node), start)?;

        Ok(false)
    }

    /// The start of a sequence (`seq`) or a mapping.
    #[inline(always)]
    fn collection_start(
        &mut self,
        seq: bool,
        anchor: Option<String>,
        start: usize,
    ) -> Result<bool, Stop> {
        if anchor.is_some() && self.pruning_matters() {
            return Err(Stop::Restart);
        }
        if self.stack.len() >= self.limits.max_depth {
            return Err(Stop::Fail((too_deep(self.limits.max_depth), start, true)));
        }
        self.nodes += 1;
        let placeholder = self.placeholder_next();
        let (ctx, _) = self.next_ctx();
        let stream = seq
            && self.stream.is_some()
            && self.stack.len() == 1
            && ctx == Ctx::Items
            && matches!(
                self.stack.first(),
                Some(Frame {
                    body: Body::Map {
                        key: Some(Pending::Kept { key, .. }),
                        ..
                    },
                    ..
                }) if key.text() == Some("items")
            );
        if stream && self.streamed > 0 {
            // A second `items` at the root after items were handed out.
            return Err(Stop::Unstream);
        }
        let body = if seq {
            Body::Seq {
                items: Vec::new(),
                stream,
            }
        } else {
            Body::Map {
                map: MapBuild::default(),
                key: None,
                kind: Kind::Unknown,
                decided: false,
                dropped: self.dropped.len(),
                arena_mark: self.arena.len(),
            }
        };
        self.stack.push(Frame {
            start,
            anchor,
            ctx,
            placeholder,
            body,
        });

        Ok(false)
    }

    /// The end of the innermost collection: it becomes a value, a key or an anchor.
    #[inline(always)]
    fn collection_end(&mut self, start: usize, end: usize) -> Result<bool, Stop> {
        let Some(frame) = self.stack.pop() else {
            return Ok(false);
        };
        let span = frame.start..end;
        if let Body::Map {
            arena_mark,
            dropped,
            ..
        } = &frame.body
        {
            self.arena.truncate(*arena_mark);
            self.dropped.truncate(*dropped);
        }
        if matches!(
            self.stack.last(),
            Some(Frame {
                body: Body::Map { key: None, .. },
                ..
            })
        ) {
            // A collection as a key (refused with its value).
            if let Some(a) = frame.anchor {
                if let Body::Map { map, .. } = frame.body {
                    let node = Node {
                        kind: NodeKind::Map(map.entries),
                        span: span.clone(),
                    };
                    self.anchors.insert(a, node);
                } else if let Body::Seq { items, .. } = frame.body {
                    let node = Node {
                        kind: NodeKind::Seq(items),
                        span: span.clone(),
                    };
                    self.anchors.insert(a, node);
                }
            }
            self.set_key(Pending::Collection { at: span.start });
            self.check_nodes(start)?;
            return Ok(false);
        }
        if frame.placeholder {
            let node = Node {
                kind: NodeKind::Scalar {
                    value: String::new(),
                    plain: true,
                    ty: ScalarType::Null,
                },
                span,
            };
            self.value(Some(node), start)?;
            return Ok(false);
        }
        if frame.ctx == Ctx::Drop {
            self.value(None, start)?;
            return Ok(false);
        }
        let node = match frame.body {
            Body::Seq { items, .. } => Node {
                kind: NodeKind::Seq(items),
                span,
            },
            Body::Map { map, .. } => Node {
                kind: NodeKind::Map(map.entries),
                span,
            },
        };
        if let Some(a) = frame.anchor {
            self.anchors.insert(a, node.clone());
        }
        self.value(Some(node), start)?;

        Ok(false)
    }
}
