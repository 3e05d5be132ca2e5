//! The identity route table: tokens and accounts, in the order actix-web tries them.

pub(in crate::auth) mod accounts;
pub(in crate::auth) mod clients;
pub(in crate::auth) mod tokens;

use crate::platform::route_table::RouteTable;

/// Registers the auth routes, in the order actix-web tries them.
pub fn register<R: RouteTable>(r: &mut R) {
    r.add(tokens::login)
        .add(tokens::refresh)
        .add(tokens::logout)
        .add(tokens::me)
        .add(tokens::token)
        .add(tokens::jwks)
        .add(accounts::create)
        .add(accounts::list)
        .add(accounts::get_one)
        .add(clients::rotate)
        .add(clients::disable)
        .add(clients::enable);
}
