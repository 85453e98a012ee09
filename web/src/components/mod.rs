pub mod app;
pub mod cluster;
pub mod decision;
pub mod diagnostics;
pub mod editor;
pub mod lesson;
pub mod matrix;
pub mod notice;
pub mod query;
pub mod tabs;
pub mod toolbar;

use crate::state::Store;
use yew::prelude::*;

/// The store from the context the app provides.
#[hook]
pub fn use_store() -> Store {
    use_context::<Store>().expect("the app provides the store")
}
