//! The audit report as JSON (`version: 1`): field names are a contract, documented in
//! docs/audit.md; fields are only ever added.

use serde::Serialize;

use crate::audit::Report;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    verdict_text: &'static str,
    #[serde(flatten)]
    report: &'a Report,
}

pub fn render(report: &Report) -> String {
    let document = Document {
        version: 1,
        verdict_text: report.verdict.label(),
        report,
    };
    let mut text = serde_json::to_string_pretty(&document).expect("internal error: the report serialises");
    text.push('\n');
    text
}
