//! The requests `schema_valid_requests` sends a simulation without a client, one value per
//! query parameter, and the kinds of request a service answers otherwise than its schema says
//! ([`Exception`]), which each subject names for its own service
//! ([`Subject::schema_exceptions`](super::Subject::schema_exceptions)).

use serde_json::Value;

/// One value a parameter is given.
#[derive(Clone, Debug, PartialEq)]
pub enum Candidate {
    /// The parameter is left out.
    Absent,
    /// This JSON value, serialised as the parameter's style says.
    Value(Value),
    /// A cursor the simulation issued for this very method, user and `entityTypes`.
    Issued,
    /// A cursor the simulation never issued: valid by the schema, refused by the service.
    Forged,
}

/// One request: its operation and the value of each query parameter.
#[derive(Clone, Debug)]
pub struct Request {
    /// The operation's `operationId`.
    pub operation_id: String,
    /// Each query parameter of the operation, by name, with the value it is given.
    pub params: Vec<(String, Candidate)>,
}

impl Request {
    /// Whether `name` is given a value.
    pub fn has(&self, name: &str) -> bool {
        self.params
            .iter()
            .any(|(param, value)| param == name && *value != Candidate::Absent)
    }

    /// The value given to `name`, if any.
    pub fn value(&self, name: &str) -> Option<&Value> {
        self.params.iter().find_map(|(param, value)| match value {
            Candidate::Value(value) if param == name => Some(value),
            _ => None,
        })
    }

    /// The integer given to `name`, if one is.
    pub fn integer(&self, name: &str) -> Option<i64> {
        self.value(name).and_then(Value::as_i64)
    }
}

/// A kind of request a service answers otherwise than its schema says: valid by the schema
/// and answered `400`, or refused by the schema and served all the same.
pub struct Exception {
    /// Its name in schemathesis.toml.
    pub name: &'static str,
    /// Why the schema cannot say so.
    pub reason: &'static str,
    /// Whether `request` is of this kind.
    pub applies: fn(&Request) -> bool,
    /// The status the service answers it with.
    pub answered: u16,
}
