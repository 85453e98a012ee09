//! The reducer: each `Action` applied to the `State` (one place where the page's state changes).

use super::*;

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        let changed = match action {
            a @ (Action::Edited
            | Action::AppendDocument(..)
            | Action::ApplyEdit(..)
            | Action::Analyze
            | Action::Results(..)
            | Action::WorkerCrashed(..)
            | Action::Pin(..)
            | Action::Unpin
            | Action::RevertToBaseline
            | Action::Restored(..)) => s.on_text(a),
            a @ (Action::LoadExample(..)
            | Action::OpenLesson(..)
            | Action::RunRow(..)
            | Action::TogglePredict
            | Action::Predict(..)
            | Action::Check
            | Action::ShowHint
            | Action::ResetExercise
            | Action::SrcFetched(..)
            | Action::SrcReady(..)) => s.on_lesson(a),
            a => s.on_view(a),
        };
        if changed {
            Rc::new(s)
        } else {
            self
        }
    }
}

/// Each returns whether the state changed (`false`: the old `Rc` is kept, nothing renders).
impl State {
    /// The text, the worker's answers and the baseline.
    #[inline(always)]
    fn on_text(&mut self, action: Action) -> bool {
        let s = self;
        match action {
            Action::Edited => {
                s.revision += 1;
                s.share_link = None;
            }
            Action::AppendDocument(yaml) => {
                // Applied by the editor to its text as it is now (never a stale copy),
                // as one undoable edit, then analysed at once (`Editor::append`).
                let nonce = s.append.as_ref().map_or(1, |(n, _)| n.wrapping_add(1));
                s.append = Some((nonce, Rc::new(format!("---\n{yaml}"))));
            }
            Action::ApplyEdit(from, to, insert) => {
                if s.data_rev != s.revision {
                    return false;
                }
                let nonce = s.edit.as_ref().map_or(1, |e| e.0.wrapping_add(1));
                s.edit = Some((nonce, from, to, Rc::new(insert)));
            }
            Action::Analyze => {
                if s.requested == s.revision {
                    return false;
                }
                s.requested = s.revision;
            }
            Action::Results(r) => {
                if !s.accept(*r) {
                    return false;
                }
            }
            Action::WorkerCrashed(_) => {
                s.notice = Some(Notice {
                    kind: NoticeKind::Error,
                    text: crate::i18n::tr(s.lang).worker_crashed.into(),
                });
            }
            Action::Pin(text) => {
                let id = s.baseline.as_ref().map_or(1, |b| b.id + 1);
                s.baseline = Some(Rc::new(Baseline {
                    id,
                    text: Rc::new(text),
                }));
            }
            Action::Unpin => {
                s.baseline = None;
                if s.tab == Tab::Changes {
                    s.tab = Tab::Query;
                }
            }
            Action::RevertToBaseline => {
                if let Some(b) = s.baseline.clone() {
                    s.set_text(b.text.to_string());
                }
            }
            Action::Restored(r) => {
                let t = crate::i18n::tr(s.lang);
                s.pending_link = None;
                let (kind, text) = match r {
                    Ok(Some(shared)) => {
                        s.restore(shared.text, shared.query);
                        if let Some(text) = shared.baseline {
                            let id = s.baseline.as_ref().map_or(1, |b| b.id + 1);
                            s.baseline = Some(Rc::new(Baseline {
                                id,
                                text: Rc::new(editor_text(text)),
                            }));
                            s.tab = Tab::Changes;
                        }
                        (NoticeKind::Info, t.restored_link)
                    }
                    Ok(None) => return true,
                    Err(share::ShareError::TooBig) => (NoticeKind::Error, t.link_too_big),
                    Err(share::ShareError::Malformed) => (NoticeKind::Error, t.link_bad),
                };
                s.notice = Some(Notice {
                    kind,
                    text: text.into(),
                });
            }
            _ => return false,
        }
        true
    }

    /// Lessons, exercises and `#src=` files.
    #[inline(always)]
    fn on_lesson(&mut self, action: Action) -> bool {
        let s = self;
        match action {
            Action::LoadExample(i) => {
                s.load_example(i);
                s.nav += 1;
            }
            Action::OpenLesson(i) => s.load_example(i),
            Action::RunRow(i) => {
                if let Some(r) = s.lesson.as_ref().and_then(|l| l.rows.get(i)) {
                    s.query = row_query(r);
                    s.ran_rows.insert(i);
                }
            }
            Action::TogglePredict => {
                s.predict = !s.predict;
                s.predictions.clear();
            }
            Action::Predict(row, allowed) => {
                s.predictions.insert(row, allowed);
            }
            Action::Check => {
                s.checked = true;
                let solved = s.data.exercise.as_ref().is_some_and(|x| x.solved);
                if !solved {
                    s.hints = s.hints.max(1);
                }
            }
            Action::ShowHint => {
                let n = s
                    .lesson
                    .as_ref()
                    .and_then(|l| l.exercise.as_ref())
                    .map_or(0, |x| x.hints.len());
                s.hints = (s.hints + 1).min(n);
            }
            Action::ResetExercise => {
                if let Some(l) = s.lesson.clone() {
                    let start = match &s.src_lesson {
                        Some(src) => src.start.clone(),
                        None => examples::start_text(&l),
                    };
                    s.set_text(start);
                    s.restored_work = false;
                    s.checked = false;
                }
            }
            Action::SrcFetched(path, result) => {
                if s.src != Some(SrcStage::Fetch(path.clone())) {
                    return false;
                }
                match result {
                    Ok(text) => s.src = Some(SrcStage::Parse(ParseRequest { path, text })),
                    Err(e) => {
                        s.src = None;
                        s.notice = Some(Notice {
                            kind: NoticeKind::Error,
                            text: format!("`{path}`: {e}"),
                        });
                    }
                }
            }
            Action::SrcReady(result) => {
                let Some(SrcStage::Manifests { info, source }) = s.src.take() else {
                    return false;
                };
                match result {
                    Ok(start) => {
                        let src = SrcLesson {
                            id: info.id.clone(),
                            source,
                            start: start.clone(),
                        };
                        s.show_lesson(info, start, Some(src));
                        s.notice = None;
                    }
                    Err(e) => {
                        s.notice = Some(Notice {
                            kind: NoticeKind::Error,
                            text: e,
                        });
                    }
                }
            }
            _ => return false,
        }
        true
    }

    /// What the views show: language, theme, tabs, query, matrix, graph, steps.
    #[inline(always)]
    fn on_view(&mut self, action: Action) -> bool {
        let s = self;
        match action {
            Action::SetLang(l) => {
                // A notice of fixed words follows the language (e.g. a share link opened
                // in English, then the page switched to Spanish).
                if let Some(n) = &mut s.notice {
                    if let Some(t) = crate::i18n::retranslate(&n.text, s.lang, l) {
                        n.text = t.into();
                    }
                }
                s.lang = l;
            }
            Action::ToggleTheme => s.dark = !s.dark,
            Action::SetQuery(q) => {
                if s.steps.as_ref().is_some_and(|st| st.query != q) {
                    s.steps = None;
                }
                s.query = q;
                s.share_link = None;
            }
            Action::SetTab(t) => {
                let t = if s.embed { Tab::Lesson } else { t };
                if t != s.tab {
                    s.steps = None;
                }
                s.tab = t;
            }
            Action::StepThrough(query) => {
                let nonce = s.steps.as_ref().map_or(1, |st| st.nonce.wrapping_add(1));
                s.steps = Some(Stepping {
                    query,
                    at: 0,
                    nonce,
                });
            }
            Action::StepTo(n) => {
                let last = s
                    .data
                    .steps
                    .as_ref()
                    .map_or(0, |v| v.steps.len().saturating_sub(1));
                match s.steps.as_mut() {
                    Some(st) if st.at != n.min(last) => st.at = n.min(last),
                    _ => return false,
                }
            }
            Action::CloseSteps => {
                if s.steps.take().is_none() {
                    return false;
                }
            }
            Action::Select(start, end) => {
                let nonce = s.selection.map_or(1, |x| x.nonce.wrapping_add(1));
                s.selection = Some(Selection { start, end, nonce });
            }
            Action::Notice(n) => s.notice = n,
            Action::ShareLink(l) => s.share_link = l,
            Action::MatrixPort(p) => s.matrix_port = p,
            Action::MatrixFilter(f) => s.matrix_filter = f,
            Action::MatrixProtocol(p) => s.matrix_protocol = p,
            Action::OpenMatrix(port, protocol) => {
                s.matrix_port = port;
                s.matrix_protocol = protocol;
                s.tab = Tab::Matrix;
            }
            Action::MatrixPods(on) => s.matrix_pods = on,
            Action::GraphProtocol(p) => s.graph.protocol = p,
            Action::GraphPort(p) => s.graph.port = p,
            Action::GraphFocus(f) => {
                s.graph.focus = f;
                s.graph_ask = None;
            }
            Action::GraphNamespace(n) => s.graph.namespace = n,
            Action::GraphAsk(q) => s.graph_ask = q,
            Action::Cursor(pos) => {
                if s.trace == Some(pos) {
                    return false;
                }
                s.trace = Some(pos);
            }
            Action::ClearTrace => {
                if s.trace.take().is_none() {
                    return false;
                }
            }
            Action::AskInQuery(q) => {
                s.query = q;
                s.tab = Tab::Query;
                s.share_link = None;
            }
            Action::OpenCell(from, to) => {
                s.query = Query {
                    from,
                    to,
                    port: s.matrix_port.clone(),
                    protocol: s.matrix_protocol.clone(),
                };
                s.tab = Tab::Query;
            }
            _ => return false,
        }
        true
    }
}
