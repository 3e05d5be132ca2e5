//! Any bytes uploaded as a deputies CSV: planning the import never panics; it answers a plan
//! or field errors.
#![no_main]
use libfuzzer_sys::fuzz_target;
use lvzhi::org::import::{plan, Lookups};
use std::collections::HashMap;

fuzz_target!(|data: &[u8]| {
    let lk = Lookups {
        regions: HashMap::from([("340102".to_string(), (3, "county".to_string())), ("340100".to_string(), (2, "city".to_string()))]),
        groups: HashMap::from([((3, 18, "瑶海区第一代表小组".to_string()), 1)]),
        phones: HashMap::from([("13700000001".to_string(), (1, "张三".to_string()))]),
    };
    let _ = plan(data, &lk);
});
