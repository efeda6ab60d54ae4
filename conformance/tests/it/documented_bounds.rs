//! The specs agree with the table of documented bounds (`conformance::bounds`): each
//! operation's page size range and default (or that it takes none), the range of its other
//! integer parameters, its OAuth scopes, and the status codes it is documented to answer
//! with. A failure names the spec, the operation and the promise broken.

use std::collections::BTreeSet;

use conformance::bounds::{self, Documented};
use conformance::spec::{Operation, Spec};
use serde_json::Value;

/// Every spec operation that has a row in the table, with its row; fails for an operation
/// without one, or a row without an operation.
fn documented_operations(specs: &[Spec]) -> Vec<(&Spec, Operation<'_>, &'static Documented)> {
    let mut found = Vec::new();
    let mut failures = Vec::new();
    for spec in specs {
        for operation in spec.operations() {
            let id = operation.id().unwrap_or(operation.path());
            match bounds::OPERATIONS
                .iter()
                .find(|row| row.api == spec.api() && row.operation_id == id)
            {
                Some(row) => found.push((spec, operation, row)),
                None => failures.push(format!(
                    "{}: {id} has no row in conformance/src/bounds.rs; add what its source \
                     documents promise",
                    spec.file()
                )),
            }
        }
    }
    for row in bounds::OPERATIONS {
        if !found
            .iter()
            .any(|(_, _, found)| found.operation_id == row.operation_id)
        {
            failures.push(format!(
                "specs/{}.yaml: has no operation {}, which conformance/src/bounds.rs documents",
                row.api, row.operation_id
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    found
}

fn specs() -> Vec<Spec> {
    Spec::all().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_operation_has_a_row_in_the_bounds_table_and_every_row_an_operation() {
    documented_operations(&specs());
}

#[test]
fn each_limit_has_the_documented_minimum_maximum_and_default() {
    let specs = specs();
    let mut failures = Vec::new();
    for (spec, operation, row) in documented_operations(&specs) {
        let id = row.operation_id;
        let Some(documented) = row.limit else {
            if operation
                .parameter("limit", "query")
                .unwrap_or_else(|e| panic!("{e}"))
                .is_some()
            {
                failures.push(format!(
                    "{}: {id} has a `limit` query parameter, {} document none",
                    spec.file(),
                    row.source
                ));
            }
            continue;
        };
        let name = documented.parameter;
        let limit = match operation
            .parameter(name, "query")
            .unwrap_or_else(|e| panic!("{e}"))
        {
            Some(limit) => limit,
            None => {
                failures.push(format!(
                    "{}: {id} has no `{name}` query parameter, {} document one",
                    spec.file(),
                    row.source
                ));
                continue;
            }
        };
        let schema = spec
            .resolve(&limit["schema"])
            .unwrap_or_else(|e| panic!("{e}"));
        for (keyword, documented) in [
            ("minimum", documented.min),
            ("maximum", documented.max),
            ("default", documented.default),
        ] {
            let in_spec = &schema[keyword];
            if in_spec.as_u64() != Some(documented) {
                failures.push(format!(
                    "{}: {id} `{name}` {keyword} is {}, {} say {documented}",
                    spec.file(),
                    shown(in_spec),
                    row.source
                ));
            }
        }
        if schema["type"] != "integer" {
            failures.push(format!(
                "{}: {id} `{name}` is of type {}, not integer: it is a count of items",
                spec.file(),
                schema["type"]
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn each_ranged_parameter_has_the_documented_minimum_and_maximum() {
    let specs = specs();
    let mut failures = Vec::new();
    for (spec, operation, row) in documented_operations(&specs) {
        let id = row.operation_id;
        for range in row.ranges {
            let name = range.parameter;
            let Some(parameter) = operation
                .parameter(name, "query")
                .unwrap_or_else(|e| panic!("{e}"))
            else {
                failures.push(format!(
                    "{}: {id} has no `{name}` query parameter, {} document one",
                    spec.file(),
                    row.source
                ));
                continue;
            };
            let schema = spec
                .resolve(&parameter["schema"])
                .unwrap_or_else(|e| panic!("{e}"));
            for (keyword, documented) in [("minimum", range.min), ("maximum", range.max)] {
                let in_spec = &schema[keyword];
                if in_spec.as_i64() != Some(documented) {
                    failures.push(format!(
                        "{}: {id} `{name}` {keyword} is {}, {} say {documented}",
                        spec.file(),
                        shown(in_spec),
                        row.source
                    ));
                }
            }
            if schema["type"] != "integer" {
                failures.push(format!(
                    "{}: {id} `{name}` is of type {}, not integer",
                    spec.file(),
                    schema["type"]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A keyword's value in a message: `missing` when absent.
fn shown(value: &Value) -> String {
    match value {
        Value::Null => "missing".to_string(),
        value => format!("{value}"),
    }
}

#[test]
fn each_operation_asks_for_exactly_the_documented_scopes() {
    let specs = specs();
    let mut failures = Vec::new();
    for (spec, operation, row) in documented_operations(&specs) {
        let id = row.operation_id;
        let documented: BTreeSet<&str> = row.scopes.iter().copied().collect();
        let in_spec: BTreeSet<&str> = operation
            .security_scopes()
            .into_values()
            .flatten()
            .collect();
        if in_spec != documented {
            failures.push(format!(
                "{}: {id} requires scopes {in_spec:?}, {} say {documented:?}",
                spec.file(),
                row.source
            ));
        }
        // Amazon repeats the scope in an extension, as printed on its page; it must not drift.
        if let Some(extension) = operation.value().get("x-authorization-scope") {
            let extension = extension.as_str().unwrap_or_default();
            if !documented.contains(extension) || documented.len() != 1 {
                failures.push(format!(
                    "{}: {id} `x-authorization-scope` is {extension:?}, {} say {documented:?}",
                    spec.file(),
                    row.source
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn each_documented_status_code_is_declared() {
    let specs = specs();
    let mut failures = Vec::new();
    for (spec, operation, row) in documented_operations(&specs) {
        let declared: BTreeSet<String> = operation
            .responses()
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .map(|(status, _)| status.to_string())
            .collect();
        for status in row.statuses {
            if !declared.contains(&status.code.to_string()) {
                failures.push(format!(
                    "{}: {} does not declare status {}, which {} document: {}",
                    spec.file(),
                    row.operation_id,
                    status.code,
                    row.source,
                    status.meaning
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
