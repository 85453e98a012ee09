//! Every label of the page in English and Spanish. Explanations of decisions come from
//! `netpol::explain`; lessons from the example files.

use netpol::Lang;

mod en;
mod es;

pub use en::EN;
pub use es::ES;

pub struct Tr {
    pub app_title: &'static str,
    pub tagline: &'static str,
    pub examples: &'static str,
    pub choose_example: &'static str,
    pub seed_group: &'static str,
    pub recipes_group: &'static str,
    pub language: &'static str,
    pub theme_to_dark: &'static str,
    pub theme_to_light: &'static str,
    pub copy_link: &'static str,
    pub link_copied: &'static str,
    pub link_ready: &'static str,
    pub link_too_big: &'static str,
    pub link_bad: &'static str,
    pub storage_bad: &'static str,
    pub storage_full: &'static str,
    pub restored_link: &'static str,
    pub dismiss: &'static str,
    pub editor: &'static str,
    pub open_file: &'static str,
    /// The editor's text as one multi-document YAML file: the button and its tooltip.
    pub download: &'static str,
    pub download_title: &'static str,
    pub download_zip: &'static str,
    pub download_zip_title: &'static str,
    pub file_bad: &'static str,
    pub editor_hint: &'static str,
    /// The editor's own words (hovers, completion, quick fixes, CodeMirror's phrases).
    pub ed: &'static EditorWords,
    pub diagnostics: &'static str,
    pub no_problems: &'static str,
    /// A diagnostic's severity as the Problems list shows it: error, warning, info.
    pub severities: [&'static str; 3],
    pub evaluated_in: &'static str,
    pub lines: &'static str,
    pub tab_query: &'static str,
    pub tab_matrix: &'static str,
    pub tab_cluster: &'static str,
    pub tab_lesson: &'static str,
    pub source: &'static str,
    pub destination: &'static str,
    pub port: &'static str,
    pub port_hint: &'static str,
    pub protocol: &'static str,
    pub ip_address: &'static str,
    pub ip_option: &'static str,
    pub egress_side: &'static str,
    pub ingress_side: &'static str,
    pub isolated_by: &'static str,
    pub allowed_by: &'static str,
    pub near_misses: &'static str,
    pub tier_chain: &'static str,
    pub tier_admin: &'static str,
    pub tier_np: &'static str,
    pub tier_baseline: &'static str,
    pub tier_default: &'static str,
    pub tier_calico: &'static str,
    pub step_default_allow: &'static str,
    pub decided_admin: &'static str,
    pub decided_np: &'static str,
    pub decided_baseline: &'static str,
    pub decided_default: &'static str,
    pub decided_calico: &'static str,
    pub matrix_expectations: &'static str,
    pub open_in_matrix: &'static str,
    pub not_isolated: &'static str,
    pub no_rule: &'static str,
    pub rule_allows: &'static str,
    pub not_applicable: &'static str,
    pub self_traffic: &'static str,
    pub notes: &'static str,
    pub in_words: &'static str,
    pub policy_click_hint: &'static str,
    pub how_to_allow: &'static str,
    pub add_fix: &'static str,
    /// A rule edit's title: `{name}` the policy, `{list}` the rule's path.
    pub edit_add_peer: &'static str,
    pub edit_add_port: &'static str,
    pub edit_select_namespace: &'static str,
    pub edit_port_note: &'static str,
    pub apply_edit: &'static str,
    pub edit_or_new: &'static str,
    pub cannot_evaluate: &'static str,
    /// A matrix cell whose port does not resolve at the destination.
    pub could_not_evaluate: &'static str,
    pub matrix_help: &'static str,
    pub matrix_too_big: &'static str,
    pub matrix_filter: &'static str,
    pub matrix_filter_hint: &'static str,
    pub matrix_no_match: &'static str,
    pub matrix_empty: &'static str,
    pub showing_first: &'static str,
    pub from_to: &'static str,
    pub namespaces: &'static str,
    pub endpoints: &'static str,
    pub policies: &'static str,
    /// The Cluster tab's exposure section (`netpol exposure`): heading, what it means,
    /// the mark of an exposure that is only possible.
    pub exposure: &'static str,
    pub exposure_hint: &'static str,
    pub exposure_may: &'static str,
    pub ingress_isolated: &'static str,
    pub egress_isolated: &'static str,
    pub not_isolated_badge: &'static str,
    pub selected_by: &'static str,
    pub labels: &'static str,
    pub ports: &'static str,
    pub none: &'static str,
    pub ip: &'static str,
    pub queries: &'static str,
    pub run: &'static str,
    pub expected: &'static str,
    pub api_verdict: &'static str,
    pub matches: &'static str,
    pub differs: &'static str,
    pub no_example: &'static str,
    pub command: &'static str,
    pub connection: &'static str,
    pub panic: &'static str,
    pub worker_crashed: &'static str,
    pub analysing: &'static str,
    pub console_title: &'static str,
    pub simulated: &'static str,
    pub api_column: &'static str,
    pub tutorial_recorded: &'static str,
    pub tutorial_claims: &'static str,
    pub agrees_with_tutorial: &'static str,
    pub show_recorded: &'static str,
    pub why_differs: &'static str,
    pub predict_mode: &'static str,
    pub predict_q: &'static str,
    pub predict_allowed: &'static str,
    pub predict_denied: &'static str,
    pub predict_right: &'static str,
    pub predict_wrong: &'static str,
    pub task: &'static str,
    pub goals: &'static str,
    pub rules: &'static str,
    pub hidden_goal: &'static str,
    pub check: &'static str,
    pub show_hint: &'static str,
    pub hint: &'static str,
    pub reset_exercise: &'static str,
    pub restored_work: &'static str,
    pub solved: &'static str,
    pub now_word: &'static str,
    pub manifest_errors: &'static str,
    pub exercises_group: &'static str,
    pub prev_step: &'static str,
    pub next_step: &'static str,
    /// The step-through view of a verdict (`components/steps.rs`).
    pub step_through: &'static str,
    pub steps_heading: &'static str,
    pub steps_close: &'static str,
    pub steps_keys: &'static str,
    pub steps_of: &'static str,
    pub steps_verdict: &'static str,
    pub steps_routed: &'static str,
    pub open_in_playground: &'static str,
    pub src_loading: &'static str,
    pub src_loaded: &'static str,
    pub no_such_lesson: &'static str,
    pub fetch_failed: &'static str,
    pub console_details: &'static str,
}

/// The editor's words. `{n}` is a count, `{list}` a list of names, `{name}` a name.
pub struct EditorWords {
    pub policy: &'static str,
    pub selects_none: &'static str,
    pub selects_one: &'static str,
    pub selects_many: &'static str,
    pub isolates: &'static str,
    pub isolates_nothing: &'static str,
    pub ingress_rule: &'static str,
    pub egress_rule: &'static str,
    pub peer: &'static str,
    pub allows_everything: &'static str,
    pub allows_from_none: &'static str,
    pub allows_from: &'static str,
    pub allows_to_none: &'static str,
    pub allows_to: &'static str,
    pub every_port: &'static str,
    pub on_ports: &'static str,
    pub matches_namespaces: &'static str,
    pub matches_no_namespace: &'static str,
    pub matches_none: &'static str,
    pub matches_one: &'static str,
    pub matches_many: &'static str,
    pub addresses: &'static str,
    pub addresses_except: &'static str,
    pub endpoint: &'static str,
    pub ingress_isolated_by: &'static str,
    pub egress_isolated_by: &'static str,
    pub ingress_open: &'static str,
    pub egress_open: &'static str,
    pub namespace: &'static str,
    pub namespace_pods: &'static str,
    pub and_more: &'static str,
    pub replace_with: &'static str,
    /// The quick fix of a `podSelector`-only peer meant for another namespace.
    pub fix_select_namespace: &'static str,
    /// The quick fix of a `namespaceSelector` on a label the namespace lacks.
    pub fix_use_name_label: &'static str,
    pub show_in_problems: &'static str,
    pub field: &'static str,
    pub value: &'static str,
    pub pod_label: &'static str,
    pub namespace_label: &'static str,
    pub namespace_name: &'static str,
    pub named_port: &'static str,
    /// CodeMirror's own phrases (search panel, folding, lint, completion); None: English.
    pub phrases: Option<&'static [(&'static str, &'static str)]>,
    /// The file tabs' words (`setWords` in web/editor/main.js), by key.
    pub files: &'static [(&'static str, &'static str)],
}

pub const EDITOR_EN: EditorWords = EditorWords {
    policy: "NetworkPolicy {name}",
    selects_none: "selects no pod",
    selects_one: "selects 1 pod: {list}",
    selects_many: "selects {n} pods: {list}",
    isolates: "isolates them for {list}",
    isolates_nothing: "isolates nothing (no policy type applies)",
    ingress_rule: "ingress rule {n} of {name}",
    egress_rule: "egress rule {n} of {name}",
    peer: "peer {n} of {name}",
    allows_everything: "allows every peer and address",
    allows_from_none: "allows from no pod now",
    allows_from: "allows from {n} pod(s): {list}",
    allows_to_none: "allows to no pod now",
    allows_to: "allows to {n} pod(s): {list}",
    every_port: "on every port",
    on_ports: "on ports: {list}",
    matches_namespaces: "matches namespaces: {list}",
    matches_no_namespace: "matches no namespace",
    matches_none: "matches no pod",
    matches_one: "matches 1 pod: {list}",
    matches_many: "matches {n} pods: {list}",
    addresses: "matches addresses in {name}",
    addresses_except: "matches addresses in {name} except {list}",
    endpoint: "{name}",
    ingress_isolated_by: "ingress: isolated by {list}",
    egress_isolated_by: "egress: isolated by {list}",
    ingress_open: "ingress: not isolated (everything allowed)",
    egress_open: "egress: not isolated (everything allowed)",
    namespace: "Namespace {name}",
    namespace_pods: "{n} pod(s): {list}",
    and_more: "and {n} more",
    replace_with: "Replace with `{name}`",
    fix_select_namespace: "Select namespace `{name}` in this peer",
    fix_use_name_label: "Select namespace `{name}` by `kubernetes.io/metadata.name`",
    show_in_problems: "Show in Problems",
    field: "field",
    value: "value",
    pod_label: "pod label",
    namespace_label: "namespace label",
    namespace_name: "namespace",
    named_port: "named port",
    phrases: None,
    files: &[
        ("files", "Files"),
        ("add", "New file"),
        ("close", "Close"),
        ("rename", "File name"),
        (
            "rename_hint",
            "double-click or F2 to rename, drag to reorder",
        ),
        ("untitled", "manifests.yaml"),
        ("new_file", "untitled.yaml"),
        ("confirm_close", "Close `{}`? Its text is not kept."),
        ("collapse", "Hide these files"),
        ("expand", "Show these files"),
        ("problems", "problems"),
    ],
};

pub const EDITOR_ES: EditorWords = EditorWords {
    policy: "NetworkPolicy {name}",
    selects_none: "no selecciona ningún pod",
    selects_one: "selecciona 1 pod: {list}",
    selects_many: "selecciona {n} pods: {list}",
    isolates: "los aísla para {list}",
    isolates_nothing: "no aísla nada (no se aplica ningún tipo de política)",
    ingress_rule: "regla de ingress {n} de {name}",
    egress_rule: "regla de egress {n} de {name}",
    peer: "par {n} de {name}",
    allows_everything: "permite cualquier par y dirección",
    allows_from_none: "ahora no permite desde ningún pod",
    allows_from: "permite desde {n} pod(s): {list}",
    allows_to_none: "ahora no permite hacia ningún pod",
    allows_to: "permite hacia {n} pod(s): {list}",
    every_port: "en todos los puertos",
    on_ports: "en los puertos: {list}",
    matches_namespaces: "coincide con los namespaces: {list}",
    matches_no_namespace: "no coincide con ningún namespace",
    matches_none: "no coincide con ningún pod",
    matches_one: "coincide con 1 pod: {list}",
    matches_many: "coincide con {n} pods: {list}",
    addresses: "coincide con las direcciones de {name}",
    addresses_except: "coincide con las direcciones de {name} salvo {list}",
    endpoint: "{name}",
    ingress_isolated_by: "ingress: aislado por {list}",
    egress_isolated_by: "egress: aislado por {list}",
    ingress_open: "ingress: no aislado (se permite todo)",
    egress_open: "egress: no aislado (se permite todo)",
    namespace: "Namespace {name}",
    namespace_pods: "{n} pod(s): {list}",
    and_more: "y {n} más",
    replace_with: "Cambiar por `{name}`",
    fix_select_namespace: "Seleccionar el namespace `{name}` en este peer",
    fix_use_name_label: "Seleccionar el namespace `{name}` por `kubernetes.io/metadata.name`",
    show_in_problems: "Ver en Problemas",
    field: "campo",
    value: "valor",
    pod_label: "etiqueta de pods",
    namespace_label: "etiqueta de namespaces",
    namespace_name: "namespace",
    named_port: "puerto con nombre",
    files: &[
        ("files", "Archivos"),
        ("add", "Archivo nuevo"),
        ("close", "Cerrar"),
        ("rename", "Nombre del archivo"),
        (
            "rename_hint",
            "doble clic o F2 para renombrar, arrastrar para ordenar",
        ),
        ("untitled", "manifests.yaml"),
        ("new_file", "sin-nombre.yaml"),
        ("confirm_close", "¿Cerrar `{}`? Su texto no se guarda."),
        ("collapse", "Ocultar estos archivos"),
        ("expand", "Mostrar estos archivos"),
        ("problems", "problemas"),
    ],
    phrases: Some(&[
        ("Find", "Buscar"),
        ("Replace", "Reemplazar"),
        ("next", "siguiente"),
        ("previous", "anterior"),
        ("all", "todas"),
        ("match case", "mayúsculas"),
        ("regexp", "expresión regular"),
        ("by word", "palabra completa"),
        ("replace", "reemplazar"),
        ("replace all", "reemplazar todo"),
        ("close", "cerrar"),
        ("current match", "coincidencia actual"),
        ("replaced $ matches", "$ coincidencias reemplazadas"),
        (
            "replaced match on line $",
            "coincidencia reemplazada en la línea $",
        ),
        ("on line", "en la línea"),
        ("Go to line", "Ir a la línea"),
        ("go", "ir"),
        ("Fold line", "Plegar línea"),
        ("Unfold line", "Desplegar línea"),
        ("folded code", "código plegado"),
        ("unfold", "desplegar"),
        ("to", "a"),
        ("Folded lines", "Líneas plegadas"),
        ("Diagnostics", "Diagnósticos"),
        ("No diagnostics", "Sin diagnósticos"),
        ("Completions", "Sugerencias"),
        ("Selection deleted", "Selección borrada"),
        ("Control character", "Carácter de control"),
    ]),
};

/// `template` with `{n}`, `{name}` and `{list}` filled in.
/// (One pass: a name that itself contains `{list}` stays as written.)
/// The label of a quick fix in the chosen language: a seed-trap fix names the namespace it
/// selects, a plain replacement quotes its text.
pub fn fix_label(t: &Tr, insert: &str, selects: Option<&(String, bool)>) -> String {
    match selects {
        Some((ns, false)) => fill(t.ed.fix_select_namespace, 0, ns, ""),
        Some((ns, true)) => fill(t.ed.fix_use_name_label, 0, ns, ""),
        None => fill(t.ed.replace_with, 0, insert, ""),
    }
}

pub fn fill(template: &str, n: usize, name: &str, list: &str) -> String {
    let mut out = String::with_capacity(template.len() + name.len() + list.len());
    let mut rest = template;
    while let Some((head, tail)) = rest.split_once('{') {
        out.push_str(head);
        rest = if let Some(after) = tail.strip_prefix("n}") {
            out.push_str(&n.to_string());
            after
        } else if let Some(after) = tail.strip_prefix("name}") {
            out.push_str(name);
            after
        } else if let Some(after) = tail.strip_prefix("list}") {
            out.push_str(list);
            after
        } else {
            out.push('{');
            tail
        };
    }
    out.push_str(rest);
    out
}

/// A notice of fixed words in `from`, the same notice in `to` (None for a notice that
/// quotes something: a path, an error).
pub fn retranslate(text: &str, from: Lang, to: Lang) -> Option<&'static str> {
    const FIXED: [fn(&Tr) -> &'static str; 8] = [
        |t| t.restored_link,
        |t| t.link_bad,
        |t| t.link_too_big,
        |t| t.link_copied,
        |t| t.storage_full,
        |t| t.storage_bad,
        |t| t.worker_crashed,
        |t| t.file_bad,
    ];
    FIXED
        .iter()
        .find(|f| f(tr(from)) == text)
        .map(|f| f(tr(to)))
}

pub fn tr(lang: Lang) -> &'static Tr {
    match lang {
        Lang::En => &EN,
        Lang::Es => &ES,
    }
}

/// The Graph tab's labels, and the workload Matrix's (issue 13).
pub struct GraphTr {
    pub tab_graph: &'static str,
    pub help: &'static str,
    pub connections: &'static str,
    pub all_ports: &'static str,
    /// On an edge: every connection.
    pub all: &'static str,
    pub one_pod: &'static str,
    pub pods: &'static str,
    pub replicas: &'static str,
    pub unknown_node: &'static str,
    pub any_address: &'static str,
    pub outside: &'static str,
    pub ingress_controller: &'static str,
    pub namespace: &'static str,
    pub all_namespaces: &'static str,
    pub too_big: &'static str,
    pub empty: &'static str,
    pub no_edges: &'static str,
    pub showing: &'static str,
    pub workloads: &'static str,
    pub focus_on: &'static str,
    pub clear_focus: &'static str,
    pub focus_hint: &'static str,
    pub ins: &'static str,
    pub outs: &'static str,
    pub selected_ingress: &'static str,
    pub selected_egress: &'static str,
    pub no_policy: &'static str,
    pub its_pods: &'static str,
    pub export_svg: &'static str,
    pub export_png: &'static str,
    pub legend: &'static str,
    pub legend_workload: &'static str,
    pub legend_external: &'static str,
    pub legend_ingress: &'static str,
    pub legend_dns: &'static str,
    pub legend_ing_iso: &'static str,
    pub legend_eg_iso: &'static str,
    pub legend_allowed: &'static str,
    pub legend_denied: &'static str,
    pub legend_split: &'static str,
    /// Isolation marks on a node (text beside the icon).
    pub mark_in: &'static str,
    pub mark_out: &'static str,
    pub edge_title: &'static str,
    pub open_in_query: &'static str,
    pub close: &'static str,
    pub graph_label: &'static str,
    pub laid_out_in: &'static str,
    pub show_pods: &'static str,
    pub actual_size: &'static str,
    pub fit: &'static str,
    pub other_way: &'static str,
    pub matrix_workloads_help: &'static str,
    pub partial: &'static str,
    pub matrix_workloads_too_big: &'static str,
}

pub const GRAPH_EN: GraphTr = GraphTr {
    tab_graph: "Graph",
    help: "Who can talk to whom, by workload. Click an arrow for its explanation, a workload to focus on it.",
    connections: "Connections",
    all_ports: "All ports",
    all: "All",
    one_pod: "1 pod",
    pods: "pods",
    replicas: "replicas:",
    unknown_node: "no node named",
    any_address: "any address",
    outside: "outside the cluster",
    ingress_controller: "ingress controller",
    namespace: "Namespace",
    all_namespaces: "All namespaces",
    too_big: "Too many workloads or connections for a readable picture. Choose a namespace, or focus on one workload (pick it in the Matrix or the Query tab names), to draw part of it.",
    empty: "No pods or workloads in the manifests.",
    no_edges: "No connection is allowed between these workloads on this port.",
    showing: "Showing",
    workloads: "workloads",
    focus_on: "Focus on",
    clear_focus: "Show everything",
    focus_hint: "Only its connections in and out.",
    ins: "in",
    outs: "out",
    selected_ingress: "Policies that isolate its ingress",
    selected_egress: "Policies that isolate its egress",
    no_policy: "none (not isolated)",
    its_pods: "Pods",
    export_svg: "Export SVG",
    export_png: "Export PNG",
    legend: "Legend",
    legend_workload: "workload",
    legend_external: "addresses outside the cluster",
    legend_ingress: "ingress controller",
    legend_dns: "DNS",
    legend_ing_iso: "ingress isolated (a policy selects it)",
    legend_eg_iso: "egress isolated",
    legend_allowed: "allowed",
    legend_denied: "denied (a query asked)",
    legend_split: "pods differ",
    mark_in: "in",
    mark_out: "out",
    edge_title: "Why this connection",
    open_in_query: "Open in the Query tab",
    close: "Close",
    graph_label: "Connectivity graph",
    laid_out_in: "laid out in",
    show_pods: "Show pods",
    actual_size: "Actual size",
    fit: "Fit to the pane",
    other_way: "The other way",
    matrix_workloads_help: "Rows are source workloads, columns destinations, grouped by namespace. ~ means only some of the pods may connect. Click a cell for its explanation.",
    partial: "some pods",
    matrix_workloads_too_big: "Too many workloads for a readable matrix: showing the first 40 that match. Type in the filter to pick others.",
};

pub const GRAPH_ES: GraphTr = GraphTr {
    tab_graph: "Grafo",
    help: "Quién puede hablar con quién, por workload. Pulsa una flecha para ver su explicación, o un workload para centrarte en él.",
    connections: "Conexiones",
    all_ports: "Todos los puertos",
    all: "Todo",
    one_pod: "1 pod",
    pods: "pods",
    replicas: "réplicas:",
    unknown_node: "no hay ningún nodo llamado",
    any_address: "cualquier dirección",
    outside: "fuera del clúster",
    ingress_controller: "controlador de ingress",
    namespace: "Namespace",
    all_namespaces: "Todos los namespaces",
    too_big: "Demasiados workloads o conexiones para un dibujo legible. Elige un namespace, o céntrate en un workload, para dibujar una parte.",
    empty: "No hay pods ni workloads en los manifiestos.",
    no_edges: "No se permite ninguna conexión entre estos workloads en este puerto.",
    showing: "Se muestran",
    workloads: "workloads",
    focus_on: "Centrado en",
    clear_focus: "Mostrar todo",
    focus_hint: "Solo sus conexiones de entrada y de salida.",
    ins: "entran",
    outs: "salen",
    selected_ingress: "Políticas que aíslan su ingress",
    selected_egress: "Políticas que aíslan su egress",
    no_policy: "ninguna (no está aislado)",
    its_pods: "Pods",
    export_svg: "Exportar SVG",
    export_png: "Exportar PNG",
    legend: "Leyenda",
    legend_workload: "workload",
    legend_external: "direcciones fuera del clúster",
    legend_ingress: "controlador de ingress",
    legend_dns: "DNS",
    legend_ing_iso: "ingress aislado (una política lo selecciona)",
    legend_eg_iso: "egress aislado",
    legend_allowed: "permitida",
    legend_denied: "denegada (una consulta lo preguntó)",
    legend_split: "sus pods difieren",
    mark_in: "ent",
    mark_out: "sal",
    edge_title: "Por qué esta conexión",
    open_in_query: "Abrir en la pestaña Consulta",
    close: "Cerrar",
    graph_label: "Grafo de conectividad",
    laid_out_in: "dibujado en",
    show_pods: "Mostrar pods",
    actual_size: "Tamaño real",
    fit: "Ajustar al panel",
    other_way: "En sentido contrario",
    matrix_workloads_help: "Las filas son los workloads de origen y las columnas los de destino, agrupados por namespace. ~ significa que solo algunos de sus pods pueden conectar. Pulsa una celda para ver su explicación.",
    partial: "algunos pods",
    matrix_workloads_too_big: "Demasiados workloads para una matriz legible: se muestran los 40 primeros que coinciden. Escribe en el filtro para elegir otros.",
};

pub fn graph_tr(lang: Lang) -> &'static GraphTr {
    match lang {
        Lang::En => &GRAPH_EN,
        Lang::Es => &GRAPH_ES,
    }
}

impl Tr {
    /// Why a `#src=` path is refused.
    pub fn src_refused(&self, why: crate::links::Refused) -> &'static str {
        use crate::links::Refused::*;
        let en = std::ptr::eq(self, &EN);
        match (why, en) {
            (Empty, true) => "no path given",
            (Empty, false) => "no se indicó ninguna ruta",
            (NotRelative, true) => "refused: only a path relative to this site is allowed (no scheme, host or leading /)",
            (NotRelative, false) => "rechazada: solo se admite una ruta relativa a este sitio (sin esquema, servidor ni / inicial)",
            (Escapes, true) => "refused: `..`, `.` and empty segments are not allowed, the file must be inside this site's directory",
            (Escapes, false) => "rechazada: no se admiten segmentos `..`, `.` ni vacíos, el archivo tiene que estar dentro del directorio de este sitio",
            (Characters, true) => "refused: `?`, `#` and control characters are not allowed in the path",
            (Characters, false) => "rechazada: la ruta no puede llevar `?`, `#` ni caracteres de control",
        }
    }

    /// `3/14 seen`, `1/7 solved` (the course outline's group labels).
    pub fn progress(&self, done: usize, total: usize, solved: bool) -> String {
        let en = std::ptr::eq(self, &EN);
        match (solved, en) {
            (false, true) => format!("{done}/{total} seen"),
            (false, false) => format!("{done}/{total} vistos"),
            (true, true) => format!("{done}/{total} solved"),
            (true, false) => format!("{done}/{total} resueltos"),
        }
    }

    /// `3 of 5 goals met`.
    pub fn goals_met(&self, done: usize, total: usize) -> String {
        if std::ptr::eq(self, &EN) {
            format!("{done} of {total} goals met")
        } else {
            format!("{done} de {total} objetivos cumplidos")
        }
    }
}

/// "Pin as baseline": the Changes tab, and the marks of the Matrix and the Graph.
pub struct ChangesTr {
    pub tab: &'static str,
    pub pin: &'static str,
    pub repin: &'static str,
    pub unpin: &'static str,
    pub revert: &'static str,
    pub pinned: &'static str,
    pub pinned_short: &'static str,
    pub help: &'static str,
    pub unavailable: &'static str,
    pub objects: &'static str,
    pub pairs: &'static str,
    pub before: &'static str,
    pub after: &'static str,
    pub because: &'static str,
    pub egress: &'static str,
    pub ingress: &'static str,
    pub added: &'static str,
    pub removed: &'static str,
    pub changed: &'static str,
    /// Before a cell's baseline value in its tooltip.
    pub was: &'static str,
    pub allowed: &'static str,
    pub denied: &'static str,
    pub partial: &'static str,
    pub unknown: &'static str,
    pub absent: &'static str,
    pub since: &'static str,
    pub nothing: &'static str,
}

pub const CHANGES_EN: ChangesTr = ChangesTr {
    tab: "Changes",
    pin: "Pin as baseline",
    repin: "Pin again",
    unpin: "Unpin",
    revert: "Restore baseline",
    pinned: "Baseline pinned: the Matrix and the Graph mark what your edits change.",
    pinned_short: "Baseline pinned",
    help: "Pin the current text as a baseline, then edit it: the Matrix and the Graph mark the connections your edits open, close or change, and this tab lists each one with the policy edits that cause it.",
    unavailable: "the baseline is not loaded in the worker yet",
    objects: "Objects that differ",
    pairs: "Connections that differ, by workload",
    before: "Baseline",
    after: "Now",
    because: "Because",
    egress: "egress of the source",
    ingress: "ingress of the destination",
    added: "added",
    removed: "removed",
    changed: "changed",
    was: "baseline:",
    allowed: "allowed",
    denied: "denied",
    partial: "some pods",
    unknown: "unknown",
    absent: "not in the baseline",
    since: "Since the baseline",
    nothing: "No object differs from the baseline.",
};

pub const CHANGES_ES: ChangesTr = ChangesTr {
    tab: "Cambios",
    pin: "Fijar como referencia",
    repin: "Fijar de nuevo",
    unpin: "Quitar",
    revert: "Recuperar la referencia",
    pinned: "Referencia fijada: la Matriz y el Grafo marcan lo que cambian tus ediciones.",
    pinned_short: "Referencia fijada",
    help: "Fija el texto actual como referencia y edítalo: la Matriz y el Grafo marcan las conexiones que tus ediciones abren, cierran o cambian, y esta pestaña las enumera con los cambios de políticas que las causan.",
    unavailable: "la referencia aún no está cargada en el worker",
    objects: "Objetos que difieren",
    pairs: "Conexiones que difieren, por workload",
    before: "Referencia",
    after: "Ahora",
    because: "Motivo",
    egress: "egress del origen",
    ingress: "ingress del destino",
    added: "nueva",
    removed: "eliminada",
    changed: "cambiada",
    was: "referencia:",
    allowed: "permitida",
    denied: "denegada",
    partial: "algunos pods",
    unknown: "desconocida",
    absent: "no estaba en la referencia",
    since: "Desde la referencia",
    nothing: "Ningún objeto difiere de la referencia.",
};

pub fn changes_tr(lang: Lang) -> &'static ChangesTr {
    match lang {
        Lang::En => &CHANGES_EN,
        Lang::Es => &CHANGES_ES,
    }
}

impl ChangesTr {
    /// A change of a connection (`added`, `removed`, `changed`) in words.
    pub fn change(&self, c: &str) -> &'static str {
        match c {
            "added" => self.added,
            "removed" => self.removed,
            _ => self.changed,
        }
    }

    /// A matrix cell's value (`allowed`, ..., `absent`) in words.
    pub fn cell(&self, c: &str) -> &'static str {
        match c {
            "allowed" => self.allowed,
            "denied" => self.denied,
            "partial" => self.partial,
            "absent" => self.absent,
            _ => self.unknown,
        }
    }

    /// `… and 12 more pairs`.
    pub fn more(&self, n: usize) -> String {
        if std::ptr::eq(self, &CHANGES_EN) {
            format!("… and {n} more pairs (netpol diff --by workload lists them all)")
        } else {
            format!("… y {n} pares más (netpol diff --by workload los enumera todos)")
        }
    }
}

/// A connection set in `connlist`'s words (`TCP 80,443; UDP 53`), the two whole-set
/// words translated.
pub fn connections(set: &netpol::PortSet, lang: Lang) -> String {
    match lang {
        Lang::Es if set.is_all() => "Todas las conexiones".into(),
        Lang::Es if set.is_empty() => "Ninguna conexión".into(),
        _ => set.to_string(),
    }
}

/// The trace of the editor's policy, rule or peer (Graph and Matrix tabs, issue 13).
pub struct TraceTr {
    /// Shown when nothing is traced.
    pub hint: &'static str,
    pub tracing: &'static str,
    pub whole_policy: &'static str,
    pub needed: &'static str,
    pub redundant: &'static str,
    pub nothing: &'static str,
    pub blocked: &'static str,
    pub connections: &'static str,
    pub clear: &'static str,
    pub show: &'static str,
    /// The legend of a marked edge or cell.
    pub legend: &'static str,
    /// The trace's connections are not drawn for the port chosen.
    pub not_drawn: &'static str,
    pub not_shown: &'static str,
}

pub const TRACE_EN: TraceTr = TraceTr {
    hint: "Put the cursor in a NetworkPolicy, one of its rules or a peer: every connection it allows is marked here.",
    tracing: "Tracing",
    whole_policy: "the whole policy",
    needed: "needed",
    redundant: "redundant",
    nothing: "matches nothing",
    blocked: "blocked elsewhere",
    connections: "Its connections, by workload",
    clear: "Clear",
    show: "Show in the editor",
    legend: "allowed by the traced rule",
    not_drawn: "None of its connections is on this graph (another port, or outside the filter).",
    not_shown: "None of its connections is in the cells shown (another port, or outside the filter).",
};

pub const TRACE_ES: TraceTr = TraceTr {
    hint: "Coloca el cursor en una NetworkPolicy, en una de sus reglas o en un peer: aquí se marca cada conexión que permite.",
    tracing: "Trazando",
    whole_policy: "toda la política",
    needed: "necesaria",
    redundant: "redundante",
    nothing: "no selecciona nada",
    blocked: "bloqueado en otro lugar",
    connections: "Sus conexiones, por workload",
    clear: "Quitar",
    show: "Mostrar en el editor",
    legend: "permitida por la regla trazada",
    not_drawn: "Ninguna de sus conexiones está en este grafo (otro puerto, o fuera del filtro).",
    not_shown: "Ninguna de sus conexiones está en las celdas mostradas (otro puerto, o fuera del filtro).",
};

pub fn trace_tr(lang: Lang) -> &'static TraceTr {
    match lang {
        Lang::En => &TRACE_EN,
        Lang::Es => &TRACE_ES,
    }
}

impl TraceTr {
    /// `marks 3 connections` in the view (`n` marked of `total` flows).
    pub fn marked(&self, n: usize) -> String {
        match (std::ptr::eq(self, &TRACE_EN), n) {
            (true, 1) => "1 connection marked".into(),
            (true, n) => format!("{n} connections marked"),
            (false, 1) => "1 conexión marcada".into(),
            (false, n) => format!("{n} conexiones marcadas"),
        }
    }

    /// `… and 12 more`.
    pub fn more(&self, n: usize) -> String {
        if std::ptr::eq(self, &TRACE_EN) {
            format!("… and {n} more")
        } else {
            format!("… y {n} más")
        }
    }
}
