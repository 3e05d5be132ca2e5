//! Geometry for check-ins: conversion of GCJ-02 (Amap, Tencent) and BD-09 (Baidu) coordinates to
//! WGS-84, and great-circle distance. The GCJ-02 offset is the published obfuscation polynomial;
//! its inverse is found by fixed-point iteration (error well under a metre).

use std::f64::consts::PI;

const A: f64 = 6_378_245.0;
const EE: f64 = 0.006_693_421_622_965_943;
const EARTH_RADIUS_M: f64 = 6_371_008.8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoordSystem {
    Wgs84,
    Gcj02,
    Bd09,
}

impl CoordSystem {
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "wgs84" => Some(Self::Wgs84),
            "gcj02" => Some(Self::Gcj02),
            "bd09" => Some(Self::Bd09),
            _ => None,
        }
    }
}

fn outside_china(lat: f64, lng: f64) -> bool {
    !(72.004..=137.8347).contains(&lng) || !(0.8293..=55.8271).contains(&lat)
}

fn transform_lat(x: f64, y: f64) -> f64 {
    let mut r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    r
}

fn transform_lng(x: f64, y: f64) -> f64 {
    let mut r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    r
}

/// WGS-84 → GCJ-02 (the forward obfuscation).
pub fn wgs84_to_gcj02(lat: f64, lng: f64) -> (f64, f64) {
    if outside_china(lat, lng) {
        return (lat, lng);
    }
    let mut dlat = transform_lat(lng - 105.0, lat - 35.0);
    let mut dlng = transform_lng(lng - 105.0, lat - 35.0);
    let radlat = lat / 180.0 * PI;
    let mut magic = radlat.sin();
    magic = 1.0 - EE * magic * magic;
    let sqrtmagic = magic.sqrt();
    dlat = (dlat * 180.0) / ((A * (1.0 - EE)) / (magic * sqrtmagic) * PI);
    dlng = (dlng * 180.0) / (A / sqrtmagic * radlat.cos() * PI);
    (lat + dlat, lng + dlng)
}

/// GCJ-02 → WGS-84 by iterating the forward transform.
pub fn gcj02_to_wgs84(lat: f64, lng: f64) -> (f64, f64) {
    if outside_china(lat, lng) {
        return (lat, lng);
    }
    let (mut wlat, mut wlng) = (lat, lng);
    for _ in 0..10 {
        let (glat, glng) = wgs84_to_gcj02(wlat, wlng);
        let (dlat, dlng) = (glat - lat, glng - lng);
        wlat -= dlat;
        wlng -= dlng;
        if dlat.abs() < 1e-9 && dlng.abs() < 1e-9 {
            break;
        }
    }
    (wlat, wlng)
}

/// BD-09 → GCJ-02 (Baidu's extra offset).
pub fn bd09_to_gcj02(lat: f64, lng: f64) -> (f64, f64) {
    let x_pi = PI * 3000.0 / 180.0;
    let (x, y) = (lng - 0.0065, lat - 0.006);
    let z = (x * x + y * y).sqrt() - 0.00002 * (y * x_pi).sin();
    let theta = y.atan2(x) - 0.000003 * (x * x_pi).cos();
    (z * theta.sin(), z * theta.cos())
}

pub fn to_wgs84(sys: CoordSystem, lat: f64, lng: f64) -> (f64, f64) {
    match sys {
        CoordSystem::Wgs84 => (lat, lng),
        CoordSystem::Gcj02 => gcj02_to_wgs84(lat, lng),
        CoordSystem::Bd09 => {
            let (glat, glng) = bd09_to_gcj02(lat, lng);
            gcj02_to_wgs84(glat, glng)
        }
    }
}

/// Great-circle distance in metres (haversine).
pub fn distance_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lat2) = (a.0.to_radians(), b.0.to_radians());
    let dlat = lat2 - lat1;
    let dlng = (b.1 - a.1).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlng / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().asin()
}

/// Inside the geofence: within `radius + min(accuracy, 100 m)`.
pub fn inside(distance: f64, radius_m: f64, accuracy_m: f64) -> bool {
    distance <= radius_m + accuracy_m.clamp(0.0, 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gcj02_offset_in_china_and_round_trip() {
        // Tiananmen, WGS-84 (GPS) and the same spot as Amap shows it (GCJ-02).
        let wgs = (39.907_500, 116.391_200);
        let gcj = wgs84_to_gcj02(wgs.0, wgs.1);
        let off = distance_m(wgs, gcj);
        assert!((300.0..=700.0).contains(&off), "GCJ-02 offset {off} m");
        let back = gcj02_to_wgs84(gcj.0, gcj.1);
        assert!(distance_m(wgs, back) < 0.5);
    }

    #[test]
    fn known_pairs() {
        // Reference values of the widely used coordtransform library for (39.915, 116.404).
        let g = wgs84_to_gcj02(39.915, 116.404);
        assert!(distance_m(g, (39.916_401_219_631_255, 116.410_244_499_169_38)) < 5.0, "{g:?}");
        let b = bd09_to_gcj02(39.915, 116.404);
        assert!(distance_m(b, (39.908_656_739_576_31, 116.397_627_291_193_15)) < 5.0, "{b:?}");
        // BD-09 → WGS-84 moves roughly a kilometre.
        let w = to_wgs84(CoordSystem::Bd09, 39.915, 116.404);
        let off = distance_m((39.915, 116.404), w);
        assert!((800.0..=1600.0).contains(&off), "BD-09 offset {off} m");
    }

    #[test]
    fn outside_china_is_unchanged() {
        assert_eq!(wgs84_to_gcj02(48.85, 2.35), (48.85, 2.35));
    }

    #[test]
    fn geofence_counts_accuracy_up_to_100_m() {
        assert!(inside(240.0, 150.0, 100.0));
        assert!(!inside(260.0, 150.0, 500.0));
        assert!(!inside(151.0, 150.0, -5.0));
    }
}
