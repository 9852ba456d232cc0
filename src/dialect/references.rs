//! Variable references in config values, and which of them each client expands before it
//! launches a server.
//!
//! Facts, per client (fields: `command`, `args`, `env`, `url`, `headers`):
//! - Claude Code: `${VAR}` and `${VAR:-default}` only; a bare `$VAR` is never expanded (its
//!   expansion regex, DIALECTS.md section 2.3).
//! - Cursor: `${env:NAME}`, `${NAME}`, `${NAME:-default}` and `${userHome}`, `${workspaceFolder}`
//!   (`@cursor/sdk` interpolation, DIALECTS.md section 3).
//! - VS Code: `${env:NAME}`, `${input:id}`, `${config:…}`, `${command:…}` and its predefined
//!   variables; an unknown `${NAME}` stays as written (variables reference).
//! - Gemini CLI and Qwen Code: `$VAR` and `${VAR}` (`resolveEnvVarsInString`, regex
//!   `\$(?:(\w+)|{([^}]+)})`, read in the Qwen Code 0.24.4 bundle; Gemini CLI's is the same).
//! - Roo Code and Kilo Code: `${env:NAME}` and `${workspaceFolder}` (McpHub `injectVariables`).
//! - opencode: `{env:NAME}` and `{file:path}` (config.ts substitution).
//! - Continue: `${{ secrets.NAME }}` and `${{ inputs.NAME }}` only; `cn` 1.5.47 hands a
//!   `${LINEAR_API_KEY}` to the server as written, with the variable set.
//! - Cline (the CLI 3.0.65 and the extension), Claude Desktop and Codex expand nothing: Cline
//!   passes `${VAR}` to the server as written; Claude Desktop's own documentation works around an
//!   unexpanded `${APPDATA}`; Codex names variables in `env_vars` and `bearer_token_env_var`.
//!
//! Other clients' rules are not settled (Windsurf's syntax comes from secondary sources only), so
//! nothing is said about their files.

use super::Dialect;

/// The syntax a reference is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// `$NAME`
    Bare,
    /// `${NAME}` or `${NAME:-default}`
    Braced,
    /// `${env:NAME}`
    Env,
    /// `${input:id}`, `${config:…}`, `${command:…}`: VS Code's own variables.
    VsCodeVariable,
    /// `{env:NAME}`, `{file:path}`: opencode's substitution.
    Opencode,
    /// `${{ secrets.NAME }}`, `${{ inputs.NAME }}`: Continue's.
    Continue,
}

/// One reference found in a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The reference as written (`${LINEAR_API_KEY}`).
    pub text: String,
    pub syntax: Syntax,
    /// The variable it names, when it names an environment variable or secret.
    pub name: Option<String>,
}

/// VS Code's predefined variables, which VS Code and Cursor (for the two it documents) expand,
/// and Roo Code and Kilo Code for `workspaceFolder`.
const PREDEFINED: [&str; 19] = [
    "workspaceFolder",
    "workspaceFolderBasename",
    "file",
    "fileWorkspaceFolder",
    "relativeFile",
    "relativeFileDirname",
    "fileBasename",
    "fileBasenameNoExtension",
    "fileExtname",
    "fileDirname",
    "fileDirnameBasename",
    "cwd",
    "lineNumber",
    "selectedText",
    "execPath",
    "defaultBuildTask",
    "pathSeparator",
    "/",
    "userHome",
];

/// Every reference in `value`, in order, each as long as [`reference_len`] reads it (a default
/// may nest another reference: `${A:-${B}}`).
pub fn scan(value: &str) -> Vec<Reference> {
    let bytes = value.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let starts_reference = matches!(bytes[at], b'$' | b'{');
        let length = starts_reference.then(|| reference_len(&value[at..])).flatten();
        let Some(length) = length else {
            at += value[at..].chars().next().map_or(1, char::len_utf8);
            continue;
        };
        let text = &value[at..at + length];
        if let Some(reference) = classify(text, bytes, at) {
            found.push(reference);
        }
        at += length;
    }
    found
}

/// What the reference `text`, at `at` in `bytes`, is; None for syntax no client here expands as
/// a variable (`{{ template }}`, `$(VAR)`, `%VAR%`) and for a `$` that is part of a word.
fn classify(text: &str, bytes: &[u8], at: usize) -> Option<Reference> {
    let reference = |syntax, name: Option<&str>| {
        Some(Reference {
            text: text.to_owned(),
            syntax,
            name: name.map(str::to_owned),
        })
    };
    if let Some(expression) = text.strip_prefix("${{").and_then(|t| t.strip_suffix("}}")) {
        let expression = expression.trim();
        let name = expression
            .strip_prefix("secrets.")
            .or_else(|| expression.strip_prefix("inputs."));
        return reference(Syntax::Continue, name);
    }
    if let Some(name) = text.strip_prefix("{env:").and_then(|t| t.strip_suffix('}')) {
        return reference(Syntax::Opencode, Some(name).filter(|n| is_name(n)));
    }
    if text.starts_with("{file:") {
        return reference(Syntax::Opencode, None);
    }
    if let Some(body) = text.strip_prefix("${").and_then(|t| t.strip_suffix('}')) {
        return braced(text, body);
    }
    let name = text.strip_prefix('$').filter(|name| is_name(name))?;
    // Upper-case names only, outside a word: `$foo` in a value is rarely a variable, and a
    // password with a `$` in it must not be read as one.
    let is_variable = !preceded_by_word(bytes, at)
        && name.len() >= 2
        && name.starts_with(|c: char| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    is_variable.then(|| Reference {
        text: text.to_owned(),
        syntax: Syntax::Bare,
        name: Some(name.to_owned()),
    })
}

/// Length of the reference opening `text`, in any client's syntax (the one grammar of references:
/// secret masking and `unexpanded-variable` both read it): `${…}` (nested defaults too), `{{ … }}`, `${{ … }}`,
/// `{env:VAR}` and `{file:…}` (opencode), `$(VAR)`, `$VAR`, `%VAR%`.
pub fn reference_len(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    if text.starts_with("{{") || text.starts_with("${{") {
        return text.find("}}").map(|i| i + 2);
    }
    // Ex) opencode `{env:GITHUB_TOKEN}` and `{file:~/.secrets/token}`.
    if let Some(rest) = text.strip_prefix("{env:").or_else(|| text.strip_prefix("{file:")) {
        return rest
            .find('}')
            .filter(|&end| end > 0)
            .map(|end| text.len() - rest.len() + end + 1);
    }
    if text.starts_with("${") {
        let mut depth = 0usize;
        for (i, &byte) in bytes.iter().enumerate() {
            match byte {
                b'{' => depth += 1,
                b'}' if depth == 1 => return Some(i + 1),
                b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        return None;
    }
    let ident = |from: usize| {
        let len = bytes[from.min(bytes.len())..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
            .count();
        (len > 0 && !bytes[from].is_ascii_digit()).then_some(from + len)
    };
    match bytes.first()? {
        // Ex) Kubernetes `$(DATABASE_PASSWORD)` in Helm values.
        b'$' if bytes.get(1) == Some(&b'(') => ident(2).filter(|&end| bytes.get(end) == Some(&b')')).map(|e| e + 1),
        b'$' => ident(1),
        b'%' => ident(1).filter(|&end| bytes.get(end) == Some(&b'%')).map(|e| e + 1),
        _ => None,
    }
}

/// `${body}`: an environment variable, VS Code's own, or nothing known.
fn braced(text: &str, body: &str) -> Option<Reference> {
    let reference = |syntax, name: Option<&str>| {
        Some(Reference {
            text: text.to_owned(),
            syntax,
            name: name.map(str::to_owned),
        })
    };
    if let Some(name) = body.strip_prefix("env:") {
        return reference(Syntax::Env, Some(name).filter(|n| is_name(n)));
    }
    if ["input:", "config:", "command:"].iter().any(|p| body.starts_with(p)) {
        return reference(Syntax::VsCodeVariable, None);
    }
    if PREDEFINED.contains(&body) {
        return reference(Syntax::VsCodeVariable, None);
    }
    let name = body.split_once(":-").map_or(body, |(name, _)| name);
    if is_name(name) {
        return reference(Syntax::Braced, Some(name));
    }
    None
}

fn is_name(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn preceded_by_word(bytes: &[u8], at: usize) -> bool {
    at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || matches!(bytes[at - 1], b'$' | b'\\'))
}

/// What a client does with references, where that is settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expansion {
    dialect: Dialect,
}

impl Expansion {
    /// The client's rules, or None where they are not settled.
    pub fn of(dialect: Dialect) -> Option<Self> {
        matches!(
            dialect,
            Dialect::ClaudeCode
                | Dialect::Cursor
                | Dialect::Vscode
                | Dialect::Gemini
                | Dialect::Qwen
                | Dialect::Roo
                | Dialect::Kilo
                | Dialect::Opencode
                | Dialect::Continue
                | Dialect::Cline
                | Dialect::ClaudeDesktop
                | Dialect::Codex
        )
        .then_some(Self { dialect })
    }

    /// Whether the client replaces `reference` before the server sees it.
    pub fn expands(self, reference: &Reference) -> bool {
        match self.dialect {
            Dialect::ClaudeCode => reference.syntax == Syntax::Braced,
            Dialect::Cursor => {
                matches!(reference.syntax, Syntax::Braced | Syntax::Env)
                    || matches!(reference.text.as_str(), "${userHome}" | "${workspaceFolder}")
            }
            Dialect::Vscode => matches!(reference.syntax, Syntax::Env | Syntax::VsCodeVariable),
            // Extensions also get `${extensionPath}`, `${workspacePath}`, `${/}` and
            // `${pathSeparator}` (Gemini CLI docs/extensions): predefined names are left alone.
            Dialect::Gemini | Dialect::Qwen => {
                matches!(reference.syntax, Syntax::Bare | Syntax::Braced)
                    || (reference.syntax == Syntax::VsCodeVariable && !reference.text.contains(':'))
            }
            Dialect::Roo | Dialect::Kilo => reference.syntax == Syntax::Env || reference.text == "${workspaceFolder}",
            Dialect::Opencode => reference.syntax == Syntax::Opencode,
            Dialect::Continue => reference.syntax == Syntax::Continue,
            _ => false,
        }
    }

    /// The client whose rules these are.
    pub fn dialect(self) -> Dialect {
        self.dialect
    }

    /// What the client expands, for a message: "Claude Code expands only `${VAR}` and
    /// `${VAR:-default}`".
    pub fn summary(self) -> String {
        let client = self.dialect.client();
        match self.dialect {
            Dialect::ClaudeCode => format!("{client} expands only `${{VAR}}` and `${{VAR:-default}}`"),
            Dialect::Cursor => format!("{client} expands `${{env:VAR}}` and `${{VAR}}`"),
            Dialect::Vscode => format!("{client} expands `${{env:VAR}}`, `${{input:id}}` and its predefined variables"),
            Dialect::Gemini | Dialect::Qwen => format!("{client} expands `$VAR` and `${{VAR}}`"),
            Dialect::Roo | Dialect::Kilo => format!("{client} expands only `${{env:VAR}}`"),
            Dialect::Opencode => format!("{client} expands only `{{env:VAR}}` and `{{file:path}}`"),
            Dialect::Continue => {
                format!("{client} expands only `${{{{ secrets.NAME }}}}` and `${{{{ inputs.NAME }}}}`")
            }
            _ => format!("{client} expands no variables"),
        }
    }

    /// The reference to `name` in the client's own syntax, if it has one.
    pub fn spelling(self, name: &str) -> Option<String> {
        match self.dialect {
            Dialect::ClaudeCode | Dialect::Gemini | Dialect::Qwen => Some(format!("${{{name}}}")),
            Dialect::Cursor | Dialect::Vscode | Dialect::Roo | Dialect::Kilo => Some(format!("${{env:{name}}}")),
            Dialect::Opencode => Some(format!("{{env:{name}}}")),
            Dialect::Continue => Some(format!("${{{{ secrets.{name} }}}}")),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(value: &str) -> Vec<(String, Syntax)> {
        scan(value).into_iter().map(|r| (r.text, r.syntax)).collect()
    }

    #[test]
    fn references_are_found_by_syntax() {
        assert_eq!(kinds("$NEO4J_PASS"), [("$NEO4J_PASS".into(), Syntax::Bare)]);
        assert_eq!(kinds("Bearer ${TOKEN}"), [("${TOKEN}".into(), Syntax::Braced)]);
        assert_eq!(kinds("${HOME:-/root}/x"), [("${HOME:-/root}".into(), Syntax::Braced)]);
        assert_eq!(
            kinds("Basic ${input:jenkins-auth}"),
            [("${input:jenkins-auth}".into(), Syntax::VsCodeVariable)]
        );
        assert_eq!(kinds("${env:KEY}"), [("${env:KEY}".into(), Syntax::Env)]);
        assert_eq!(kinds("{env:KEY}"), [("{env:KEY}".into(), Syntax::Opencode)]);
        assert_eq!(
            kinds("${{ secrets.DB_URL }}"),
            [("${{ secrets.DB_URL }}".into(), Syntax::Continue)]
        );
        assert_eq!(
            kinds("${workspaceFolder}/src"),
            [("${workspaceFolder}".into(), Syntax::VsCodeVariable)]
        );
        // Not references: a `$` inside a word (a password), lower case, prices, JSON in a value.
        for plain in ["pa$SWORD", "$foo", "costs $5", "{\"a\": 1}", "$", "${", "a$$B"] {
            assert!(scan(plain).is_empty(), "{plain}");
        }
    }

    #[test]
    fn each_client_expands_its_own_syntax_only() {
        let one = |value: &str| scan(value).remove(0);
        let expands = |dialect, value: &str| Expansion::of(dialect).expect("settled").expands(&one(value));
        assert!(expands(Dialect::ClaudeCode, "${X}") && expands(Dialect::ClaudeCode, "${X:-d}"));
        assert!(!expands(Dialect::ClaudeCode, "$X1") && !expands(Dialect::ClaudeCode, "${env:X}"));
        assert!(!expands(Dialect::ClaudeCode, "${input:x}"));
        assert!(expands(Dialect::Cursor, "${env:X}") && expands(Dialect::Cursor, "${X}"));
        assert!(expands(Dialect::Vscode, "${input:x}") && expands(Dialect::Vscode, "${workspaceFolder}"));
        assert!(!expands(Dialect::Vscode, "${TOKEN}"));
        assert!(expands(Dialect::Gemini, "$TOKEN") && expands(Dialect::Qwen, "${TOKEN}"));
        assert!(!expands(Dialect::Gemini, "${env:TOKEN}") && expands(Dialect::Gemini, "${/}"));
        assert!(expands(Dialect::Roo, "${env:X}") && !expands(Dialect::Roo, "${X}"));
        assert!(expands(Dialect::Opencode, "{env:X}") && !expands(Dialect::Opencode, "${X}"));
        assert!(expands(Dialect::Continue, "${{ secrets.X }}") && !expands(Dialect::Continue, "${X}"));
        for dialect in [Dialect::Cline, Dialect::ClaudeDesktop, Dialect::Codex] {
            assert!(!expands(dialect, "${X}") && !expands(dialect, "$XY"), "{dialect}");
            assert_eq!(Expansion::of(dialect).and_then(|e| e.spelling("X")), None);
        }
        assert!(Expansion::of(Dialect::Windsurf).is_none(), "not settled: silent");
    }
}
