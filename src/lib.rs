//! `practice`: the College of Policing's smarter practice register, kept in git.
//!
//! The register is a git repository of YAML files. This crate is the domain:
//! finding and loading a register ([`register`]), the files it holds
//! ([`model`]), the pipeline that derives an activity's stage and the rules
//! that say who may act when ([`pipeline`]), and the commit writer that turns
//! every action into exactly one commit ([`action`]). The operations in
//! [`ops`] join them; the `practice` binary only parses arguments and prints.

pub mod action;
pub mod audit;
mod cache;
pub mod clock;
pub mod digest;
pub mod error;
pub mod forces;
pub mod guard;
pub mod history;
pub mod id;
pub mod identity;
pub mod inbox;
pub mod layout;
pub mod listing;
pub mod mail;
pub mod model;
pub mod ops;
pub mod pipeline;
pub mod register;
pub mod remind;
pub mod rounds;
pub mod signature;
pub mod site;
pub mod sync;
pub mod treediff;
pub mod view;

pub use error::{Error, Result};
