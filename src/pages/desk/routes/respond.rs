//! How the desk answers what is not a page of its own: a message in the desk's frame, a form
//! without our CSRF token, an API error in staff's words, a visitor who is not station staff.

use super::super::model::Me;
use super::super::rules;
use super::super::views::MessagePage;
use crate::pages::kit::{Pages, Visit};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use reqwest::Method;

/// A page that only says something.
pub fn message(v: Visit, status: StatusCode, heading: &str, text: &str) -> HttpResponse {
    let page = MessagePage { head: v.head(heading), heading: heading.into(), text: text.into() };
    match askama::Template::render(&page) {
        Ok(html) => v.page(status, html),
        Err(e) => {
            tracing::error!(error = %e, "rendering a desk message failed");
            HttpResponse::InternalServerError().finish()
        }
    }
}

/// A form post without our CSRF token: 403, nothing done.
pub fn forged(v: Visit) -> HttpResponse {
    message(v, StatusCode::FORBIDDEN, "页面已过期", "请返回上一页，刷新后重新提交。")
}

/// An error the page cannot recover from: logged when internal, shown in plain words.
pub fn fail(v: Visit, err: crate::error::AppError) -> HttpResponse {
    use actix_web::ResponseError;
    let status = err.status_code();
    if status.is_server_error() {
        tracing::error!(error = %err, "a desk page failed");
        return message(v, status, "系统繁忙", "请稍后再试。");
    }
    message(v, status, "无法完成操作", rules::error_text(err.code.as_str()))
}

/// An API answer that is not a success, as the desk shows it (404 and 403 as pages of their own).
pub fn refused(v: Visit, status: u16, code: &str) -> HttpResponse {
    match status {
        404 => message(v, StatusCode::NOT_FOUND, "没有找到", "该联络站或记录不存在，或不在您的管辖范围内。"),
        403 => not_staff(v),
        _ => message(v, StatusCode::UNPROCESSABLE_ENTITY, "无法完成操作", rules::error_text(code)),
    }
}

/// The desk is for station staff (and congress staff): anyone else is refused.
pub fn not_staff(v: Visit) -> HttpResponse {
    message(v, StatusCode::FORBIDDEN, "无权使用工作台", "此页面仅供代表联络站工作人员使用。")
}

/// The signed-in staff member, or the answer to give instead (sign in first; 403 for a deputy's
/// or anyone else's account).
pub async fn staff(mut v: Visit) -> Result<(Visit, Me), HttpResponse> {
    let r = match v.call(Method::GET, "/api/v1/auth/me", None, None).await {
        Ok(r) => r,
        Err(e) => return Err(fail(v, e)),
    };
    if r.status == 401 {
        let here = v.here().to_string();
        return Err(v.sign_in_first(&here));
    }
    match serde_json::from_value::<Me>(r.body) {
        Ok(me) if matches!(me.role.as_str(), "station_staff" | "admin") => Ok((v, me)),
        Ok(_) => Err(not_staff(v)),
        Err(e) => Err(fail(v, crate::error::AppError::internal(format!("auth/me: {e}")))),
    }
}

/// A form post by signed-in staff: its CSRF token first (403, nothing done, without it), then
/// the account as for [`staff`].
pub async fn staff_form(v: Visit, csrf: &str) -> Result<(Visit, Me), HttpResponse> {
    if !v.csrf_ok(csrf) {
        return Err(forged(v));
    }
    staff(v).await
}

/// Any other path under `/desk/`.
pub async fn unknown(req: HttpRequest, pages: web::Data<Pages>) -> HttpResponse {
    let v = pages.desk_visit(&req);
    message(v, StatusCode::NOT_FOUND, "没有找到这个页面", "请从工作台首页进入。")
}
