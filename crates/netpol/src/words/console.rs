//! The simulated consoles' notes (`console::simulate`), English and Spanish.

use std::fmt::Display;

use super::services::outcome_word;
use super::Lang;
use crate::services::Outcome;

/// The row's verdict could not be evaluated (`error`: why, when known).
#[inline(always)]
pub(crate) fn not_evaluated(lang: Lang, error: Option<impl Display>) -> String {
    match (error, lang) {
        (Some(e), Lang::En) => {
            format!("not simulated: the API's verdict could not be evaluated ({e})")
        }
        (Some(e), Lang::Es) => {
            format!("sin simular: no se pudo evaluar el veredicto de la API ({e})")
        }
        (None, _) => lang
            .pick(
                "not simulated: the API's verdict could not be evaluated",
                "sin simular: no se pudo evaluar el veredicto de la API",
            )
            .to_string(),
    }
}

/// Some backends are allowed and some denied.
#[inline(always)]
pub(crate) fn partial(lang: Lang) -> String {
    lang.pick(
        "partial: some backends are allowed and some denied; a real client succeeds or times out depending on the backend it reaches (shown: a success)",
        "parcial: unos backends están permitidos y otros denegados; un cliente real funciona o agota el tiempo según el backend al que llegue (se muestra: éxito)",
    )
    .to_string()
}

/// A command the console does not simulate, and what the API says.
#[inline(always)]
pub(crate) fn not_simulated(lang: Lang, command: &str, outcome: Outcome) -> String {
    let says = outcome_word(outcome, lang).to_ascii_lowercase();
    match lang {
        Lang::En => format!("`{command}` is not simulated; the API says: {says}"),
        Lang::Es => format!("`{command}` no se simula; la API dice: {says}"),
    }
}

/// `nc -u` cannot see a dropped packet.
#[inline(always)]
pub(crate) fn udp_cannot_tell(lang: Lang) -> String {
    lang.pick(
        "`nc -u` cannot tell: UDP has no handshake, so nc reports success even when the policy drops the packet. Test UDP with a client that waits for an answer (for DNS: nslookup)",
        "`nc -u` no lo puede saber: UDP no tiene negociación, así que nc informa de éxito aunque la política descarte el paquete. Prueba UDP con un cliente que espere respuesta (para DNS: nslookup)",
    )
    .to_string()
}

/// A Service without endpoints.
#[inline(always)]
pub(crate) fn no_backends(lang: Lang) -> String {
    lang.pick(
        "no backends: kube-proxy rejects connections to a Service without endpoints",
        "sin backends: kube-proxy rechaza las conexiones a un servicio sin endpoints",
    )
    .to_string()
}

/// A page served by the ingress controller from the backends of Ingress `ingress`.
#[inline(always)]
pub(crate) fn through_ingress(lang: Lang, ingress: &str, outcome: Outcome) -> String {
    let word = outcome_word(outcome, lang).to_ascii_lowercase();
    match lang {
        Lang::En => format!("the page comes from the ingress controller, which forwards to the backends of `{ingress}`: {word}"),
        Lang::Es => format!("la página la sirve el controlador de ingress, que reenvía a los backends de `{ingress}`: {word}"),
    }
}
