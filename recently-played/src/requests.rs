//! Counting the requests each client sent, from the clients' own `tracing` spans: every
//! attempt is one span named `request` with a `service` field.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use tracing::Subscriber;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing_subscriber::layer::{Context, Layer};

/// A `tracing` layer counting `request` spans per service; clones share the counts.
#[derive(Clone, Default)]
pub(crate) struct RequestCounter {
    counts: Arc<Mutex<BTreeMap<String, usize>>>,
}

impl RequestCounter {
    /// The requests sent so far for `service` (the client's `SERVICE`).
    pub(crate) fn get(&self, service: &str) -> usize {
        let counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        counts.get(service).copied().unwrap_or(0)
    }
}

impl<S: Subscriber> Layer<S> for RequestCounter {
    fn on_new_span(&self, attrs: &Attributes<'_>, _id: &Id, _ctx: Context<'_, S>) {
        if attrs.metadata().name() != "request" {
            return;
        }
        let mut service = ServiceField(None);
        attrs.record(&mut service);
        if let Some(service) = service.0 {
            let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
            *counts.entry(service).or_default() += 1;
        }
    }
}

/// Reads the `service` field of a span, and nothing else.
struct ServiceField(Option<String>);

impl Visit for ServiceField {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "service" {
            self.0 = Some(value.to_string());
        }
    }

    fn record_debug(&mut self, _field: &Field, _value: &dyn fmt::Debug) {}
}
