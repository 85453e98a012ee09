//! The builder's mapping keys: duplicates and merge keys as kubectl reads them, and which keys start a pruned subtree.

use super::*;

impl<'l, 'h> Builder<'l, 'h> {
    pub(in crate::yaml) fn set_key(&mut self, pending: Pending) {
        if let Some(Frame {
            body: Body::Map { key, .. },
            ..
        }) = self.stack.last_mut()
        {
            *key = Some(pending);
        }
    }

    /// A key scalar: decides whether its entry is built (and what its value is read as).
    pub(in crate::yaml) fn key(
        &mut self,
        value: Cow<'_, str>,
        plain: bool,
        ty: ScalarType,
        span: Range<usize>,
        anchor: Option<String>,
    ) -> Result<bool, Stop> {
        let load = self.mode.load;
        let prune = self.mode.prune;
        let pruning_matters = self.pruning_matters();
        let in_root = self.stack.len() == 1;
        let streamed = self.streamed;
        let arena = &mut self.arena;
        let all_dropped = &self.dropped;
        let Some(Frame {
            ctx,
            body:
                Body::Map {
                    map,
                    key,
                    kind,
                    decided,
                    dropped,
                    ..
                },
            ..
        }) = self.stack.last_mut()
        else {
            return Ok(false);
        };
        if ty == ScalarType::Merge {
            if pruning_matters {
                return Err(Stop::Restart);
            }
            if load && in_root && streamed > 0 {
                return Err(Stop::Unstream);
            }
        }
        // The JSON key kubectl makes of it decides (the note comes with the value).
        let text: Cow<'_, str> = match ty {
            ScalarType::Str | ScalarType::Merge => Cow::Borrowed(&value),
            _ => match json_key(&value, ty) {
                Ok(k) => Cow::Owned(k),
                Err(_) => Cow::Borrowed(&value),
            },
        };
        let mut choice = if *ctx == Ctx::Drop {
            Child::Drop
        } else if ty == ScalarType::Merge {
            Child::Build(Ctx::All)
        } else if prune {
            child(*ctx, *kind, &text, load)
        } else if *ctx == Ctx::Object && load && &*text == "items" {
            Child::Build(Ctx::Items)
        } else {
            Child::Build(Ctx::All)
        };
        // A key met again keeps the choice made the first time.
        if choice == Child::Drop && map.find(&text).is_some() {
            choice = Child::Build(Ctx::All);
        } else if choice != Child::Drop
            && find_dropped(arena, all_dropped.get(*dropped..).unwrap_or(&[]), &text).is_some()
        {
            choice = Child::Drop;
        }
        if load && in_root && streamed > 0 && &*text == "items" {
            // A second `items` at the root after items were handed out: whatever its
            // value (a sequence, null, a scalar), it replaces them.
            return Err(Stop::Unstream);
        }
        if *ctx == Ctx::Object && &*text == "kind" {
            if *decided && prune {
                // Parts were pruned for the first `kind`: this one may say otherwise.
                return Err(Stop::Restart);
            }
            if *decided && load && in_root && streamed > 0 {
                // Unpruned, only the List items handed out may depend on it.
                return Err(Stop::Unstream);
            }
        } else if *ctx == Ctx::Object && *kind != Kind::Unknown && choice != Child::Build(Ctx::All)
        {
            *decided = true;
        }
        let pending = if choice == Child::Drop {
            let start = arena.len();
            arena.push_str(&value);
            Pending::Dropped {
                text: start..arena.len(),
                ty,
                span,
            }
        } else {
            let node = Node {
                kind: NodeKind::Scalar {
                    value: value.into_owned(),
                    plain,
                    ty,
                },
                span,
            };
            if let Some(a) = anchor {
                self.anchors.insert(a, node.clone());
            }
            Pending::Kept {
                key: node,
                child: choice,
            }
        };
        *key = Some(pending);
        Ok(false)
    }
}
