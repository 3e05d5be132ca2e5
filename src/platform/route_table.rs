//! One way to register routes on both kinds of actix-web configuration: the utoipa one (which
//! also collects each handler's documentation, for the OpenAPI document) and the plain one (what
//! every server worker builds). Each capability lists its handlers once, in a `register`
//! function taking any [`RouteTable`]; `openapi` calls them in order.

use actix_web::dev::HttpServiceFactory;
use utoipa_actix_web::OpenApiFactory;

/// A place handlers are registered, in the order given (actix-web tries routes in that order).
pub trait RouteTable {
    /// Registers one documented handler.
    fn add<F>(&mut self, handler: F) -> &mut Self
    where
        F: HttpServiceFactory + OpenApiFactory + 'static;
}

impl RouteTable for utoipa_actix_web::service_config::ServiceConfig<'_> {
    fn add<F>(&mut self, handler: F) -> &mut Self
    where
        F: HttpServiceFactory + OpenApiFactory + 'static,
    {
        self.service(handler)
    }
}

impl RouteTable for actix_web::web::ServiceConfig {
    fn add<F>(&mut self, handler: F) -> &mut Self
    where
        F: HttpServiceFactory + OpenApiFactory + 'static,
    {
        self.service(handler)
    }
}
