//! lvzhi (履职): the backend of the deputy duty-performance app and the cloud reception room.

pub mod audit;
pub mod auth;
pub mod checkins;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod error;
pub mod files;
pub mod http;
pub mod ledger;
pub mod live;
pub mod notices;
pub mod openapi;
pub mod ops;
pub mod org;
pub mod pages;
pub mod platform;
pub mod projects;
pub mod push;
pub mod reception;
pub mod reports;
pub mod sms;
pub mod startup;
pub mod state;
pub mod suggestions;
