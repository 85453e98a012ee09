pub mod app;
pub mod changes;
pub mod cluster;
pub mod console;
pub mod course;
pub mod decision;
pub mod diagnostics;
pub mod editor;
pub mod exercise;
pub mod graph;
pub mod lesson;
pub mod matrix;
pub mod notice;
pub mod pin;
pub mod query;
pub mod steps;
pub mod tabs;
pub mod toolbar;
pub mod trace;

use crate::state::Store;
use yew::prelude::*;

/// The store from the context the app provides (changes on every keystroke).
#[hook]
#[allow(
    clippy::expect_used,
    reason = "`App` provides the context to every component, always"
)]
pub fn use_store() -> Store {
    use_context::<Store>().expect("the app provides the store")
}

/// The store as the results side sees it: a snapshot that only changes when something the
/// results depend on changes (analysis, query, tab, language, ...), not on every keystroke,
/// so typing in a large text does not re-render the results. Dispatching works as usual.
/// Equal while the app's memo keeps it (the token): yew 0.23's handles compare the state
/// they were cloned at, and a clone takes the newest, so every keystroke, debounce and
/// answer re-rendered the whole results side (at 5,000 pods, 10,000 picker options and
/// hundreds of problems, about 50 ms of the page's thread each time).
#[derive(Clone)]
pub struct ResultsStore(pub Store, pub std::rc::Rc<()>);

impl PartialEq for ResultsStore {
    fn eq(&self, other: &Self) -> bool {
        std::rc::Rc::ptr_eq(&self.1, &other.1)
    }
}

#[hook]
#[allow(
    clippy::expect_used,
    reason = "`App` provides the context to every component, always"
)]
pub fn use_results() -> Store {
    use_context::<ResultsStore>()
        .expect("the app provides the results store")
        .0
}
