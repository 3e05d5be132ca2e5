//! What the document says beyond what the handlers declare: the error answers every operation
//! may give, operation ids unique across the document, and the links that chain a create to
//! the read and delete of what it made (schemathesis's stateful phase follows them).

use std::collections::BTreeMap;
use utoipa::openapi::extensions::Extensions;
use utoipa::openapi::link::Link;
use utoipa::openapi::path::{HttpMethod, Operation};
use utoipa::openapi::schema::Schema;
use utoipa::openapi::{OpenApi, RefOr};

/// What every operation may answer whatever its handler says: problems are
/// `application/problem+json`; an operation with query parameters may answer 400
/// `invalid_query`; one with a body 400 `malformed_json`, 413 `payload_too_large` and 415
/// `unsupported_media_type`.
pub fn errors(api: &mut OpenApi) {
    use utoipa::openapi::path::ParameterIn;
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    const PROBLEM: &str = "application/problem+json";
    let problem = |what: &str| {
        RefOr::T(
            ResponseBuilder::new()
                .description(what)
                .content(PROBLEM, ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build())
                .build(),
        )
    };
    for item in api.paths.paths.values_mut() {
        let ops = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
        for op in ops.into_iter().flatten() {
            let has_query =
                op.parameters.as_ref().is_some_and(|ps| ps.iter().any(|p| p.parameter_in == ParameterIn::Query));
            let has_body = op.request_body.is_some();
            let responses = &mut op.responses.responses;
            for r in responses.values_mut() {
                if let RefOr::T(r) = r {
                    let is_problem = r.content.get("application/json").is_some_and(
                        |c| matches!(&c.schema, Some(RefOr::Ref(x)) if x.ref_location.ends_with("/Problem")),
                    );
                    if let Some(c) = is_problem.then(|| r.content.shift_remove("application/json")).flatten() {
                        r.content.insert(PROBLEM.to_string(), c);
                    }
                }
            }
            if has_query || has_body {
                responses.entry("400".into()).or_insert_with(|| problem("`invalid_query` or `malformed_json`"));
            }
            if has_body {
                responses.entry("413".into()).or_insert_with(|| problem("`payload_too_large`"));
                responses.entry("415".into()).or_insert_with(|| problem("`unsupported_media_type`"));
            }
        }
    }
}

/// Operation ids are the handlers' names, which repeat across capabilities (`list`, `create`…);
/// a repeated one becomes `{tag}_{name}` (and gains a number if it still repeats), in path order.
pub fn unique_operation_ids(api: &mut OpenApi) {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for op in operations(api) {
        *seen.entry(op.operation_id.clone().unwrap_or_default()).or_default() += 1;
    }
    let mut taken = std::collections::BTreeSet::new();
    for op in operations(api) {
        let name = op.operation_id.clone().unwrap_or_default();
        let mut id = if seen.get(&name).copied().unwrap_or(0) > 1 {
            format!("{}_{name}", op.tags.as_ref().and_then(|t| t.first()).cloned().unwrap_or_default())
        } else {
            name
        };
        let base = id.clone();
        let mut n = 2;
        while !taken.insert(id.clone()) {
            id = format!("{base}_{n}");
            n += 1;
        }
        op.operation_id = Some(id);
    }
}

fn operations(api: &mut OpenApi) -> impl Iterator<Item = &mut Operation> {
    api.paths
        .paths
        .values_mut()
        .flat_map(|item| [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch])
        .flatten()
}

/// For each `POST /x` answering 201 with a body that has the key of `/x/{key}`: links to the
/// `GET` (and `DELETE`) of `/x/{key}`, taking the key from the response. utoipa 5 writes a
/// link's fields in snake_case, so the link is built from its extension map, whose keys are
/// written as given.
pub fn links(api: &mut OpenApi) {
    let schemas = api.components.as_ref().map(|c| c.schemas.clone()).unwrap_or_default();
    let paths: Vec<String> = api.paths.paths.keys().cloned().collect();
    for create in &paths {
        for (key, field) in [("id", "id"), ("ticket", "ticket")] {
            let one = format!("{create}/{{{key}}}");
            let Some(target) = api.paths.paths.get(&one) else { continue };
            let targets: Vec<(&str, String)> = [("get", HttpMethod::Get), ("delete", HttpMethod::Delete)]
                .into_iter()
                .filter_map(|(name, m)| {
                    let op = match m {
                        HttpMethod::Get => target.get.as_ref(),
                        _ => target.delete.as_ref(),
                    }?;
                    Some((name, op.operation_id.clone()?))
                })
                .collect();
            let Some(post) = api.paths.paths.get_mut(create).and_then(|i| i.post.as_mut()) else { continue };
            let Some(RefOr::T(created)) = post.responses.responses.get_mut("201") else { continue };
            let has_key = created.content.get("application/json").and_then(|c| c.schema.as_ref()).is_some_and(|s| match s {
                RefOr::Ref(r) => {
                    let name = r.ref_location.rsplit('/').next().unwrap_or_default();
                    matches!(schemas.get(name), Some(RefOr::T(Schema::Object(o))) if o.properties.contains_key(field))
                }
                RefOr::T(Schema::Object(o)) => o.properties.contains_key(field),
                _ => false,
            });
            if !has_key {
                continue;
            }
            for (name, operation_id) in targets {
                let mut link = Link::default();
                link.extensions = Some(Extensions::from_iter([
                    ("operationId", serde_json::json!(operation_id)),
                    ("parameters", serde_json::json!({ key: format!("$response.body#/{field}") })),
                ]));
                created.links.insert(name.to_string(), RefOr::T(link));
            }
        }
    }
}
