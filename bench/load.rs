//! A small HTTP/1.1 keep-alive load generator over raw TCP (so the client costs little next to
//! the server it measures). Every loop is bounded by a request count and a deadline.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

#[derive(Default)]
pub struct Stats {
    pub ok: usize,
    pub errors: usize,
    pub elapsed: Duration,
    /// Microseconds, sorted.
    pub latencies: Vec<u32>,
}

impl Stats {
    /// Runs of the same load taken together: their requests, errors, time and latencies.
    pub fn merge(runs: Vec<Stats>) -> Stats {
        let mut all = Stats::default();
        for r in runs {
            all.ok += r.ok;
            all.errors += r.errors;
            all.elapsed += r.elapsed;
            all.latencies.extend(r.latencies);
        }
        all.latencies.sort_unstable();
        all
    }
    pub fn rate(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
    pub fn pct(&self, p: f64) -> f64 {
        if self.latencies.is_empty() {
            return 0.0;
        }
        let i = ((self.latencies.len() as f64 - 1.0) * p).round() as usize;
        self.latencies[i] as f64 / 1000.0
    }
}

pub fn get(path: &str, token: Option<&str>) -> Vec<u8> {
    let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{auth}Connection: keep-alive\r\n\r\n").into_bytes()
}

/// Reads one response; returns its status code.
async fn read_response(s: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<u16> {
    buf.clear();
    let mut chunk = [0u8; 16 * 1024];
    let header_end = loop {
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p + 4;
        }
        let n = s.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..header_end]).to_ascii_lowercase();
    let status: u16 = head.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| std::io::Error::other("no content-length"))?;
    while buf.len() < header_end + len {
        let n = s.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Ok(status)
}

/// Sends `request` over `conns` keep-alive connections until `max_requests` or `max_time`.
pub async fn run(addr: SocketAddr, request: Vec<u8>, conns: usize, max_requests: usize, max_time: Duration) -> Stats {
    let request = Arc::new(request);
    run_with(addr, Arc::new(move |_| request.to_vec()), conns, max_requests, max_time).await
}

pub fn post_json(path: &str, token: &str, body: &str) -> Vec<u8> {
    json_request("POST", path, token, body)
}

pub fn put_json(path: &str, token: &str, body: &str) -> Vec<u8> {
    json_request("PUT", path, token, body)
}

fn json_request(method: &str, path: &str, token: &str, body: &str) -> Vec<u8> {
    format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: keep-alive\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// A POST as a phone app sends it: with an `Idempotency-Key`.
pub fn post_json_keyed(path: &str, token: &str, key: &str, body: &str) -> Vec<u8> {
    format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\nIdempotency-Key: {key}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: keep-alive\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

pub type MakeRequest = Arc<dyn Fn(usize) -> Vec<u8> + Send + Sync>;

/// Like [`run`], with a request built for each sequence number (e.g. a different deputy each time).
pub async fn run_with(
    addr: SocketAddr,
    make: MakeRequest,
    conns: usize,
    max_requests: usize,
    max_time: Duration,
) -> Stats {
    drive(addr, make, conns, max_requests, max_time, None).await
}

/// Open loop: request `n` is due at `n / per_sec` seconds after the start (arrivals as people
/// make them, whatever the server's pace), and its latency counts from when it was due, so a
/// server falling behind shows in the figures.
pub async fn run_paced(
    addr: SocketAddr,
    make: MakeRequest,
    conns: usize,
    requests: usize,
    per_sec: f64,
    max_time: Duration,
) -> Stats {
    drive(addr, make, conns, requests, max_time, Some(per_sec)).await
}

async fn drive(
    addr: SocketAddr,
    make: MakeRequest,
    conns: usize,
    max_requests: usize,
    max_time: Duration,
    pace: Option<f64>,
) -> Stats {
    let issued = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let deadline = start + max_time;
    let mut tasks = vec![];
    for _ in 0..conns {
        let (make, issued) = (make.clone(), issued.clone());
        tasks.push(tokio::spawn(async move {
            let mut st = Stats::default();
            let mut buf = Vec::with_capacity(64 * 1024);
            let mut stream: Option<TcpStream> = None;
            loop {
                let n = issued.fetch_add(1, Ordering::Relaxed);
                if Instant::now() >= deadline || n >= max_requests {
                    break;
                }
                let due = pace.map(|per_sec| start + Duration::from_secs_f64(n as f64 / per_sec));
                if let Some(due) = due {
                    tokio::time::sleep_until(due.into()).await;
                }
                let request = make(n);
                if stream.is_none() {
                    match TcpStream::connect(addr).await {
                        Ok(s) => {
                            let _ = s.set_nodelay(true);
                            stream = Some(s);
                        }
                        Err(_) => {
                            st.errors += 1;
                            continue;
                        }
                    }
                }
                let Some(s) = stream.as_mut() else { continue };
                let t0 = due.unwrap_or_else(Instant::now);
                let r = match s.write_all(&request).await {
                    Ok(()) => read_response(s, &mut buf).await,
                    Err(e) => Err(e),
                };
                match r {
                    Ok(code) if (200..300).contains(&code) => {
                        st.ok += 1;
                        st.latencies.push(t0.elapsed().as_micros().min(u32::MAX as u128) as u32);
                    }
                    Ok(_) => st.errors += 1,
                    Err(_) => {
                        st.errors += 1;
                        stream = None;
                    }
                }
            }
            st
        }));
    }
    let mut total = Stats::default();
    for t in tasks {
        if let Ok(st) = t.await {
            total.ok += st.ok;
            total.errors += st.errors;
            total.latencies.extend(st.latencies);
        }
    }
    total.elapsed = start.elapsed();
    total.latencies.sort_unstable();
    total
}
