//! Regions (the GB/T 2260 tree, one congress each) and deputy groups (代表小组).

mod routes;

pub use routes::{
    create_group, create_region, delete_group, get_group, get_region, list_groups, list_regions, update_group,
    update_region,
};
