//! Any position in any coordinate system: conversion to WGS-84 and the geofence test never
//! panic, and a position inside China stays within 2 km of where it was given.
#![no_main]
use libfuzzer_sys::fuzz_target;
use lvzhi::checkins::geo::{self, CoordSystem};

fuzz_target!(|data: &[u8]| {
    if data.len() < 25 {
        return;
    }
    let f = |i: usize| f64::from_le_bytes(data[i..i + 8].try_into().unwrap_or([0; 8]));
    let (lat, lng, acc) = (f(0), f(8), f(16));
    let sys = [CoordSystem::Wgs84, CoordSystem::Gcj02, CoordSystem::Bd09][data[24] as usize % 3];
    let (wlat, wlng) = geo::to_wgs84(sys, lat, lng);
    let d = geo::distance_m((lat, lng), (wlat, wlng));
    let _ = geo::inside(d, 100.0, acc);
    if (18.0..54.0).contains(&lat) && (73.0..136.0).contains(&lng) {
        assert!(d.is_finite() && d < 2_000.0, "{sys:?} ({lat}, {lng}) moved {d} m");
    }
});
