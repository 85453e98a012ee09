//! The one module with `unsafe`: libyaml's event parser (unsafe-libyaml), driven over
//! one document; each `unsafe` block says why it holds.

use super::*;

pub(super) struct Parser {
    pub(super) sys: Box<std::mem::MaybeUninit<unsafe_libyaml::yaml_parser_t>>,
    pub(super) initialized: bool,
}

impl Drop for Parser {
    fn drop(&mut self) {
        if self.initialized {
            // SAFETY: the parser was initialized by yaml_parser_initialize.
            unsafe { unsafe_libyaml::yaml_parser_delete(self.sys.as_mut_ptr()) }
        }
    }
}

pub(super) unsafe fn c_str(ptr: *const u8) -> Option<String> {
    if ptr.is_null() {
        return None;
    }
    // SAFETY: libyaml hands out NUL-terminated strings.
    let s = unsafe { std::ffi::CStr::from_ptr(ptr.cast()) };
    Some(s.to_string_lossy().into_owned())
}

/// Parses one document: `range` of `text`. Returns the root (None when empty) or why it
/// stopped, with the notes made while building it. The nodes it builds (or had built when
/// it stopped) are taken from `budget`.
pub(super) fn parse_one<'l>(
    text: &'l str,
    range: Range<usize>,
    limits: &'l Limits,
    budget: &mut Budget,
    lines: &'l OnceCell<LineIndex>,
) -> (Result<Option<Node>, Failure>, Vec<Note>) {
    let chunk = text.get(range.clone()).unwrap_or_default();
    let (clean, boms) = without_boms(chunk);
    let bytes = clean.as_bytes();
    let mut parser = Parser {
        sys: Box::new(std::mem::MaybeUninit::uninit()),
        initialized: false,
    };
    let p = parser.sys.as_mut_ptr();
    // SAFETY: `p` points to owned, writable memory; the input outlives the parser.
    unsafe {
        if unsafe_libyaml::yaml_parser_initialize(p).fail {
            return (
                Err((
                    "the YAML parser could not start (out of memory)".into(),
                    range.start,
                    false,
                )),
                Vec::new(),
            );
        }
        parser.initialized = true;
        unsafe_libyaml::yaml_parser_set_encoding(p, unsafe_libyaml::YAML_UTF8_ENCODING);
        unsafe_libyaml::yaml_parser_set_input_string(p, bytes.as_ptr(), bytes.len() as u64);
    }
    let mut b = Builder {
        limits,
        base: range.start,
        boms,
        stack: Vec::new(),
        anchors: HashMap::new(),
        nodes: 0,
        aliased: 0,
        node_cap: limits.max_nodes.min(budget.nodes),
        alias_cap: budget.aliased,
        root: None,
        skip_depth: 0,
        skip_start: 0,
        notes: Notes {
            list: Vec::new(),
            text,
            lines,
        },
    };
    let result = build(p, bytes.len(), &mut b);
    budget.nodes = budget.nodes.saturating_sub(b.nodes);
    budget.aliased = budget.aliased.saturating_sub(b.aliased);
    (result.map(|()| b.root), b.notes.list)
}

/// Feeds the parser's events to the builder until the end of the first document (a `...`
/// marker ends it; kubectl reads nothing more of the chunk either).
pub(super) fn build(
    p: *mut unsafe_libyaml::yaml_parser_t,
    len: usize,
    b: &mut Builder<'_>,
) -> Result<(), Failure> {
    loop {
        let mut event = std::mem::MaybeUninit::<unsafe_libyaml::yaml_event_t>::uninit();
        let ev = event.as_mut_ptr();
        // SAFETY: parser initialized; event memory owned here and deleted below.
        let ok = unsafe { !unsafe_libyaml::yaml_parser_parse(p, ev).fail };
        if !ok {
            // SAFETY: the prefix struct is the documented way to read the error fields.
            let (problem, context, at, reader, value) = unsafe {
                let parser: &unsafe_libyaml::yaml_parser_t = &*p;
                let reader = parser.error == unsafe_libyaml::YAML_READER_ERROR;
                (
                    c_str(parser.problem.cast()),
                    c_str(parser.context.cast()),
                    // Reader errors (bad characters) carry a byte offset, not a mark.
                    if reader {
                        parser.problem_offset as usize
                    } else {
                        parser.problem_mark.index as usize
                    },
                    reader,
                    parser.problem_value,
                )
            };
            let mut message = problem.unwrap_or_else(|| "invalid YAML".into());
            if let Some(ctx) = context {
                message = format!("{message} ({ctx})");
            }
            if reader {
                if let Some(c) = u32::try_from(value).ok().and_then(char::from_u32) {
                    message = format!("{message}: U+{:04X} here (binary data?)", c as u32);
                }
            }
            return Err((format!("invalid YAML: {message}"), b.at(at.min(len)), false));
        }
        // SAFETY: yaml_parser_parse succeeded, so the event is initialized.
        let result = unsafe { handle_event(b, &*ev) };
        // SAFETY: the event was produced by yaml_parser_parse.
        unsafe { unsafe_libyaml::yaml_event_delete(ev) };
        match result {
            Ok(true) => return Ok(()),
            Ok(false) => {}
            Err(e) => return Err(e),
        }
    }
}

/// Returns Ok(true) at the end of the first document (or of the stream).
pub(super) unsafe fn handle_event(
    b: &mut Builder<'_>,
    ev: &unsafe_libyaml::yaml_event_t,
) -> Result<bool, Failure> {
    let start = b.at(ev.start_mark.index as usize);
    let end = b.at(ev.end_mark.index as usize);
    let too_deep =
        |max: usize| format!("nesting deeper than {max} levels; the document was not loaded");
    if b.skip_depth > 0 {
        match ev.type_ {
            unsafe_libyaml::YAML_SEQUENCE_START_EVENT
            | unsafe_libyaml::YAML_MAPPING_START_EVENT => {
                b.skip_depth += 1;
                if b.skip_depth + b.stack.len() > b.limits.max_depth {
                    return Err((too_deep(b.limits.max_depth), start, true));
                }
            }
            unsafe_libyaml::YAML_SEQUENCE_END_EVENT | unsafe_libyaml::YAML_MAPPING_END_EVENT => {
                b.skip_depth -= 1;
                if b.skip_depth == 0 {
                    b.nodes += 1;
                    let node = Node {
                        kind: NodeKind::Scalar {
                            value: String::new(),
                            plain: true,
                            ty: ScalarType::Null,
                        },
                        span: b.skip_start..end,
                    };
                    b.push(node, start)?;
                }
            }
            _ => {}
        }
        return Ok(false);
    }
    let collection = matches!(
        ev.type_,
        unsafe_libyaml::YAML_SEQUENCE_START_EVENT | unsafe_libyaml::YAML_MAPPING_START_EVENT
    );
    if collection {
        if let Some(Frame::Map { key: Some(k), .. }) = b.stack.last() {
            if k.text().is_some_and(|t| SKIPPED_KEYS.contains(&t)) {
                b.skip_depth = 1;
                b.skip_start = start;
                return Ok(false);
            }
        }
    }
    match ev.type_ {
        unsafe_libyaml::YAML_STREAM_END_EVENT | unsafe_libyaml::YAML_DOCUMENT_END_EVENT => {
            return Ok(true)
        }
        unsafe_libyaml::YAML_SCALAR_EVENT => {
            // SAFETY: the event is a scalar, so `data.scalar` is the active field.
            let (value, plain, anchor, tag) = unsafe {
                let s = &ev.data.scalar;
                let raw = std::slice::from_raw_parts(s.value, s.length as usize);
                (
                    String::from_utf8_lossy(raw).into_owned(),
                    s.style == unsafe_libyaml::YAML_PLAIN_SCALAR_STYLE,
                    c_str(s.anchor),
                    c_str(s.tag),
                )
            };
            let ty =
                resolve_tagged(tag.as_deref(), &value, plain).map_err(|m| (m, start, false))?;
            b.nodes += 1;
            let node = Node {
                kind: NodeKind::Scalar { value, plain, ty },
                span: start..end,
            };
            if let Some(a) = anchor {
                b.anchors.insert(a, node.clone());
            }
            b.push(node, start)?;
        }
        unsafe_libyaml::YAML_ALIAS_EVENT => {
            // SAFETY: alias event: `data.alias` is active.
            let name = unsafe { c_str(ev.data.alias.anchor) }.unwrap_or_default();
            let Some(target) = b.anchors.get(&name) else {
                return Err((format!("unknown anchor `{name}`"), start, false));
            };
            // Anchored nodes were built within the limits, so this recursion is shallow.
            let (count, depth) = target.measure();
            if b.stack.len() + depth > b.limits.max_depth {
                return Err((
                    format!(
                        "nesting deeper than {} levels through alias `{name}`; the document was not loaded",
                        b.limits.max_depth
                    ),
                    start,
                    true,
                ));
            }
            b.nodes += count;
            b.aliased += count;
            if b.aliased > b.alias_cap {
                return Err((
                    format!(
                        "the input copies more than {} YAML nodes through aliases (an alias bomb?); this document and the ones after it were not loaded",
                        b.limits.max_alias_nodes
                    ),
                    start,
                    true,
                ));
            }
            b.check_nodes(start)?;
            let mut node = target.clone();
            node.span = start..end;
            b.push(node, start)?;
        }
        unsafe_libyaml::YAML_SEQUENCE_START_EVENT | unsafe_libyaml::YAML_MAPPING_START_EVENT => {
            if b.stack.len() >= b.limits.max_depth {
                return Err((too_deep(b.limits.max_depth), start, true));
            }
            b.nodes += 1;
            // SAFETY: the active union field matches the event type.
            let anchor = unsafe {
                if ev.type_ == unsafe_libyaml::YAML_SEQUENCE_START_EVENT {
                    c_str(ev.data.sequence_start.anchor)
                } else {
                    c_str(ev.data.mapping_start.anchor)
                }
            };
            b.stack
                .push(if ev.type_ == unsafe_libyaml::YAML_SEQUENCE_START_EVENT {
                    Frame::Seq {
                        start,
                        items: Vec::new(),
                        anchor,
                    }
                } else {
                    Frame::Map {
                        start,
                        map: MapBuild::default(),
                        key: None,
                        anchor,
                    }
                });
        }
        unsafe_libyaml::YAML_SEQUENCE_END_EVENT | unsafe_libyaml::YAML_MAPPING_END_EVENT => {
            let frame = b.stack.pop();
            let (node, anchor) = match frame {
                Some(Frame::Seq {
                    start: s,
                    items,
                    anchor,
                }) => (
                    Node {
                        kind: NodeKind::Seq(items),
                        span: s..end,
                    },
                    anchor,
                ),
                Some(Frame::Map {
                    start: s,
                    map,
                    anchor,
                    ..
                }) => (
                    Node {
                        kind: NodeKind::Map(map.entries),
                        span: s..end,
                    },
                    anchor,
                ),
                None => return Ok(false),
            };
            if let Some(a) = anchor {
                b.anchors.insert(a, node.clone());
            }
            b.push(node, start)?;
        }
        _ => {}
    }
    Ok(false)
}
