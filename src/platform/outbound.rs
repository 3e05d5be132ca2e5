//! Outbound HTTP (push gateways, webhooks, the SMS gateway): the server must not be turned
//! against the network it sits in. A URL is refused at start-up when it names a private,
//! loopback, link-local (cloud metadata), shared or unspecified address in any spelling; at
//! connect time a host name is refused when it resolves only to such addresses; redirects are
//! never followed. The hosts in `LVZHI_OUTBOUND_ALLOW` — and only they — may be private (a
//! gateway inside the congress's own network).

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

/// Loopback, private, link-local (169.254.169.254 is the cloud metadata service), shared
/// (100.64/10), unspecified and broadcast IPv4 addresses.
pub fn private_v4(v4: Ipv4Addr) -> bool {
    let shared = v4.octets()[0] == 100 && (v4.octets()[1] & 0xc0) == 64;
    v4.is_private() || v4.is_loopback() || v4.is_link_local() || v4.is_unspecified() || v4.is_broadcast() || shared
}

/// [`private_v4`] for both families (an IPv4-mapped IPv6 address counts as its IPv4 one).
pub fn private_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => private_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => private_v4(v4),
            None => v6.is_loopback() || v6.is_unspecified() || v6.is_unique_local() || v6.is_unicast_link_local(),
        },
    }
}

/// Checks an outbound URL at start-up: http(s), with a host that is not a private address (as
/// a literal, however spelled) unless the host is allowed.
pub fn check_url(raw: &str, allow: &[String]) -> Result<(), String> {
    let url = reqwest::Url::parse(raw).map_err(|e| format!("`{raw}` is not a URL: {e}"))?;
    if url.scheme() != "https" && url.scheme() != "http" {
        return Err(format!("`{raw}` must be http:// or https://"));
    }
    // The URL parser has already turned decimal, octal and hex IPv4 forms (`http://2130706433/`,
    // `http://0177.0.0.1/`) into plain addresses.
    let private = match url.host() {
        None => return Err(format!("`{raw}` has no host")),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost") || d.to_ascii_lowercase().ends_with(".localhost"),
        Some(url::Host::Ipv4(v4)) => private_ip(IpAddr::V4(v4)),
        Some(url::Host::Ipv6(v6)) => private_ip(IpAddr::V6(v6)),
    };
    let host = url.host_str().unwrap_or_default().trim_start_matches('[').trim_end_matches(']');
    if private && !allowed(allow, host) {
        return Err(format!("`{raw}` points at a private or loopback address (list its host in LVZHI_OUTBOUND_ALLOW to allow it)"));
    }
    Ok(())
}

fn allowed(allow: &[String], host: &str) -> bool {
    allow.iter().any(|a| a.eq_ignore_ascii_case(host))
}

/// Resolves host names, keeping only public addresses unless the host is allowed.
struct Guard {
    allow: Arc<Vec<String>>,
}

impl Resolve for Guard {
    fn resolve(&self, name: Name) -> Resolving {
        let allow = self.allow.clone();
        Box::pin(async move {
            let host = name.as_str().to_string();
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let keep: Vec<SocketAddr> = if allowed(&allow, &host) { found } else { found.into_iter().filter(|a| !private_ip(a.ip())).collect() };
            if keep.is_empty() {
                return Err(format!("`{host}` resolves to no public address (list it in LVZHI_OUTBOUND_ALLOW to allow it)").into());
            }
            let addrs: Addrs = Box::new(keep.into_iter());
            Ok(addrs)
        })
    }
}

/// An HTTP client for outbound calls: the guarded resolver, no redirects, bounded time.
pub fn client(allow: &[String], timeout: Duration) -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .dns_resolver(Arc::new(Guard { allow: Arc::new(allow.to_vec()) }))
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout)
        .connect_timeout(Duration::from_secs(5).min(timeout))
        .build()
        .map_err(|e| format!("outbound HTTP client: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outbound_urls_stay_off_private_networks_unless_allowed() {
        for bad in [
            "http://127.0.0.1:9/push",
            "http://localhost/x",
            "http://a.localhost/x",
            "https://10.1.2.3/",
            "http://192.168.1.1/",
            "http://172.16.0.1/",
            "http://169.254.169.254/latest/meta-data/",
            "http://100.64.0.1/",
            "http://0.0.0.0/",
            "http://2130706433/",
            "http://0177.0.0.1/",
            "http://0x7f.1/",
            "http://017700000001/",
            "http://[::1]:80/",
            "http://[::ffff:127.0.0.1]/",
            "http://[::ffff:a9fe:a9fe]/",
            "http://[fd00::1]/",
            "http://[fe80::1]/",
            "ftp://example.com/",
            "file:///etc/passwd",
        ] {
            assert!(check_url(bad, &[]).is_err(), "{bad}");
        }
        assert!(check_url("https://push.example.cn/v1", &[]).is_ok());
        // Only the listed host is allowed, in whatever case; not its neighbours.
        let allow = vec!["127.0.0.1".to_string(), "Gateway.Internal".to_string()];
        assert!(check_url("http://127.0.0.1:9/push", &allow).is_ok());
        assert!(check_url("http://127.0.0.2:9/push", &allow).is_err());
        assert!(check_url("http://2130706433/", &allow).is_ok(), "the same address, spelled in decimal");
        assert!(check_url("http://gateway.internal/", &allow).is_ok());
        assert!(check_url("http://[::1]/", &allow).is_err());
    }

    #[tokio::test]
    async fn names_resolving_to_private_addresses_are_refused_at_connect_time() {
        let g = Guard { allow: Arc::new(vec![]) };
        let err = g.resolve("localhost".parse().unwrap()).await.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.contains("no public address"), "{err}");
        let ok = Guard { allow: Arc::new(vec!["localhost".into()]) };
        assert!(ok.resolve("localhost".parse().unwrap()).await.is_ok());
    }
}
