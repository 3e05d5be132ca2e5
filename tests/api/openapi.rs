use crate::helpers::*;
use serde_json::Value;

#[tokio::test]
async fn served_spec_matches_the_committed_file() {
    let app = spawn_app().await;
    let served: Value = app.send(app.client.get(app.url("/api-docs/openapi.json"))).await.body;
    let committed: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json")).unwrap_or_default(),
    )
    .unwrap_or(Value::Null);
    assert!(served == committed, "openapi/openapi.json is out of date with the code. Regenerate it with:\n\n    cargo run -- openapi > openapi/openapi.json\n");
}

#[tokio::test]
async fn every_operation_documents_its_errors_and_security() {
    let spec = lvzhi::openapi::spec();
    let json = serde_json::to_value(&spec).unwrap();
    let public = [
        "/healthz",
        "/readyz",
        "/metrics",
        "/bench/hello",
        "/.well-known/jwks.json",
        "/api/v1/auth/login",
        "/api/v1/auth/refresh",
        "/api/v1/auth/token",
    ];
    for (path, item) in json["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            assert!(op["summary"].is_string(), "{method} {path} has no summary");
            if public.contains(&path.as_str())
                || path.starts_with("/api/v1/public/")
                || path.starts_with("/kiosk/")
                || path.starts_with("/api/v1/files/")
            {
                continue;
            }
            assert!(op["security"].is_array(), "{method} {path} has no bearer security");
            assert!(op["responses"].get("401").is_some(), "{method} {path} does not document 401");
        }
    }
}

#[test]
fn every_schema_reference_resolves() {
    let json = serde_json::to_value(lvzhi::openapi::spec()).unwrap();
    let text = json.to_string();
    let schemas = json["components"]["schemas"].as_object().unwrap();
    let missing: Vec<&str> = text
        .split("#/components/schemas/")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .filter(|name| !schemas.contains_key(*name))
        .collect();
    assert!(missing.is_empty(), "unresolved schema references: {missing:?}");
}

#[tokio::test]
async fn swagger_ui_is_served_offline() {
    let app = spawn_app().await;
    let redirect = app.send(app.client.get(app.url("/docs"))).await;
    assert_eq!(redirect.status, 308);
    let page = app.send(app.client.get(app.url("/docs/"))).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("swagger-ui"));
    assert!(!page.text.contains("cdn."), "the UI must not load from a CDN");
    let bundle = app.send(app.client.get(app.url("/docs/swagger-ui-bundle.js"))).await;
    assert_eq!(bundle.status, 200);
    assert!(bundle.text.len() > 100_000);
}

#[test]
fn operation_ids_are_unique_and_links_chain_creates_to_reads_and_deletes() {
    let json = serde_json::to_value(lvzhi::openapi::spec()).unwrap();
    let mut ids = std::collections::HashMap::new();
    for (path, item) in json["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id =
                op["operationId"].as_str().unwrap_or_else(|| panic!("{method} {path} has no operationId")).to_string();
            assert!(ids.insert(id.clone(), (method.clone(), path.clone())).is_none(), "operationId {id} repeats");
        }
    }
    // Every link names an operation of the document, in camelCase, with the key it fills.
    let mut links = 0;
    for (path, item) in json["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for (code, r) in op["responses"].as_object().unwrap() {
                for (name, link) in r["links"].as_object().into_iter().flatten() {
                    let target = link["operationId"]
                        .as_str()
                        .unwrap_or_else(|| panic!("{method} {path} {code} link {name}: {link}"));
                    let (m, p) = &ids[target];
                    assert_eq!(m, name, "{path}: link {name} goes to {m} {p}");
                    let (key, expr) = link["parameters"].as_object().unwrap().iter().next().unwrap();
                    assert_eq!(p, &format!("{path}/{{{key}}}"));
                    assert_eq!(expr, &Value::String(format!("$response.body#/{key}")));
                    links += 1;
                }
            }
        }
    }
    assert!(links >= 10, "{links} links");
    let station = &json["paths"]["/api/v1/stations"]["post"]["responses"]["201"]["links"];
    assert_eq!(station["get"]["operationId"], "get_station");
    assert_eq!(station["delete"]["operationId"], "delete_station");
}
