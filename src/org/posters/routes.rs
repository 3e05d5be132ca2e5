//! Routes: a station's poster and a deputy's card, as printable A4 pages (HTML with a print
//! style sheet) for staff in scope.

use crate::auth::policy::{self, Action, Kind, Target};
use crate::auth::{Principal, Role};
use crate::db;
use crate::error::{AppError, AppResult, Code, ReadErrors};
use crate::org::store::{deputies as ds, stations as ss};

use crate::state::AppState;
use actix_web::{get, web, HttpRequest, HttpResponse};
use askama::Template;

#[derive(Template)]
#[template(path = "poster.html")]
struct Poster {
    nonce: String,
    title: String,
    subtitle: Option<String>,
    qr: String,
    lines: Vec<String>,
    url: String,
    is_card: bool,
}

/// Where printed codes point: the configured public address, or (development) this request's.
fn page_url(state: &AppState, req: &HttpRequest, code: &str) -> String {
    format!("{}/m/{code}", crate::http::public_base(state.settings.public_base_url.as_deref(), req))
}

fn qr_svg(data: &str) -> AppResult<String> {
    let code =
        qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::Q).map_err(AppError::internal)?;
    Ok(code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(400, 400).quiet_zone(true).build())
}

fn staff(p: &Principal) -> AppResult<()> {
    match p.role {
        Role::Admin | Role::StationStaff => Ok(()),
        _ => Err(AppError::forbidden(Code::Forbidden, "posters and cards are printed by staff")),
    }
}

fn render(page: Poster) -> AppResult<HttpResponse> {
    let nonce = page.nonce.clone();
    let html = page.render().map_err(AppError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("X-Frame-Options", "DENY"))
        .insert_header((
            "Content-Security-Policy",
            format!("default-src 'none'; style-src 'nonce-{nonce}'; img-src 'self' data:; frame-ancestors 'none'"),
        ))
        .body(html))
}

fn nonce() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

/// A station's A4 poster with the QR code of its phone page (staff in scope; HTML to print).
#[utoipa::path(tag = "stations", params(("id" = i64, Path)), responses((status = 200, content_type = "text/html", body = String), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/stations/{id}/poster")]
pub async fn poster(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    staff(&p)?;
    let id = id.into_inner();
    let s = db::run(&state.db, move |c| {
        let (row, path) = ss::station(c, id)?.ok_or_else(AppError::not_found)?;
        policy::authorize(&p, Action::Read, &Target::station(id, path))?;
        Ok(row)
    })
    .await?;
    let url = page_url(&state, &req, &s.public_code);
    let mut lines = vec![format!("地址：{}", s.address)];
    lines.extend(s.opening_hours.map(|h| format!("开放时间：{h}")));
    lines.extend(s.contact_phone.map(|t| format!("联系电话：{t}")));
    let kind = if s.kind == "home" { "代表之家" } else { "代表联络站" };
    render(Poster {
        nonce: nonce(),
        title: s.name,
        subtitle: Some(kind.into()),
        qr: qr_svg(&url)?,
        lines,
        url,
        is_card: false,
    })
}

/// A deputy's card with the QR code of their phone page (staff in scope; HTML to print). It
/// never shows the deputy's phone number.
#[utoipa::path(tag = "deputies", params(("id" = i64, Path)), responses((status = 200, content_type = "text/html", body = String), ReadErrors), security(("bearer" = [])))]
#[get("/api/v1/deputies/{id}/card")]
pub async fn card(
    state: web::Data<AppState>,
    p: Principal,
    req: HttpRequest,
    id: web::Path<i64>,
) -> AppResult<HttpResponse> {
    staff(&p)?;
    let id = id.into_inner();
    let (d, seats) = db::run(&state.db, move |c| {
        let d = ds::deputy(c, id)?.ok_or_else(AppError::not_found)?;
        let seats = ds::seats_of(c, &[id])?;
        let paths: Vec<String> = seats.iter().map(|s| s.region_path.clone()).collect();
        policy::authorize(&p, Action::Read, &Target::many(Kind::Deputy, paths))?;
        let names = crate::org::public_seats(c, id)?;
        Ok((d, names))
    })
    .await?;
    let url = page_url(&state, &req, &d.public_code);
    let lines = seats.into_iter().map(|(level, region, group, term)| {
        let g = group.map(|g| format!(" · {g}")).unwrap_or_default();
        format!("{region} · {}（第{term}届）{g}", crate::org::rules::level_name(&level))
    });
    let page = Poster {
        nonce: nonce(),
        title: format!("{} 代表", d.name),
        subtitle: Some("扫码联系您的人大代表".into()),
        qr: qr_svg(&url)?,
        lines: lines.collect(),
        url,
        is_card: true,
    };
    render(page)
}
