//! The fast reader (stub).

use super::*;

pub(super) enum Stop {
    Bail,
    Builder(build::Stop),
}

pub(super) fn eligible(_chunk: &str) -> bool {
    false
}

pub(super) fn read(
    _text: &str,
    _range: Range<usize>,
    _b: &mut Builder<'_, '_>,
) -> Result<(), Stop> {
    Err(Stop::Bail)
}
