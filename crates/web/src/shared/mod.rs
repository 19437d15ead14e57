//! The plumbing under every area: the state, the cités and their snapshots, the request
//! context, HTTP hygiene and the response cache, the metrics, the one error type, the
//! layout, text and typography, query strings, forms, entities, mail, and
//! what publishing (PDF, open data, feeds) needs.
//! Nothing here knows an area.

pub(crate) mod cites;
pub(crate) mod ctx;
pub(crate) mod derived;
pub(crate) mod download;
pub(crate) mod entities;
pub(crate) mod error;
pub(crate) mod follow;
pub(crate) mod form;
pub(crate) mod http;
pub(crate) mod i18n;
pub(crate) mod layout;
pub(crate) mod mail;
pub(crate) mod metrics;
pub(crate) mod params;
pub(crate) mod publish;
pub(crate) mod readability;
pub(crate) mod signin;
pub(crate) mod state;
pub(crate) mod text;
