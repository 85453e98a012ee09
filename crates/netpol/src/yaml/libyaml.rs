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

/// Reads one document, `range` of `text`, with libyaml, feeding its events to `b`
/// (positions in the input).
pub(super) fn read_libyaml(
    text: &str,
    range: Range<usize>,
    b: &mut Builder<'_, '_>,
) -> Result<(), Stop> {
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
            return Err(Stop::Fail((
                "the YAML parser could not start (out of memory)".into(),
                range.start,
                false,
            )));
        }
        parser.initialized = true;
        unsafe_libyaml::yaml_parser_set_encoding(p, unsafe_libyaml::YAML_UTF8_ENCODING);
        unsafe_libyaml::yaml_parser_set_input_string(p, bytes.as_ptr(), bytes.len() as u64);
    }
    // The input offset of a libyaml mark.
    let base = range.start;
    let at = |index: usize| base + index + BOM.len() * boms.partition_point(|&p| p <= index);
    loop {
        let mut event = std::mem::MaybeUninit::<unsafe_libyaml::yaml_event_t>::uninit();
        let ev = event.as_mut_ptr();
        // SAFETY: parser initialized; event memory owned here and deleted below.
        let ok = unsafe { !unsafe_libyaml::yaml_parser_parse(p, ev).fail };
        if !ok {
            // SAFETY: the prefix struct is the documented way to read the error fields.
            let (problem, context, index, reader, value) = unsafe {
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
            return Err(Stop::Fail((
                format!("invalid YAML: {message}"),
                at(index.min(bytes.len())),
                false,
            )));
        }
        // SAFETY: yaml_parser_parse succeeded, so the event is initialized.
        let result = unsafe { event_of(&*ev, &at) }.map(|e| match e {
            Some(e) => b.event(e),
            None => Ok(false),
        });
        // SAFETY: the event was produced by yaml_parser_parse.
        unsafe { unsafe_libyaml::yaml_event_delete(ev) };
        match result {
            Ok(Ok(true)) => return Ok(()),
            Ok(Ok(false)) => {}
            Ok(Err(e)) | Err(e) => return Err(e),
        }
    }
}

/// A libyaml event as a builder [`Event`] (None for the stream and document starts).
unsafe fn event_of<'e>(
    ev: &'e unsafe_libyaml::yaml_event_t,
    at: &dyn Fn(usize) -> usize,
) -> Result<Option<Event<'e>>, Stop> {
    let start = at(ev.start_mark.index as usize);
    let end = at(ev.end_mark.index as usize);
    Ok(Some(match ev.type_ {
        unsafe_libyaml::YAML_STREAM_END_EVENT | unsafe_libyaml::YAML_DOCUMENT_END_EVENT => {
            Event::DocumentEnd
        }
        unsafe_libyaml::YAML_SCALAR_EVENT => {
            // SAFETY: the event is a scalar, so `data.scalar` is the active field.
            unsafe {
                let s = &ev.data.scalar;
                let raw = std::slice::from_raw_parts(s.value, s.length as usize);
                Event::Scalar {
                    value: String::from_utf8_lossy(raw),
                    plain: s.style == unsafe_libyaml::YAML_PLAIN_SCALAR_STYLE,
                    anchor: c_str(s.anchor),
                    tag: c_str(s.tag),
                    start,
                    end,
                }
            }
        }
        unsafe_libyaml::YAML_ALIAS_EVENT => Event::Alias {
            // SAFETY: alias event: `data.alias` is active.
            name: unsafe { c_str(ev.data.alias.anchor) }.unwrap_or_default(),
            start,
            end,
        },
        unsafe_libyaml::YAML_SEQUENCE_START_EVENT => Event::SeqStart {
            // SAFETY: the active union field matches the event type.
            anchor: unsafe { c_str(ev.data.sequence_start.anchor) },
            start,
        },
        unsafe_libyaml::YAML_MAPPING_START_EVENT => Event::MapStart {
            // SAFETY: the active union field matches the event type.
            anchor: unsafe { c_str(ev.data.mapping_start.anchor) },
            start,
        },
        unsafe_libyaml::YAML_SEQUENCE_END_EVENT | unsafe_libyaml::YAML_MAPPING_END_EVENT => {
            Event::CollectionEnd { start, end }
        }
        _ => return Ok(None),
    }))
}
