//! The exactly pinned registry packages of a config, with what the registry said of them: the
//! common ground of the rules that need registry answers.

use crate::dialect::Route;
use crate::model::facts::{PackageInfo, Release};
use crate::model::{Ecosystem, McpConfig, PackageRef, Server, VersionSpec};

use super::LintContext;

/// One server's exact pin and the registry's answer about its package.
pub(super) struct Pinned<'a> {
    pub server: &'a Server,
    pub package: &'a PackageRef,
    pub version: &'a str,
    /// Where the package is written (the finding's place).
    pub route: &'a Route,
    pub info: &'a PackageInfo,
}

impl Pinned<'_> {
    /// The pinned release, when the registry has it.
    pub fn release(&self) -> Option<&Release> {
        self.info.release(self.version)
    }
}

/// Every npm and PyPI package pinned to one version in `config` whose registry answered; nothing
/// when the run asked no registry (a plain `check`).
pub(super) fn pinned<'a>(config: &'a McpConfig, context: &LintContext<'a>) -> impl Iterator<Item = Pinned<'a>> {
    let view = context.registry;
    config.servers.iter().filter_map(move |server| {
        let package = server.launch.as_ref()?.package.as_ref()?;
        let VersionSpec::Exact(version) = &package.spec else {
            return None;
        };
        if !matches!(package.ecosystem, Ecosystem::Npm | Ecosystem::PyPi) {
            return None;
        }
        let Some(Ok(info)) = view?.package(package.ecosystem, &package.name) else {
            return None;
        };
        Some(Pinned {
            server,
            package,
            version,
            route: server.arg_route(package.position)?,
            info,
        })
    })
}
