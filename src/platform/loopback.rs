//! The marker by which this process's own pages vouch for their visitor's address when they call
//! the API over loopback: a random value made once per process, never sent anywhere else. A
//! request from a loopback peer carrying it has its client address taken from the one
//! `X-Forwarded-For` entry the page wrote; any other request is read as before.

use std::net::IpAddr;
use std::sync::OnceLock;

/// The header the pages' API client sets.
pub const HEADER: &str = "x-lvzhi-page";

static MARKER: OnceLock<String> = OnceLock::new();

/// This process's marker.
pub fn marker() -> &'static str {
    MARKER.get_or_init(|| hex::encode(rand::random::<[u8; 24]>()))
}

/// The visitor's address a page vouched for: only from a loopback peer with this process's
/// marker (compared in constant time), and only a well-formed address.
pub fn vouched(peer: Option<IpAddr>, marker_sent: Option<&str>, forwarded: &[&str]) -> Option<IpAddr> {
    let sent = marker_sent?;
    if !peer?.is_loopback() {
        return None;
    }
    let ours = marker().as_bytes();
    let same = sent.len() == ours.len() && sent.bytes().zip(ours).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
    if !same || forwarded.len() != 1 {
        return None;
    }
    forwarded[0].trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_loopback_peer_with_the_marker_is_believed() {
        let lo: IpAddr = "127.0.0.1".parse().unwrap();
        let far: IpAddr = "203.0.113.9".parse().unwrap();
        let m = marker();
        assert_eq!(vouched(Some(lo), Some(m), &["198.51.100.7"]), Some("198.51.100.7".parse().unwrap()));
        assert_eq!(vouched(Some(far), Some(m), &["198.51.100.7"]), None);
        assert_eq!(vouched(Some(lo), Some("guess"), &["198.51.100.7"]), None);
        assert_eq!(vouched(Some(lo), None, &["198.51.100.7"]), None);
        assert_eq!(vouched(Some(lo), Some(m), &["1.1.1.1", "2.2.2.2"]), None);
        assert_eq!(vouched(Some(lo), Some(m), &["not an address"]), None);
    }
}
