//! Suppress stage: what the project asks to leave out or weigh differently, applied to every
//! lint result before anything is fixed, counted or shown. Inline `mcp-lint: ignore[...]`
//! comments and mcp-lint.toml's `[[ignores]]` remove single findings and its `[severity]`
//! re-weighs them; rules left out by `--select`, `--ignore` or the config never run at all (see
//! [`Settings::rules`](super::settings::Settings)).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::project_config::{self, ProjectConfig};
use crate::rules::{Needs, Rule};

use super::directives;
use super::lint::FileReport;
use super::settings::Settings;

/// Applies the project's suppressions file by file and round by round, remembering which
/// `[[ignores]]` entries matched so that only the ones that never did are reported.
pub struct Suppressor<'a> {
    settings: &'a Settings,
    ignores: Option<IgnoreTracker<'a>>,
    /// The inline directives of each file as its last round applied them.
    directives: BTreeMap<PathBuf, Vec<directives::Applied>>,
}

impl<'a> Suppressor<'a> {
    pub fn new(settings: &'a Settings) -> Self {
        let ignores = settings
            .project
            .as_deref()
            .zip(settings.project_dir())
            .map(|(project, dir)| IgnoreTracker::new(project, dir));
        Self {
            settings,
            ignores,
            directives: BTreeMap::new(),
        }
    }

    /// Removes the ignored findings of `report` and applies the project's severities.
    pub fn apply(&mut self, report: &mut FileReport) {
        let applied = directives::apply(report);
        if applied.is_empty() {
            self.directives.remove(&report.source.path);
        } else {
            self.directives.insert(report.source.path.clone(), applied);
        }
        let Some(project) = self.settings.project.as_deref() else {
            return;
        };
        for located in &mut report.findings {
            let finding = &mut located.finding;
            // A disabled server's findings stay informational whatever the project says.
            if finding.server_disabled {
                continue;
            }
            if let Some(severity) = project.severity_for(finding.rule) {
                finding.severity = severity;
            }
        }
        if let Some(ignores) = &mut self.ignores {
            ignores.apply(report);
        }
    }

    /// One line per `[[ignores]]` entry that matched no finding in this run, for rules that ran
    /// (`registry_ran`: whether registry answers were there for the rules that need them).
    pub fn stale_ignores(&self, registry_ran: bool) -> Vec<String> {
        let rules: &[&dyn Rule] = &self.settings.rules;
        let locked = self.settings.locked;
        let ran = |id: &str| {
            rules.iter().any(|rule| {
                rule.info().id == id
                    && match rule.needs() {
                        Needs::File => true,
                        Needs::Registry => registry_ran,
                        Needs::Lock => locked,
                    }
            })
        };
        let mut stale = Vec::new();
        for (path, applied) in &self.directives {
            for entry in applied {
                let directive = &entry.directive;
                for (id, &used) in directive.rules.iter().zip(&entry.used) {
                    let place = format!("{}:{}", path.display(), directive.line);
                    if crate::rules::by_id(id).is_none() {
                        stale.push(format!(
                            "{place}: `mcp-lint: ignore[{id}]` names no rule (`mcp-lint rules` lists them)"
                        ));
                    } else if !used && ran(id) {
                        stale.push(format!(
                            "{place}: this ignore matches no finding: rule `{id}` on line {} (remove it if the finding is gone)",
                            directive.target
                        ));
                    }
                }
            }
        }
        if let Some(ignores) = &self.ignores {
            stale.extend(ignores.stale(&ran));
        }
        stale
    }
}

/// Removes the findings the `[[ignores]]` entries of `config` accept from every report and
/// returns one warning line per entry that matched nothing; see [`IgnoreTracker`].
pub fn apply_ignores(
    config: &ProjectConfig,
    config_dir: &Path,
    reports: &mut [FileReport],
    ran: &dyn Fn(&str) -> bool,
) -> Vec<String> {
    let mut tracker = IgnoreTracker::new(config, config_dir);
    for report in reports.iter_mut() {
        tracker.apply(report);
    }
    tracker.stale(ran)
}

/// Applies the `[[ignores]]` entries file by file, and remembers which entries accepted a
/// finding (in any file, in any fix round) for the warnings about entries that match nothing.
///
/// A finding is accepted when its rule and server equal an entry's, and its file, relative to
/// the directory of the config file, equals the entry's `file` or matches it as a glob. Report
/// paths may be relative to the working directory or absolute.
pub struct IgnoreTracker<'a> {
    config: &'a ProjectConfig,
    dir: PathBuf,
    used: Vec<bool>,
    file_seen: Vec<bool>,
}

impl<'a> IgnoreTracker<'a> {
    pub fn new(config: &'a ProjectConfig, config_dir: &Path) -> Self {
        Self {
            config,
            dir: project_config::normalize(config_dir),
            used: vec![false; config.ignores().len()],
            file_seen: vec![false; config.ignores().len()],
        }
    }

    /// Removes the findings of `report` that an entry accepts.
    pub fn apply(&mut self, report: &mut FileReport) {
        let ignores = self.config.ignores();
        if ignores.is_empty() {
            return;
        }
        let Some(relative) = project_config::relative_to(&self.dir, &report.source.path) else {
            return;
        };
        // The entries for this file by rule and server (the first one of a pair takes its
        // findings), so that each finding costs one lookup however many entries there are.
        let mut entries: HashMap<(&str, &str), usize> = HashMap::new();
        for (i, entry) in ignores.iter().enumerate() {
            if entry.matches_file(&relative) {
                self.file_seen[i] = true;
                entries.entry((entry.rule, entry.server.as_str())).or_insert(i);
            }
        }
        if entries.is_empty() {
            return;
        }
        let used = &mut self.used;
        report.findings.retain(|located| {
            let finding = &located.finding;
            let hit = finding
                .server
                .as_deref()
                .and_then(|server| entries.get(&(finding.rule, server)));
            if let Some(&i) = hit {
                used[i] = true;
            }
            hit.is_none()
        });
    }

    /// One warning line per entry that matched nothing (`path:LINE: this ignore matches no
    /// finding: ...`). No warning is given for an entry whose rule did not run (`ran` says which
    /// did: a rule left out by the config or the command line, or one that needs `--resolve` or
    /// `--locked`), or whose file was not among the reports (a run over some files says nothing
    /// about the others).
    pub fn stale(&self, ran: &dyn Fn(&str) -> bool) -> Vec<String> {
        let config = self.config;
        config
            .ignores()
            .iter()
            .enumerate()
            .filter(|&(i, entry)| !self.used[i] && self.file_seen[i] && ran(entry.rule))
            .map(|(_, entry)| {
                format!(
                    "{}:{}: this ignore matches no finding: rule `{}`, file `{}`, server `{}` (remove it if the finding is gone)",
                    config.path.display(),
                    entry.line,
                    entry.rule,
                    entry.file,
                    entry.server
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{self, LintContext};
    use crate::run::parse::SourceFile;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    const FIXTURE: &str = r#"{
  "servers": {
    "github": {
      "command": "docker",
      "args": ["run", "-i", "--rm", "ghcr.io/github/github-mcp-server"]
    },
    "files": {
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-filesystem", "/tmp"]
    }
  }
}
"#;

    fn lint_fixture(path: &Path) -> FileReport {
        write(path, FIXTURE);
        let parsed =
            crate::run::parse::parse(SourceFile::new(path, FIXTURE.to_owned()), None).expect("the fixture parses");
        crate::run::lint::lint(parsed, rules::ALL, &LintContext::default())
    }

    fn rules_and_servers(report: &FileReport) -> Vec<(&'static str, String)> {
        let mut found: Vec<(&'static str, String)> = report
            .findings
            .iter()
            .map(|l| (l.finding.rule, l.finding.server.clone().unwrap_or_default()))
            .collect();
        found.sort();
        found.dedup();
        found
    }

    #[test]
    fn apply_ignores_removes_the_finding_and_warns_about_unused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        let mut reports = vec![
            lint_fixture(&root.join(".vscode/mcp.json")),
            lint_fixture(&root.join("other/mcp.json")),
        ];
        let before = rules_and_servers(&reports[0]);
        assert!(before.contains(&("unpinned-image", "github".into())), "{before:?}");
        assert!(before.contains(&("unpinned-package", "files".into())), "{before:?}");

        let text = "\
[[ignores]]
rule = \"unpinned-image\"
file = \".vscode/mcp.json\"
server = \"github\"
reason = \"pinned by Renovate in the image build\"

[[ignores]]
rule = \"unpinned-package\"
file = \".vscode/mcp.json\"
server = \"github\"
reason = \"matches nothing: github is an image\"

[[ignores]]
rule = \"unpinned-package\"
file = \"not-linted/*.json\"
server = \"files\"
reason = \"the file is not in this run\"
";
        let config_path = root.join("mcp-lint.toml");
        write(&config_path, text);
        let config = ProjectConfig::load(&config_path).expect("valid");
        let warnings = apply_ignores(&config, root, &mut reports, &|id| config.rule_enabled(id));

        let mut expected = before.clone();
        expected.retain(|(rule, server)| !(*rule == "unpinned-image" && server == "github"));
        assert_eq!(rules_and_servers(&reports[0]), expected);
        // The same finding in another file stays.
        assert!(rules_and_servers(&reports[1]).contains(&("unpinned-image", "github".into())));
        assert_eq!(
            warnings,
            vec![format!(
                "{}:7: this ignore matches no finding: rule `unpinned-package`, file `.vscode/mcp.json`, server `github` (remove it if the finding is gone)",
                config_path.display()
            )]
        );
    }

    #[test]
    fn apply_ignores_matches_globs() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        let mut reports = vec![
            lint_fixture(&root.join("a/mcp.json")),
            lint_fixture(&root.join("b/c/mcp.json")),
        ];
        let text =
            "[[ignores]]\nrule = \"unpinned-package\"\nfile = \"**/mcp.json\"\nserver = \"files\"\nreason = \"r\"\n";
        let config = ProjectConfig::parse(&root.join("mcp-lint.toml"), text).expect("valid");
        let warnings = apply_ignores(&config, root, &mut reports, &|id| config.rule_enabled(id));
        assert!(warnings.is_empty(), "{warnings:?}");
        for report in &reports {
            assert!(!rules_and_servers(report).contains(&("unpinned-package", "files".into())));
            assert!(rules_and_servers(report).contains(&("unpinned-image", "github".into())));
        }
        // An unused ignore of a rule the config turns off is not reported.
        let text = format!(
            "ignore = [\"rbac-gap\"]\n{}",
            text.replace("unpinned-package", "rbac-gap")
        );
        let config = ProjectConfig::parse(&root.join("mcp-lint.toml"), &text).expect("valid");
        assert!(apply_ignores(&config, root, &mut reports, &|id| config.rule_enabled(id)).is_empty());
    }
}
