//! Any text presented as a station QR token: parsing and verification never panic, and only
//! a token made with the secret verifies.
#![no_main]
use libfuzzer_sys::fuzz_target;
use lvzhi::checkins::qr::{self, Place};

fuzz_target!(|data: &[u8]| {
    let token = String::from_utf8_lossy(data);
    let _ = qr::claimed_place(&token);
    let now = 1_790_000_000;
    let (good, _) = qr::issue(b"secret", Place::Station(7), now);
    if token != good && qr::verify(b"secret", Place::Station(7), &token, now, 20).is_ok() {
        // A different token that verifies must at least be one issued for a nearby window.
        assert!(qr::claimed_place(&token) == Some(Place::Station(7)), "{token}");
    }
});
