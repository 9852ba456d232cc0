//! The judged corpus: for files of `../shared/corpus`, `tests/corpus/judgement.toml` lists the
//! findings a reviewer who knows the file's client agrees with (`must`, each with its reason) and
//! the ones that would be wrong (`must_not`). Every finding mcp-lint reports on a judged file must
//! match a `must` entry; precision (right findings / all findings) must stay at or above 98%,
//! and recall (judged findings found / all judged findings, over every file, read or not) at or
//! above 95%. In-process through the harness.

use std::collections::BTreeMap;
use std::fs;

use clap::ValueEnum as _;
use mcp_lint::dialect::Dialect;
use mcp_lint::harness;
use mcp_lint::{Environment, Settings};
use serde::Deserialize;

use crate::common::{corpus, corpus_file_dialect, root};

/// The lowest precision the judged corpus may have.
const MIN_PRECISION: f64 = 0.98;
/// The share of judged findings (`must`, over every file, read or not) mcp-lint must find.
const MIN_RECALL: f64 = 0.95;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Judgement {
    file: Vec<JudgedFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JudgedFile {
    path: String,
    #[serde(default)]
    must: Vec<Expected>,
    #[serde(default)]
    must_not: Vec<Expected>,
}

/// One finding: its rule, its server (`-` for a file-level finding), optionally its line, and why.
#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct Expected {
    rule: String,
    server: String,
    line: Option<usize>,
    why: String,
}

impl Expected {
    fn matches(&self, found: &Found) -> bool {
        self.rule == found.rule && self.server == found.server && self.line.is_none_or(|line| line == found.line)
    }
}

#[derive(Debug)]
struct Found {
    rule: String,
    server: String,
    line: usize,
    message: String,
}

fn findings(relative: &str, dialect: &str) -> Vec<Found> {
    let path = corpus().join(relative);
    let bytes = fs::read(&path).expect("corpus file readable");
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let mut settings = Settings::defaults();
    settings.environment = Environment::from_vars([]);
    // `auto`: detected from the file, as a walk reads it (JSON embedded in YAML).
    settings.dialect = (dialect != "auto").then(|| Dialect::from_str(dialect, true).expect("a dialect"));
    let run = harness::run(&text, relative, &settings);
    let source = &run.outcome.results.reports;
    let lines = source.first().map(|report| &report.source);
    run.findings()
        .iter()
        .map(|located| Found {
            rule: located.finding.rule.to_owned(),
            server: located.finding.server.clone().unwrap_or_else(|| "-".into()),
            line: lines.map_or(0, |source| {
                source.lines.line_col(&source.text, located.primary.start).line
            }),
            message: located.finding.message.clone(),
        })
        .collect()
}

#[test]
#[ignore = "needs ../shared beside the repository"]
fn judged_corpus_precision() {
    let text = fs::read_to_string(root().join("tests/corpus/judgement.toml")).expect("judgement.toml");
    let judgement: Judgement = toml::from_str(&text).expect("judgement.toml parses");
    let corpus = corpus();
    let mut total = 0usize;
    let mut right = 0usize;
    let mut must = 0usize;
    let mut found_must = 0usize;
    let mut wrong: Vec<String> = Vec::new();
    let mut missed: Vec<String> = Vec::new();
    let mut per_rule: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for file in &judgement.file {
        assert!(corpus.join(&file.path).is_file(), "{}: no such corpus file", file.path);
        let found = findings(&file.path, corpus_file_dialect(&file.path));
        let mut used = vec![false; file.must.len()];
        for finding in &found {
            total += 1;
            let entry = per_rule.entry(finding.rule.clone()).or_default();
            entry.0 += 1;
            // A must entry with the finding's line first, then one without a line.
            let slot = (0..file.must.len())
                .filter(|&i| !used[i] && file.must[i].matches(finding))
                .min_by_key(|&i| file.must[i].line.is_none());
            if let Some(i) = slot {
                used[i] = true;
                right += 1;
                entry.1 += 1;
            } else {
                let why = file
                    .must_not
                    .iter()
                    .find(|e| e.matches(finding))
                    .map_or("not judged right".to_owned(), |e| format!("judged wrong: {}", e.why));
                wrong.push(format!(
                    "{}:{} {} [{}] {} ({why})",
                    file.path, finding.line, finding.rule, finding.server, finding.message
                ));
            }
        }
        for (i, expected) in file.must.iter().enumerate() {
            must += 1;
            if used[i] {
                found_must += 1;
            } else {
                missed.push(format!(
                    "{}: {} [{}]{} ({})",
                    file.path,
                    expected.rule,
                    expected.server,
                    expected.line.map(|l| format!(" line {l}")).unwrap_or_default(),
                    expected.why
                ));
            }
        }
    }
    let precision = if total == 0 { 1.0 } else { right as f64 / total as f64 };
    let recall = if must == 0 {
        1.0
    } else {
        found_must as f64 / must as f64
    };
    let files = judgement.file.len();
    println!(
        "judged corpus: {files} files, {total} findings, precision {:.1}% ({right}/{total}), recall {:.1}% ({found_must}/{must})",
        precision * 100.0,
        recall * 100.0
    );
    for (rule, (all, ok)) in &per_rule {
        println!("  {rule}: {ok}/{all} right");
    }
    for line in &wrong {
        println!("  wrong: {line}");
    }
    for line in &missed {
        println!("  missed: {line}");
    }
    assert!(total > 0, "the judged files produced no finding at all");
    assert!(
        recall >= MIN_RECALL,
        "recall {:.1}% is below {:.0}%:\n{}",
        recall * 100.0,
        MIN_RECALL * 100.0,
        missed.join("\n")
    );
    assert!(
        precision >= MIN_PRECISION,
        "precision {:.1}% is below {:.0}%:\n{}",
        precision * 100.0,
        MIN_PRECISION * 100.0,
        wrong.join("\n")
    );
}
