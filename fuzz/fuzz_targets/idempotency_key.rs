//! Any bytes sent as an `Idempotency-Key` header: parsing never panics, and an accepted key is
//! 1–128 visible characters.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(k) = lvzhi::platform::idempotency::parse_key(data) {
        assert!(!k.is_empty() && k.len() <= 128 && k.bytes().all(|b| b.is_ascii_graphic() || b == b' '), "{k:?}");
    }
});
