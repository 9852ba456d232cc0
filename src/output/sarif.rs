//! SARIF 2.1.0 output, for GitHub code scanning and other SARIF viewers.
//!
//! One run: the driver lists every rule (not only those found), each finding is a result at its
//! region, and files that could not be checked are tool execution notifications. Columns are the
//! JSON format's (characters, end exclusive), so the run declares `columnKind: unicodeCodePoints`.

use std::path::Path;

use serde::Serialize;

use crate::finding::Severity;
use crate::rules::{self, RuleInfo};

use super::fixes::{LocatedFix, located_fixes};
use super::{Results, slash_path};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/mcp-lint/mcp-lint";

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    invocations: Vec<Invocation>,
    column_kind: &'static str,
    results: Vec<SarifResult>,
    /// The files read and their dialects, as the JSON format's `files`.
    properties: RunProperties,
}

#[derive(Serialize)]
struct RunProperties {
    files: Vec<super::json::FileRead>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: &'static str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<Location>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix>,
    properties: Properties,
}

/// A fix (SARIF 3.55): replacements of the file as read.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix {
    description: Text,
    artifact_changes: Vec<ArtifactChange>,
    properties: FixProperties,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: DeletedRegion,
    inserted_content: Text,
}

/// A region by line and column and by character offset, both in the run's `columnKind`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DeletedRegion {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
    char_offset: usize,
    char_length: usize,
}

#[derive(Serialize)]
struct FixProperties {
    applicability: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Properties {
    #[serde(skip_serializing_if = "Option::is_none")]
    server: Option<String>,
    fix_available: bool,
}

/// Renders all results as one SARIF 2.1.0 log.
pub fn render(results: &Results) -> String {
    let mut sarif_results = Vec::new();
    for report in &results.reports {
        let source = &report.source;
        let uri = artifact_uri(&source.path);
        let fixes = located_fixes(report);
        for (located, fix) in report.findings.iter().zip(fixes) {
            let finding = &located.finding;
            let start = source.lines.line_col(&source.text, located.primary.start);
            let end = source.lines.line_col(&source.text, located.primary.end);
            sarif_results.push(SarifResult {
                rule_id: finding.rule,
                rule_index: rules::ALL.iter().position(|rule| rule.info().id == finding.rule),
                level: level(finding.severity),
                message: Text {
                    text: finding.message.clone(),
                },
                locations: vec![Location {
                    physical_location: PhysicalLocation {
                        artifact_location: ArtifactLocation { uri: uri.clone() },
                        region: Some(Region {
                            start_line: start.line,
                            start_column: start.column,
                            end_line: Some(end.line),
                            end_column: Some(end.column),
                        }),
                    },
                }],
                fixes: fix.map(|fix| sarif_fix(fix, &uri)).into_iter().collect(),
                properties: Properties {
                    server: finding.server.clone(),
                    fix_available: finding.fix_available(),
                },
            });
        }
    }
    let notifications = results
        .failures
        .iter()
        .map(|failure| Notification {
            level: "error",
            message: Text {
                text: failure.message.clone(),
            },
            // A failure with no path (a lockfile that could not be written) has no location.
            locations: if failure.path.as_os_str().is_empty() {
                Vec::new()
            } else {
                vec![Location {
                    physical_location: PhysicalLocation {
                        artifact_location: ArtifactLocation {
                            uri: artifact_uri(&failure.path),
                        },
                        region: failure.position.map(|(line, column)| Region {
                            start_line: line,
                            start_column: column,
                            end_line: None,
                            end_column: None,
                        }),
                    },
                }]
            },
        })
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "mcp-lint",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: INFORMATION_URI,
                    rules: rules::ALL.iter().map(|rule| descriptor(rule.info())).collect(),
                },
            },
            invocations: vec![Invocation {
                execution_successful: results.failures.is_empty(),
                tool_execution_notifications: notifications,
            }],
            column_kind: "unicodeCodePoints",
            results: sarif_results,
            properties: RunProperties {
                files: super::json::files_read(results),
            },
        }],
    };
    let mut text = serde_json::to_string_pretty(&log).expect("internal error: SARIF output serialises");
    text.push('\n');
    text
}

fn sarif_fix(fix: LocatedFix, uri: &str) -> SarifFix {
    SarifFix {
        description: Text { text: fix.title },
        artifact_changes: vec![ArtifactChange {
            artifact_location: ArtifactLocation { uri: uri.to_owned() },
            replacements: fix
                .edits
                .into_iter()
                .map(|edit| Replacement {
                    deleted_region: DeletedRegion {
                        start_line: edit.line,
                        start_column: edit.column,
                        end_line: edit.end_line,
                        end_column: edit.end_column,
                        char_offset: edit.char_offset,
                        char_length: edit.char_length,
                    },
                    inserted_content: Text { text: edit.new_text },
                })
                .collect(),
        }],
        properties: FixProperties {
            applicability: fix.applicability.name(),
        },
    }
}

/// A rule's descriptor: its id, documentation and default level.
fn descriptor(info: &RuleInfo) -> ReportingDescriptor {
    let documentation = info.documentation();
    ReportingDescriptor {
        id: info.id,
        name: upper_camel_case(info.id),
        short_description: Text {
            text: info.summary.to_owned(),
        },
        full_description: Text {
            text: what_it_does(&documentation).unwrap_or_else(|| info.summary.to_owned()),
        },
        help: Help {
            text: documentation.clone(),
            markdown: documentation,
        },
        default_configuration: Configuration {
            level: level(info.default_severity),
        },
    }
}

/// SARIF's level for a severity.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// `unpinned-package` -> `UnpinnedPackage`.
fn upper_camel_case(id: &str) -> String {
    id.split('-')
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}

/// The first paragraph of the documentation's `## What it does` section, on one line.
fn what_it_does(documentation: &str) -> Option<String> {
    let mut lines = documentation
        .lines()
        .skip_while(|line| line.trim() != "## What it does");
    lines.next()?;
    let paragraph: Vec<&str> = lines
        .skip_while(|line| line.trim().is_empty())
        .take_while(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(str::trim)
        .collect();
    (!paragraph.is_empty()).then(|| paragraph.join(" "))
}

/// The path as a URI reference: relative paths stay relative (forward slashes, no leading `./`),
/// absolute ones become `file://` URIs; characters a URI cannot hold are percent-encoded.
fn artifact_uri(path: &Path) -> String {
    let shown = slash_path(path);
    if path.is_absolute() {
        let rooted = if shown.starts_with('/') {
            shown
        } else {
            format!("/{shown}")
        };
        format!("file://{}", percent_encode(&rooted, true))
    } else {
        percent_encode(&shown, false)
    }
}

/// Percent-encodes every byte that is not unreserved, a sub-delimiter, `/` or `@` (and `:` only
/// when `colon` allows it: in a relative reference a colon would read as a scheme).
fn percent_encode(text: &str, colon: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        let keep = byte.is_ascii_alphanumeric() || b"-._~/@!$&'()*+,;=".contains(&byte) || (colon && byte == b':');
        if keep {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_upper_camel_case() {
        assert_eq!(upper_camel_case("unpinned-package"), "UnpinnedPackage");
        assert_eq!(upper_camel_case("rbac-gap"), "RbacGap");
        assert_eq!(upper_camel_case("single"), "Single");
    }

    #[test]
    fn full_description_is_the_first_paragraph_of_what_it_does() {
        let docs = "## What it does\nFlags a thing\nover two lines.\n\nMore detail.\n\n## Why is this bad?\nBecause.";
        assert_eq!(what_it_does(docs).as_deref(), Some("Flags a thing over two lines."));
        assert_eq!(what_it_does("## Why is this bad?\nBecause."), None);
        for rule in rules::ALL {
            let info = rule.info();
            let text = what_it_does(&info.documentation());
            assert!(text.as_deref().is_some_and(|t| !t.is_empty()), "{}", info.id);
        }
    }

    #[test]
    fn uris_are_relative_with_forward_slashes_and_encoded() {
        assert_eq!(artifact_uri(Path::new("./a/.mcp.json")), "a/.mcp.json");
        assert_eq!(artifact_uri(Path::new("a b/100%.json")), "a%20b/100%25.json");
        assert_eq!(artifact_uri(Path::new("x:y/c\u{e9}.json")), "x%3Ay/c%C3%A9.json");
        #[cfg(unix)]
        assert_eq!(artifact_uri(Path::new("/tmp/a.json")), "file:///tmp/a.json");
    }

    #[test]
    fn levels() {
        assert_eq!(level(Severity::Error), "error");
        assert_eq!(level(Severity::Warning), "warning");
        assert_eq!(level(Severity::Info), "note");
    }
}
