//! The audit report as JSON (`version: 1`): field names are a contract, documented in
//! docs/audit.md; fields are only ever added.

use serde::Serialize;

use crate::audit::{LEGEND, Report, Status};

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    verdict_text: &'static str,
    /// What each status means (the reference audit's legend).
    legend: Vec<LegendEntry>,
    #[serde(flatten)]
    report: &'a Report,
}

#[derive(Serialize)]
struct LegendEntry {
    status: Status,
    means: &'static str,
}

pub fn render(report: &Report) -> String {
    let document = Document {
        version: 1,
        verdict_text: report.verdict.label(),
        legend: LEGEND
            .iter()
            .map(|&(status, means)| LegendEntry { status, means })
            .collect(),
        report,
    };
    let mut text = serde_json::to_string_pretty(&document).expect("internal error: the report serialises");
    text.push('\n');
    text
}
