//! The pipeline every command composes, one stage per module, typed data between them:
//!
//! ```text
//! paths ─collect─▶ Input ─read─▶ SourceFile ─parse─▶ Parsed (tree with spans + model)
//!   ─resolve (optional, the only network step)─▶ Facts (registry view, locks)
//!   ─lint─▶ FileReport (located findings) ─suppress─▶ FileReport
//!   ─fix (plan, apply, verify; rounds)─▶ FixOutcome ─write / diff─▶ ─lock─▶ CheckOutcome
//! ```
//!
//! `main` and `output` render the outcomes; nothing in `run` prints.

pub mod buffer;
pub mod check;
pub mod collect;
pub mod directives;
pub mod escaped;
pub mod files;
pub mod fix;
pub mod harness;
pub mod lint;
pub mod lock;
pub mod mask;
pub mod outcome;
pub mod parse;
pub mod policies;
pub mod reporter;
pub mod resolve;
pub mod settings;
mod siblings;
pub mod suppress;
pub mod tools;
pub mod user;
pub mod write;
