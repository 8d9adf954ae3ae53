//! QR codes for the public pages ("码上知"): villagers scan a printed code on the notice board
//! instead of typing an address.

use axum::extract::Path;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use qrcode::render::svg;
use qrcode::QrCode;

/// The public credit page of a village as an SVG QR code, addressed through the host the
/// request came in on (so it works behind the county's own domain name).
pub async fn village_credit(Path(code): Path<String>, headers: HeaderMap) -> Response {
    if code.len() != 12 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return (StatusCode::NOT_FOUND, "not a village code").into_response();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("localhost");
    let scheme = match headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
    {
        Some("https") => "https",
        _ => "http",
    };
    let url = format!("{scheme}://{host}/public/villages/{code}/credit");
    match QrCode::new(url.as_bytes()) {
        Ok(qr) => {
            let image = qr.render::<svg::Color>().min_dimensions(240, 240).build();
            ([(header::CONTENT_TYPE, "image/svg+xml")], image).into_response()
        }
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "QR code could not be made",
        )
            .into_response(),
    }
}
