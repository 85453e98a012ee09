use yew::prelude::*;

use super::{
    changes::ChangesView, cluster::ClusterView, graph::GraphView, lesson::Lesson,
    matrix::MatrixView, pin::pin_bar, query::QueryPanel, use_results,
};
use crate::i18n::{changes_tr, graph_tr, tr};
use crate::state::{Action, Tab};

/// The results side: Query, Graph, Matrix, Cluster, Lesson and Changes tabs, and the
/// baseline's pin.
#[component]
pub fn Tabs() -> Html {
    let store = use_results();
    let t = tr(store.lang);
    let tabs = [
        (Tab::Query, t.tab_query, "tab-query"),
        (Tab::Graph, graph_tr(store.lang).tab_graph, "tab-graph"),
        (Tab::Matrix, t.tab_matrix, "tab-matrix"),
        (Tab::Cluster, t.tab_cluster, "tab-cluster"),
        (Tab::Lesson, t.tab_lesson, "tab-lesson"),
        (Tab::Changes, changes_tr(store.lang).tab, "tab-changes"),
    ];
    let buttons: Html = tabs
        .iter()
        .map(|&(tab, label, id)| {
            let selected = store.tab == tab;
            let onclick = {
                let store = store.clone();
                Callback::from(move |_| store.dispatch(Action::SetTab(tab)))
            };
            html! {
                <button type="button" role="tab" id={id} class={classes!("tab", selected.then_some("active"))}
                    aria-selected={selected.to_string()} aria-controls="tabpanel" {onclick}>{ label }</button>
            }
        })
        .collect();
    let body = match store.tab {
        Tab::Query => html! { <QueryPanel /> },
        Tab::Matrix => html! { <MatrixView /> },
        Tab::Cluster => html! { <ClusterView /> },
        Tab::Lesson => html! { <Lesson /> },
        Tab::Graph => html! { <GraphView /> },
        Tab::Changes => html! { <ChangesView /> },
    };
    html! {
        <>
            <div class="tabs-row">
                <div class="tabs" role="tablist">{ buttons }</div>
                { pin_bar(&store) }
            </div>
            <div class="tabpanel" id="tabpanel" role="tabpanel">{ body }</div>
        </>
    }
}
