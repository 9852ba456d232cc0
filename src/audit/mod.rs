//! `mcp-lint audit`: the seven-dimension readiness report of an MCP gateway deployment, read
//! from its own files (LiteLLM config, Helm values, Kubernetes manifests, client configs, CI
//! workflows, `mcp-lint.lock`), every finding citing a file and line. Read-only and offline.
//!
//! The stages: [`deployment`] gathers and parses the inputs (reusing the check pipeline for the
//! MCP configs), each module of [`dimensions`] assesses one dimension into [`Observation`]s, and
//! [`score`] applies the rubric of `docs/audit.md`: a status per dimension, the verdict, the
//! moves, the risks and the roadmap. The renderers live in `output::audit`.

pub mod deployment;
pub mod dimensions;
pub mod score;

use std::path::PathBuf;

use serde::Serialize;

pub use deployment::Deployment;

/// The seven dimensions, in the report's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DimensionId {
    Governance,
    FailClosed,
    Onboarding,
    Observability,
    Routing,
    Secrets,
    Production,
}

impl DimensionId {
    pub const ALL: [DimensionId; 7] = [
        DimensionId::Governance,
        DimensionId::FailClosed,
        DimensionId::Onboarding,
        DimensionId::Observability,
        DimensionId::Routing,
        DimensionId::Secrets,
        DimensionId::Production,
    ];

    /// The dimension's number in the report (1-7).
    pub fn number(self) -> usize {
        Self::ALL.iter().position(|d| *d == self).map_or(0, |i| i + 1)
    }

    pub fn title(self) -> &'static str {
        match self {
            DimensionId::Governance => "Tool-access governance & RBAC",
            DimensionId::FailClosed => "Fail-closed behaviour",
            DimensionId::Onboarding => "MCP server onboarding",
            DimensionId::Observability => "Observability & tracing",
            DimensionId::Routing => "Multi-LLM routing & cost controls",
            DimensionId::Secrets => "Security, secrets & identity",
            DimensionId::Production => "Production readiness",
        }
    }
}

/// A dimension's status under the rubric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Green, production-grade: every control the files can show is in place and enforced.
    Pass,
    /// Yellow: the controls exist and have gaps (opt-in, incomplete), whatever their severity.
    Partial,
    /// Red: a control is absent or fails open.
    Absent,
    /// The files cannot show this dimension; what would be needed is said.
    NotAssessed,
}

impl Status {
    pub fn colour(self) -> &'static str {
        match self {
            Status::Pass => "green",
            Status::Partial => "yellow",
            Status::Absent => "red",
            Status::NotAssessed => "grey",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Pass => "production-grade",
            Status::Partial => "partial",
            Status::Absent => "absent or unsafe",
            Status::NotAssessed => "not assessed (static-only)",
        }
    }
}

/// What a gap says of its control, as the reference audit's legend reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum GapKind {
    /// The control exists (or is opt-in) and has gaps: partial.
    Partial,
    /// No effective control, or one that fails open (allows everything when empty, missing or
    /// broken): absent or unsafe.
    FailsOpen,
}

/// The legend of the statuses, printed under every gap matrix.
pub const LEGEND: [(Status, &str); 4] = [
    (
        Status::Pass,
        "production-grade: the control exists, is enforced and is verifiable",
    ),
    (Status::Partial, "partial: intent exists but has gaps"),
    (
        Status::Absent,
        "absent or unsafe: no effective control, or the control fails open",
    ),
    (
        Status::NotAssessed,
        "not assessed (static-only): the files cannot show it; what would be needed is said",
    ),
];

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Low,
    Medium,
    High,
    /// A gap an attacker or an ordinary fault turns into access beyond any grant (the reference
    /// audit's fail-open resolver).
    Critical,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// Risk reduction of fixing one finding of this severity, for ranking moves.
    pub fn weight(self) -> u32 {
        match self {
            Severity::Low => 1,
            Severity::Medium => 3,
            Severity::High => 9,
            Severity::Critical => 27,
        }
    }
}

/// The effort of a move: small (hours), medium (days), large (weeks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Effort {
    S,
    M,
    L,
}

impl Effort {
    pub fn cost(self) -> u32 {
        match self {
            Effort::S => 1,
            Effort::M => 3,
            Effort::L => 8,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Effort::S => "S",
            Effort::M => "M",
            Effort::L => "L",
        }
    }
}

/// Where a fact was read: a file and a 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Evidence {
    pub file: String,
    pub line: usize,
}

/// A check of the rubric (`docs/audit.md`): what it looks at, why it matters, and how to close it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Check {
    /// Stable id, as in docs/audit.md (`governance.tool-allowlist`).
    pub id: &'static str,
    pub dimension: DimensionId,
    /// What a gap of this check says of the control: that it has gaps, or that it is absent or
    /// fails open. The status follows this; the severity says how bad the gap is.
    pub kind: GapKind,
    /// What was looked at, in a few words.
    pub looks_at: &'static str,
    /// Why a gap matters.
    pub why: &'static str,
    /// The move that closes the gap, and its effort.
    pub remedy: &'static str,
    pub effort: Effort,
    /// Likelihood and impact of the risk a gap leaves, 1 (low) to 3 (high).
    pub likelihood: u8,
    pub impact: u8,
}

/// One thing the audit saw: a control in place (no severity) or a gap (with one).
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    pub check: &'static Check,
    /// None for a control in place; the gap's severity otherwise.
    pub severity: Option<Severity>,
    pub message: String,
    pub evidence: Option<Evidence>,
    /// The lint rule that reported it, when the finding comes from one.
    pub rule: Option<&'static str>,
    /// Whether `mcp-lint --fix --unsafe-fixes` closes it (the rule's finding carries a fix).
    pub fixable: bool,
    /// What this gap says of its control when it differs from its check's (a resolver that
    /// fails open to every server, where the check's usual gap is bounded).
    pub kind: Option<GapKind>,
}

impl Observation {
    pub fn gap(
        check: &'static Check,
        severity: Severity,
        message: impl Into<String>,
        evidence: Option<Evidence>,
    ) -> Self {
        Self {
            check,
            severity: Some(severity),
            message: message.into(),
            evidence,
            rule: None,
            fixable: false,
            kind: None,
        }
    }

    pub fn in_place(check: &'static Check, message: impl Into<String>, evidence: Option<Evidence>) -> Self {
        Self {
            check,
            severity: None,
            message: message.into(),
            evidence,
            rule: None,
            fixable: false,
            kind: None,
        }
    }

    /// What this gap says of its control.
    pub fn kind(&self) -> GapKind {
        self.kind.unwrap_or(self.check.kind)
    }

    /// A lint rule's finding, and whether its fix closes it.
    pub fn from_rule(mut self, rule: &'static str, fixable: bool) -> Self {
        self.rule = Some(rule);
        self.fixable = fixable;
        self
    }
}

/// A dimension's assessment before scoring: what it saw, or why it could not look.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub dimension: DimensionId,
    pub observations: Vec<Observation>,
    /// Set when the files cannot show this dimension: what would be needed.
    pub not_assessed: Option<String>,
    /// Parts the files cannot show even where the rest was assessed.
    pub static_limits: Vec<String>,
}

impl Assessment {
    pub fn new(dimension: DimensionId) -> Self {
        Self {
            dimension,
            observations: Vec::new(),
            not_assessed: None,
            static_limits: Vec::new(),
        }
    }

    pub fn not_assessed(dimension: DimensionId, needs: impl Into<String>) -> Self {
        Self {
            not_assessed: Some(needs.into()),
            ..Self::new(dimension)
        }
    }
}

/// A finding as the report shows it: numbered, with its severity and evidence.
#[derive(Debug, Clone, Serialize)]
pub struct ReportFinding {
    /// `1.2`: dimension number and position.
    pub id: String,
    pub check: &'static str,
    pub severity: Severity,
    pub message: String,
    pub why: &'static str,
    pub file: Option<String>,
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<&'static str>,
}

/// A control the audit saw in place, with its evidence.
#[derive(Debug, Clone, Serialize)]
pub struct Control {
    pub check: &'static str,
    pub message: String,
    pub file: Option<String>,
    pub line: Option<usize>,
}

/// One dimension of the report.
#[derive(Debug, Clone, Serialize)]
pub struct Dimension {
    pub id: DimensionId,
    pub number: usize,
    pub title: &'static str,
    pub status: Status,
    /// The highest severity among its findings; None when it has none.
    pub severity: Option<Severity>,
    pub summary: String,
    /// What the audit looked at for this dimension (the rubric's checks).
    pub looked_at: Vec<&'static str>,
    pub controls: Vec<Control>,
    pub findings: Vec<ReportFinding>,
    /// What the files cannot show (why it is not assessed, or which parts are not).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_assessed: Vec<String>,
}

impl Dimension {
    /// Why its findings matter, each reason once, worst finding first.
    pub fn whys(&self) -> Vec<&'static str> {
        let mut whys: Vec<&'static str> = Vec::new();
        for finding in &self.findings {
            if !whys.contains(&finding.why) {
                whys.push(finding.why);
            }
        }
        whys
    }
}

/// The overall verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    ProductionReady,
    ProductionReadyWithCaveats,
    NotReady,
}

impl Verdict {
    pub fn label(self) -> &'static str {
        match self {
            Verdict::ProductionReady => "Production-ready",
            Verdict::ProductionReadyWithCaveats => "Production-ready with caveats",
            Verdict::NotReady => "Not production-ready",
        }
    }
}

/// Dimensions per status.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Counts {
    pub green: usize,
    pub yellow: usize,
    pub red: usize,
    pub not_assessed: usize,
}

/// A move: the remedy of one check, with the findings it closes.
#[derive(Debug, Clone, Serialize)]
pub struct Move {
    pub title: &'static str,
    pub check: &'static str,
    pub effort: Effort,
    /// Sum of the closed findings' weights, per unit of effort.
    pub leverage: f64,
    pub findings: Vec<String>,
    /// Whether `mcp-lint --fix --unsafe-fixes` makes (part of) this move.
    pub automated: bool,
}

/// A risk, ranked by likelihood x impact.
#[derive(Debug, Clone, Serialize)]
pub struct Risk {
    /// Why the check's gaps matter.
    pub title: &'static str,
    /// The dimension and the worst finding, which names the server: `Fail-closed behaviour:
    /// LiteLLM 1.106.2 answers an error ... `docs` reachable ...`.
    pub headline: String,
    pub severity: Severity,
    pub check: &'static str,
    pub likelihood: u8,
    pub impact: u8,
    pub score: u8,
    pub findings: Vec<String>,
}

/// A phase of the 90-day roadmap.
#[derive(Debug, Clone, Serialize)]
pub struct Phase {
    pub name: &'static str,
    pub days: &'static str,
    pub items: Vec<Move>,
    /// What the deployment looks like once this phase and the ones before it are done.
    pub outcome: String,
}

/// An entry of the credential inventory: what a server receives, so offboarding knows what to revoke.
#[derive(Debug, Clone, Serialize)]
pub struct Credential {
    pub server: String,
    /// Where the credential goes (`authentication_token`, header `X-Api-Key`, env `GITHUB_TOKEN`).
    pub field: String,
    /// How it is given: `os.environ/NAME`, `${NAME}`, `literal` (never the value).
    pub source: String,
    pub file: String,
    pub line: usize,
}

/// A file the audit read, and what it took it for.
#[derive(Debug, Clone, Serialize)]
pub struct Input {
    pub file: String,
    pub kind: String,
}

/// The report's header: the date, the target and the tool.
#[derive(Debug, Clone, Serialize)]
pub struct Header {
    /// `YYYY-MM-DD`: today, or `SOURCE_DATE_EPOCH`'s day (reproducible reports).
    pub date: String,
    pub mcp_lint_version: &'static str,
    /// The paths audited, as given.
    pub targets: Vec<String>,
    /// The git commit checked out where the first target lives, read from `.git` (nothing is
    /// run); None outside a repository.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// When, on what and by which mcp-lint.
    pub header: Header,
    /// The executive summary, in sentences.
    pub summary: Vec<String>,
    /// What the audit could not see, gathered from every dimension.
    pub limitations: Vec<String>,
    pub verdict: Verdict,
    pub counts: Counts,
    pub dimensions: Vec<Dimension>,
    pub moves: Vec<Move>,
    pub risks: Vec<Risk>,
    pub roadmap: Vec<Phase>,
    pub inventory: Vec<Credential>,
    pub inputs: Vec<Input>,
}

impl Report {
    /// Exit 1 when a dimension is red.
    pub fn has_red(&self) -> bool {
        self.counts.red > 0
    }
}

/// What `audit` returns: the report, or nothing to audit, and the files it could not read.
#[derive(Debug)]
pub struct AuditOutcome {
    pub report: Report,
    /// `path:line:col: message` of each unreadable input.
    pub failures: Vec<String>,
}

/// Audits the deployment under `paths`.
/// `date` is the report's date (`YYYY-MM-DD`), which the caller decides.
pub fn audit(paths: &[PathBuf], max_file_size: u64, date: String) -> AuditOutcome {
    let (deployment, failures) = Deployment::gather(paths, max_file_size);
    let assessments = dimensions::assess_all(&deployment);
    let header = Header {
        date,
        mcp_lint_version: env!("CARGO_PKG_VERSION"),
        targets: paths.iter().map(|path| path.display().to_string()).collect(),
        commit: paths.first().and_then(|path| git_commit(path)),
    };
    AuditOutcome {
        report: score::report(&deployment, assessments, header),
        failures,
    }
}

/// The commit checked out in the repository holding `path`, read from its `.git` files: `HEAD`,
/// the branch it names (loose or packed), or a worktree's `gitdir:` pointer. Twelve hex digits.
fn git_commit(path: &std::path::Path) -> Option<String> {
    let start = std::fs::canonicalize(path).ok()?;
    let git = start.ancestors().map(|dir| dir.join(".git")).find(|git| git.exists())?;
    let git = if git.is_file() {
        let pointer = std::fs::read_to_string(&git).ok()?;
        let target = pointer.trim().strip_prefix("gitdir:")?.trim();
        git.parent()?.join(target)
    } else {
        git
    };
    let head = std::fs::read_to_string(git.join("HEAD")).ok()?;
    let head = head.trim();
    let hash = match head.strip_prefix("ref:") {
        None => head.to_owned(),
        Some(reference) => {
            let reference = reference.trim();
            // A worktree keeps its branches in the common directory.
            let common = std::fs::read_to_string(git.join("commondir"))
                .ok()
                .map(|dir| git.join(dir.trim()))
                .unwrap_or_else(|| git.clone());
            match std::fs::read_to_string(common.join(reference)) {
                Ok(loose) => loose.trim().to_owned(),
                Err(_) => std::fs::read_to_string(common.join("packed-refs"))
                    .ok()?
                    .lines()
                    .find_map(|line| line.strip_suffix(reference).map(|hash| hash.trim().to_owned()))?,
            }
        }
    };
    (hash.len() >= 12 && hash.bytes().all(|b| b.is_ascii_hexdigit())).then(|| hash[..12].to_owned())
}

#[cfg(test)]
mod header_tests {
    use std::fs;

    use super::git_commit;

    /// The commit is read from `.git` as git keeps it: a branch in a loose ref, in
    /// `packed-refs`, a detached HEAD; nothing outside a repository.
    #[test]
    fn the_commit_is_read_from_git_files() {
        let repo = tempfile::tempdir().expect("tempdir");
        let git = repo.path().join(".git");
        fs::create_dir_all(git.join("refs/heads")).expect("dirs");
        fs::create_dir_all(repo.path().join("deploy")).expect("dirs");
        fs::write(git.join("HEAD"), "ref: refs/heads/main\n").expect("HEAD");
        let hash = "0123456789abcdef0123456789abcdef01234567";
        fs::write(git.join("refs/heads/main"), format!("{hash}\n")).expect("ref");
        assert_eq!(git_commit(&repo.path().join("deploy")).as_deref(), Some("0123456789ab"));
        fs::remove_file(git.join("refs/heads/main")).expect("rm");
        fs::write(
            git.join("packed-refs"),
            format!("# pack-refs with: peeled\n{hash} refs/heads/main\n"),
        )
        .expect("packed");
        assert_eq!(git_commit(repo.path()).as_deref(), Some("0123456789ab"));
        fs::write(git.join("HEAD"), "fedcba9876543210fedcba9876543210fedcba98\n").expect("detached");
        assert_eq!(git_commit(repo.path()).as_deref(), Some("fedcba987654"));
        let outside = tempfile::tempdir().expect("tempdir");
        // A temporary directory may sit inside a repository on some machines; only assert when not.
        if !outside.path().ancestors().any(|dir| dir.join(".git").exists()) {
            assert_eq!(git_commit(outside.path()), None);
        }
    }
}
