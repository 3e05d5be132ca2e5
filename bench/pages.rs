//! The phone pages under load: `GET /m/{code}` — the page a crowd opens when a poster is scanned
//! — at 64 clients over the codes of 20 stations, against the hello-JSON ceiling of the same
//! run.

use crate::load;
use crate::rows::{http_row, Row};
use std::net::SocketAddr;
use std::time::Duration;

pub async fn scenario(
    addr: SocketAddr,
    admin: &str,
    requests: usize,
    time: Duration,
    hello: f64,
) -> Result<Vec<Row>, String> {
    let codes = crate::setup::station_codes(&format!("http://{addr}"), admin).await?;
    let clients = 64;
    let make: load::MakeRequest =
        std::sync::Arc::new(move |n| load::get(&format!("/m/{}", codes[n % codes.len()]), None));
    let st = load::run_with(addr, make, clients, requests, time).await;
    Ok(vec![http_row(
        &format!("scenario: GET /m/{{code}} ({clients} clients, a station's phone page, 20 codes)"),
        &st,
        Some(("hello".into(), hello)),
    )])
}
