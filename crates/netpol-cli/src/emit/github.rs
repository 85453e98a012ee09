//! `netpol lint --format github`: GitHub Actions workflow commands, one annotation per
//! diagnostic (`::error file=F,line=L,col=C,endLine=..,endColumn=..,title=CODE::message`);
//! info is `::notice`. Escaped as the Actions runner unescapes: in the message `%`, CR
//! and LF (`%25`, `%0D`, `%0A`); in a property also `:` and `,` (`%3A`, `%2C`).

use std::io::{self, Write};

use netpol::{Diagnostic, Severity};

use super::{Ctx, Emitter, Report};

pub struct Github;

/// A message: `%`, CR, LF escaped.
pub fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: as [`data`], and `:` and `,` too.
pub fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

impl Emitter for Github {
    fn reports(&self) -> &'static [Report] {
        &[Report::Lint]
    }

    fn diagnostics(
        &self,
        out: &mut dyn Write,
        diags: &[Diagnostic],
        ctx: &Ctx<'_>,
    ) -> io::Result<()> {
        for d in diags {
            let mut props = Vec::new();
            if let Some(r) = ctx.set.region(&d.location) {
                if r.file != "<stdin>" {
                    props.push(format!("file={}", property(r.file)));
                }
                props.push(format!("line={}", r.start.0));
                props.push(format!("col={}", r.start.1));
                props.push(format!("endLine={}", r.end.0));
                props.push(format!("endColumn={}", r.end.1));
            }
            props.push(format!("title={}", property(d.code)));
            let mut msg = d.message.clone();
            if let Some(p) = &d.path {
                msg.push_str(&format!(" [{p}]"));
            }
            if let Some(h) = &d.help {
                msg.push_str("\nhelp: ");
                msg.push_str(h);
            }
            writeln!(
                out,
                "::{} {}::{}",
                command(d.severity),
                props.join(","),
                data(&msg)
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{data, property};

    #[test]
    fn escapes_as_the_runner_unescapes() {
        assert_eq!(data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
