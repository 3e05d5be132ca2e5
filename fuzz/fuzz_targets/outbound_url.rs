//! Any text configured as an outbound URL: the validator never panics, and a URL it accepts
//! names no loopback, private, link-local or unspecified address however it is spelled.
#![no_main]
use libfuzzer_sys::fuzz_target;
use lvzhi::platform::outbound::{check_url, private_ip};

fuzz_target!(|data: &[u8]| {
    let raw = String::from_utf8_lossy(data);
    if check_url(&raw, &[]).is_ok() {
        let url = url::Url::parse(&raw).expect("accepted URLs parse");
        match url.host() {
            Some(url::Host::Ipv4(ip)) => assert!(!private_ip(ip.into()), "{raw}"),
            Some(url::Host::Ipv6(ip)) => assert!(!private_ip(ip.into()), "{raw}"),
            Some(url::Host::Domain(d)) => assert!(!d.eq_ignore_ascii_case("localhost"), "{raw}"),
            None => panic!("accepted without a host: {raw}"),
        }
    }
});
