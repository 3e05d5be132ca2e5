//! Routes: the privacy notice, a sign-in code by SMS, signing in with it.

use crate::auth::TokenResponse;
use crate::auth::{open_session, RequestMeta};
use crate::db;
use crate::error::{AppError, AppResult, Code, Problem};
use crate::platform::ratelimit;
use crate::reception::model::{CodeRequest, CodeSent, CodeSignIn, PrivacyNotice};
use crate::reception::{rules, store};
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};

const NOTICE: &str = "人大代表履职平台“云接待室”隐私政策：我们收集您的手机号码用于登录和接收办理结果，收集您提交的意见内容、位置和照片用于转交人大代表和承办单位办理；您的手机号码仅对经授权的人大工作人员完整显示，对代表和承办单位以脱敏形式显示，每次完整查看均记录在案。";

fn phone(raw: &str) -> AppResult<String> {
    crate::org::rules::normalize_phone(raw)
        .ok_or_else(|| AppError::invalid_field("phone", "invalid_phone", "a mainland mobile number, 11 digits"))
}

/// The privacy notice a constituent agrees to; its `version` goes with the first sign-in.
#[utoipa::path(tag = "reception", responses((status = 200, body = PrivacyNotice)))]
#[get("/api/v1/public/privacy-notice")]
pub async fn privacy_notice(state: web::Data<AppState>) -> web::Json<PrivacyNotice> {
    web::Json(PrivacyNotice { version: state.settings.privacy_notice_version.clone(), text: NOTICE.into() })
}

/// Ask for a sign-in code by SMS (valid 5 minutes). At most one a minute and five an hour per
/// number, twenty an hour per client address (429 `rate_limited` beyond).
#[utoipa::path(tag = "reception", request_body = CodeRequest,
    responses((status = 202, body = CodeSent), (status = 422, body = Problem, description = "`invalid_phone`"), (status = 429, body = Problem, description = "`rate_limited`")))]
#[post("/api/v1/public/auth/code")]
pub async fn request_code(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: web::Json<CodeRequest>,
) -> AppResult<HttpResponse> {
    let phone = phone(&body.phone)?;
    // Neither the cache nor the code table learns the number: both know its keyed hash.
    let hash = state.pii.phone_hash(&phone);
    let ip = meta.ip.clone().unwrap_or_else(|| "unknown".into());
    ratelimit::hit(&state.cache, &state.clock, &format!("otp-ip:{ip}"), 20, 3600).await?;
    ratelimit::hit(&state.cache, &state.clock, &format!("otp-phone-minute:{hash}"), 1, 60).await?;
    ratelimit::hit(&state.cache, &state.clock, &format!("otp-phone-hour:{hash}"), 5, 3600).await?;
    let (code, now, pii) = (rules::new_code(), state.now(), state.pii.clone());
    let expires = now + chrono::Duration::seconds(rules::CODE_SECS);
    db::tx(&state.db, move |c| {
        let id = store::insert_code(c, &hash, &rules::code_hash(&hash, &code), expires, now)?;
        crate::sms::enqueue_text(c, &pii, &phone, &rules::code_text(&code), &format!("lvzhi-otp-{id}"), now)
    })
    .await?;
    // Send now rather than at the SMS worker's next round.
    let st = state.get_ref().clone();
    actix_web::rt::spawn(async move {
        if let Err(e) = crate::sms::deliver_once(&st).await {
            tracing::warn!(error = %e, "sending a sign-in code failed; the SMS worker retries");
        }
    });
    Ok(HttpResponse::Accepted().json(CodeSent { expires_in: rules::CODE_SECS, resend_after: 60 }))
}

/// Sign in with the code: access and refresh tokens for the constituent (the account is made at
/// the first sign-in, with the consent to the privacy notice). A wrong code → 401 `otp_invalid`;
/// the fifth wrong try burns it (401 `otp_burned`); an old one → 401 `otp_expired`.
#[utoipa::path(tag = "reception", request_body = CodeSignIn,
    responses((status = 200, body = TokenResponse), (status = 401, body = Problem, description = "`otp_invalid`, `otp_expired`, `otp_burned`"),
        (status = 422, body = Problem, description = "`invalid_phone`, `consent_required`"), (status = 429, body = Problem, description = "`rate_limited`")))]
#[post("/api/v1/public/auth/sign-in")]
pub async fn sign_in(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: web::Json<CodeSignIn>,
) -> AppResult<web::Json<TokenResponse>> {
    let b = body.into_inner();
    let phone = phone(&b.phone)?;
    let ip = meta.ip.clone().unwrap_or_else(|| "unknown".into());
    ratelimit::hit(&state.cache, &state.clock, &format!("otp-sign-in:{ip}"), state.settings.login_rate_per_minute, 60)
        .await?;
    let (now, current, pii) = (state.now(), state.settings.privacy_notice_version.clone(), state.pii.clone());
    let hash = pii.phone_hash(&phone);
    let account = db::tx(&state.db, move |c| {
        let known = store::by_phone_hash(c, &hash)?;
        let consents = b.consent_version.as_deref() == Some(current.as_str());
        if !consents && known.as_ref().is_none_or(|k| k.2 != current) {
            return Err(AppError::invalid_field(
                "consent_version",
                "consent_required",
                format!("agree to the privacy notice, version {current}"),
            ));
        }
        let (id, code_hash, expires, attempts) = store::live_code(c, &hash)?
            .ok_or_else(|| AppError::unauthorized("no code is waiting for this number").with_code(Code::OtpInvalid))?;
        if expires < now {
            return Err(AppError::unauthorized("the code has expired; ask for a new one").with_code(Code::OtpExpired));
        }
        if rules::code_hash(&hash, &b.code) != code_hash {
            let (tries, burned) = rules::after_wrong_try(attempts);
            store::wrong_try(c, id, tries, burned, now)?;
            return Ok(Err(if burned {
                AppError::unauthorized("too many wrong tries; ask for a new code").with_code(Code::OtpBurned)
            } else {
                AppError::unauthorized("the code is wrong").with_code(Code::OtpInvalid)
            }));
        }
        if !store::use_code(c, id, now)? {
            return Err(AppError::unauthorized("the code was used").with_code(Code::OtpInvalid));
        }
        let account = match known {
            Some((kid, account, version)) => {
                if version != current {
                    store::consent(c, kid, &current, now)?;
                }
                account
            }
            None => crate::reception::constituents::accounts::make(c, &pii, &phone, &current, now)?.1,
        };
        Ok(Ok(crate::auth::account_by_id(c, account)?.ok_or_else(AppError::not_found)?))
    })
    .await?;
    // A wrong try is recorded (committed) before it is answered.
    let account = account?;
    Ok(web::Json(open_session(&state, &meta, account).await?))
}
