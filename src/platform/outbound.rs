//! Outbound HTTP (push gateways, webhooks, the SMS gateway): the server must not be turned
//! against the network it sits in. A URL is refused at start-up when it names a private,
//! loopback, link-local (cloud metadata), shared or unspecified address in any spelling; at
//! connect time a host name is refused when it resolves only to such addresses; redirects are
//! never followed. The hosts in `LVZHI_OUTBOUND_ALLOW` — and only they — may be private (a
//! gateway inside the congress's own network).

use ipnet::IpNet;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, LazyLock};
use std::time::Duration;

/// The blocks of the IANA IPv4 and IPv6 Special-Purpose Address Registries that are not
/// globally reachable, plus multicast, the deprecated site-local block and the 6to4 relay
/// anycast block: no gateway of ours lives there.
const NOT_GLOBAL: [&str; 28] = [
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.0.0.0/24",
    "192.0.2.0/24",
    "192.88.99.0/24",
    "192.168.0.0/16",
    "198.18.0.0/15",
    "198.51.100.0/24",
    "203.0.113.0/24",
    "224.0.0.0/4",
    "240.0.0.0/4",
    "::/128",
    "::1/128",
    "64:ff9b:1::/48",
    "100::/64",
    "2001::/23",
    "2001:db8::/32",
    "2001:10::/28",
    "3fff::/20",
    "5f00::/16",
    "fc00::/7",
    "fe80::/10",
    "fec0::/10",
    "ff00::/8",
];

static BLOCKS: LazyLock<Vec<IpNet>> = LazyLock::new(|| NOT_GLOBAL.iter().filter_map(|n| n.parse().ok()).collect());

/// The IPv4 address an IPv6 address carries, in every form that reaches an IPv4 host:
/// IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible (`::a.b.c.d`), NAT64 (`64:ff9b::/96`), 6to4
/// (`2002::/16`) and Teredo (`2001::/32`, the server and the client).
fn embedded_v4(v6: Ipv6Addr) -> Vec<Ipv4Addr> {
    let s = v6.segments();
    let tail = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    let mut out = vec![];
    if let Some(v4) = v6.to_ipv4_mapped() {
        out.push(v4);
    }
    if s[..6] == [0; 6] && !(s[6] == 0 && s[7] <= 1) {
        out.push(tail);
    }
    if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        out.push(tail);
    }
    if s[0] == 0x2002 {
        out.push(Ipv4Addr::new((s[1] >> 8) as u8, s[1] as u8, (s[2] >> 8) as u8, s[2] as u8));
    }
    if s[0] == 0x2001 && s[1] == 0 {
        out.push(Ipv4Addr::new((s[2] >> 8) as u8, s[2] as u8, (s[3] >> 8) as u8, s[3] as u8));
        out.push(Ipv4Addr::from(!u32::from(tail)));
    }
    out
}

/// Whether an address is not globally reachable ([`NOT_GLOBAL`]), or is an IPv6 address that
/// carries such an IPv4 address. 169.254.169.254 (cloud metadata) is in there, in every form.
pub fn private_ip(ip: IpAddr) -> bool {
    if BLOCKS.iter().any(|n| n.contains(&ip)) {
        return true;
    }
    match ip {
        IpAddr::V4(_) => false,
        IpAddr::V6(v6) => embedded_v4(v6).into_iter().any(|v4| private_ip(IpAddr::V4(v4))),
    }
}

/// A host name that means this machine (`localhost`, `x.localhost`, with or without the
/// trailing dot).
fn local_name(host: &str) -> bool {
    let h = host.trim_end_matches('.').to_ascii_lowercase();
    h == "localhost" || h.ends_with(".localhost") || h == "localhost.localdomain"
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
        Some(url::Host::Domain(d)) => local_name(d),
        Some(url::Host::Ipv4(v4)) => private_ip(IpAddr::V4(v4)),
        Some(url::Host::Ipv6(v6)) => private_ip(IpAddr::V6(v6)),
    };
    let host = url.host_str().unwrap_or_default().trim_start_matches('[').trim_end_matches(']');
    if private && !allowed(allow, host) {
        return Err(format!(
            "`{raw}` points at a private or loopback address (list its host in LVZHI_OUTBOUND_ALLOW to allow it)"
        ));
    }
    Ok(())
}

/// Whether a URL that apps will load (a deputy's photo) is `https://` and names no private,
/// loopback or local host: the server fetches none of them, but phones on a station's network
/// would.
pub fn public_https(raw: &str) -> bool {
    raw.len() <= 500 && raw.starts_with("https://") && check_url(raw, &[]).is_ok()
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
            let keep: Vec<SocketAddr> = if allowed(&allow, &host) {
                found
            } else {
                found.into_iter().filter(|a| !private_ip(a.ip())).collect()
            };
            if keep.is_empty() {
                return Err(format!(
                    "`{host}` resolves to no public address (list it in LVZHI_OUTBOUND_ALLOW to allow it)"
                )
                .into());
            }
            let addrs: Addrs = Box::new(keep.into_iter());
            Ok(addrs)
        })
    }
}

/// An HTTP client for outbound calls: the guarded resolver, no redirects, bounded time.
pub fn client(allow: &[String], timeout: Duration) -> Result<reqwest::Client, String> {
    builder(allow, timeout).build().map_err(|e| format!("outbound HTTP client: {e}"))
}

/// The same for a service that speaks only HTTP/2 (APNs; FCM's v1 API too): HTTP/2 from the
/// first byte, so every request to a host shares one connection, many in flight at once (over
/// plain http that is h2c, as a local relay or a test's stand-in speaks it).
pub fn client_http2(allow: &[String], timeout: Duration) -> Result<reqwest::Client, String> {
    builder(allow, timeout)
        .http2_prior_knowledge()
        // hyper's fixed windows (5 MB the connection): the adaptive window starts at 64 KB, and
        // h2 lets a peer's small answers pile up unread to only half the window before it
        // calls that abuse and drops the connection — hundreds of answers in flight do.
        .http2_initial_connection_window_size(5 * 1024 * 1024)
        .http2_keep_alive_interval(Duration::from_secs(30))
        .http2_keep_alive_while_idle(true)
        .build()
        .map_err(|e| format!("outbound HTTP/2 client: {e}"))
}

/// An outbound call's error with its causes ("error sending request" says little; the cause — a
/// reset connection, a refused stream — says what to look at).
pub fn describe(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        out.push_str(": ");
        out.push_str(&c.to_string());
        cause = c.source();
    }
    out
}

fn builder(allow: &[String], timeout: Duration) -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .dns_resolver(Arc::new(Guard { allow: Arc::new(allow.to_vec()) }))
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout)
        .connect_timeout(Duration::from_secs(5).min(timeout))
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
            "http://[::127.0.0.1]/",
            "http://[::a9fe:a9fe]/",
            "http://[64:ff9b::a9fe:a9fe]/",
            "http://[64:ff9b::10.0.0.1]/",
            "http://[64:ff9b:1::a00:1]/",
            "http://[2002:7f00:1::]/",
            "http://[2002:a9fe:a9fe::1]/",
            "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",
            "http://[fec0::1]/",
            "http://[ff02::1]/",
            "http://0.1.2.3/",
            "http://localhost./x",
            "http://LOCALHOST/x",
            "http://224.0.0.1/",
            "http://198.18.0.1/",
            "ftp://example.com/",
            "file:///etc/passwd",
        ] {
            assert!(check_url(bad, &[]).is_err(), "{bad}");
        }
        assert!(check_url("https://push.example.cn/v1", &[]).is_ok());
        for good in
            ["https://1.2.3.4/", "https://[2400:3200::1]/", "https://[64:ff9b::101:101]/", "https://[2002:101:101::1]/"]
        {
            assert!(check_url(good, &[]).is_ok(), "{good}");
        }
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
