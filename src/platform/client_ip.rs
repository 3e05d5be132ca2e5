//! Which address a request comes from, behind trusted reverse proxies. The chain is the
//! `X-Forwarded-For` entries followed by the connection's peer; it is read from the right, as
//! reverse proxies append: the peer and the configured number of hops (or every address inside
//! the configured proxy networks) are skipped, and the first address left is the client. What a
//! client writes at the left of the header is never taken. Pure: no I/O.

use ipnet::IpNet;
use std::net::IpAddr;

/// How far the proxies in front of lvzhi are trusted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum TrustProxy {
    /// No proxy: the peer is the client, forwarding headers are ignored.
    #[default]
    None,
    /// This many proxies, the peer being the first (`LVZHI_TRUST_PROXY_HOPS`).
    Hops(usize),
    /// Proxies are the addresses inside these networks (`LVZHI_TRUST_PROXY_CIDRS`).
    Networks(Vec<IpNet>),
}

impl TrustProxy {
    /// Reads the settings: networks win over hops; `LVZHI_TRUST_PROXY=true` alone means one hop.
    pub fn parse(cidrs: Option<&str>, hops: Option<&str>, legacy: bool) -> Result<TrustProxy, String> {
        if let Some(list) = cidrs.map(str::trim).filter(|s| !s.is_empty()) {
            let mut nets = vec![];
            for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                let net = item
                    .parse::<IpNet>()
                    .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("`{item}` is not a CIDR or address"))?;
                nets.push(net.trunc());
            }
            return Ok(TrustProxy::Networks(nets));
        }
        if let Some(h) = hops.map(str::trim).filter(|s| !s.is_empty()) {
            let n: usize = h.parse().map_err(|_| format!("`{h}` is not a number of hops"))?;
            return Ok(if n == 0 { TrustProxy::None } else { TrustProxy::Hops(n) });
        }
        Ok(if legacy { TrustProxy::Hops(1) } else { TrustProxy::None })
    }
}

/// One `X-Forwarded-For` entry: an address, optionally `[v6]:port` or `v4:port`.
fn entry(raw: &str) -> Option<IpAddr> {
    let s = raw.trim();
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Some(rest) = s.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    match s.rsplit_once(':') {
        Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => {
            host.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
        }
        _ => None,
    }
}

/// The client's address: `forwarded` holds the `X-Forwarded-For` header values in order.
pub fn client_ip(peer: Option<IpAddr>, forwarded: &[&str], trust: &TrustProxy) -> Option<IpAddr> {
    let peer = peer?;
    if *trust == TrustProxy::None {
        return Some(peer);
    }
    let mut chain: Vec<&str> =
        forwarded.iter().flat_map(|v| v.split(',')).map(str::trim).filter(|s| !s.is_empty()).collect();
    chain.reverse();
    // From the right: the peer, then the header's entries, last appended first.
    let mut client = peer;
    for (hop, raw) in (1..).zip(chain) {
        let trusted = match trust {
            TrustProxy::None => false,
            TrustProxy::Hops(n) => hop <= *n,
            TrustProxy::Networks(nets) => nets.iter().any(|n| n.contains(&client)),
        };
        if !trusted {
            return Some(client);
        }
        // A garbled entry where an address must be: stop at the last one a proxy vouched for.
        match entry(raw) {
            Some(ip) => client = ip,
            None => return Some(client),
        }
    }
    Some(client)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn one_hop_takes_the_entry_the_proxy_appended() {
        let t = TrustProxy::Hops(1);
        let got = client_ip(Some(ip("10.0.0.5")), &["6.6.6.6, 203.0.113.7"], &t);
        assert_eq!(got, Some(ip("203.0.113.7")));
        // Two header lines are one list.
        assert_eq!(client_ip(Some(ip("10.0.0.5")), &["6.6.6.6", "203.0.113.8"], &t), Some(ip("203.0.113.8")));
        // No header: the peer.
        assert_eq!(client_ip(Some(ip("10.0.0.5")), &[], &t), Some(ip("10.0.0.5")));
    }

    #[test]
    fn two_hops_and_short_chains() {
        let t = TrustProxy::Hops(2);
        assert_eq!(client_ip(Some(ip("10.0.0.5")), &["1.1.1.1, 2.2.2.2, 10.0.0.9"], &t), Some(ip("2.2.2.2")));
        assert_eq!(client_ip(Some(ip("10.0.0.5")), &["10.0.0.9"], &t), Some(ip("10.0.0.9")));
    }

    #[test]
    fn networks_skip_every_proxy_from_the_right() {
        let t = TrustProxy::parse(Some("10.0.0.0/8, 192.168.1.1"), None, false).unwrap();
        assert_eq!(
            client_ip(Some(ip("10.0.0.5")), &["6.6.6.6, 203.0.113.7, 192.168.1.1, 10.1.2.3"], &t),
            Some(ip("203.0.113.7"))
        );
        // A peer outside the proxies is the client whatever the header says.
        assert_eq!(client_ip(Some(ip("203.0.113.9")), &["6.6.6.6"], &t), Some(ip("203.0.113.9")));
    }

    #[test]
    fn untrusted_and_garbled() {
        assert_eq!(client_ip(Some(ip("203.0.113.9")), &["6.6.6.6"], &TrustProxy::None), Some(ip("203.0.113.9")));
        assert_eq!(client_ip(Some(ip("10.0.0.5")), &["6.6.6.6, garbage"], &TrustProxy::Hops(2)), Some(ip("10.0.0.5")));
        assert_eq!(
            client_ip(Some(ip("10.0.0.5")), &["[2001:db8::1]:443"], &TrustProxy::Hops(1)),
            Some(ip("2001:db8::1"))
        );
        assert_eq!(
            client_ip(Some(ip("10.0.0.5")), &["198.51.100.2:5555"], &TrustProxy::Hops(1)),
            Some(ip("198.51.100.2"))
        );
    }

    #[test]
    fn settings() {
        assert_eq!(TrustProxy::parse(None, None, true).unwrap(), TrustProxy::Hops(1));
        assert_eq!(TrustProxy::parse(None, Some("2"), true).unwrap(), TrustProxy::Hops(2));
        assert_eq!(TrustProxy::parse(None, None, false).unwrap(), TrustProxy::None);
        assert!(TrustProxy::parse(Some("nope"), None, false).is_err());
    }
}
