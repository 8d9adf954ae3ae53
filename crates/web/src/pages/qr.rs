//! QR codes for the public pages ("码上知"): villagers scan a printed code on the notice board
//! instead of typing an address.

use axum::extract::Path;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use qrcode::render::svg;
use qrcode::QrCode;

/// The scheme and host the request came in on (so codes work behind the county's own domain
/// name); a host header with anything but host characters is replaced by `localhost`.
pub fn base_url(headers: &HeaderMap) -> String {
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
    format!("{scheme}://{host}")
}

/// An SVG QR code of `path` on this site (`ok` false: 404, the path names nothing).
pub fn svg_for(headers: &HeaderMap, path: &str, ok: bool) -> Response {
    if !ok {
        return (StatusCode::NOT_FOUND, "no such page").into_response();
    }
    let url = format!("{}{path}", base_url(headers));
    match QrCode::new(url.as_bytes()) {
        Ok(qr) => {
            let image = qr.render::<svg::Color>().min_dimensions(240, 240).build();
            (
                [
                    (header::CONTENT_TYPE, "image/svg+xml"),
                    (header::CACHE_CONTROL, "public, max-age=86400"),
                ],
                image,
            )
                .into_response()
        }
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "QR code could not be made",
        )
            .into_response(),
    }
}

/// A PNG QR code of `path` on this site: 8 pixels a module and a 4-module quiet zone, black
/// on white, for printing on the notice board.
pub fn png_for(headers: &HeaderMap, path: &str, ok: bool) -> Response {
    if !ok {
        return (StatusCode::NOT_FOUND, "no such page").into_response();
    }
    let url = format!("{}{path}", base_url(headers));
    match QrCode::new(url.as_bytes())
        .ok()
        .and_then(|qr| png_bytes(&qr))
    {
        Some(bytes) => (
            [
                (header::CONTENT_TYPE, "image/png"),
                (header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            bytes,
        )
            .into_response(),
        None => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "QR code could not be made",
        )
            .into_response(),
    }
}

fn png_bytes(qr: &QrCode) -> Option<Vec<u8>> {
    const SCALE: usize = 8;
    const QUIET: usize = 4;
    let modules = qr.width();
    let colors = qr.to_colors();
    let side = (modules + 2 * QUIET) * SCALE;
    let mut pixels = vec![255u8; side * side];
    for (i, c) in colors.iter().enumerate() {
        if *c == qrcode::Color::Dark {
            let (mx, my) = (i % modules + QUIET, i / modules + QUIET);
            for y in my * SCALE..(my + 1) * SCALE {
                pixels[y * side + mx * SCALE..y * side + (mx + 1) * SCALE].fill(0);
            }
        }
    }
    let mut out = Vec::new();
    {
        let side = u32::try_from(side).ok()?;
        let mut enc = png::Encoder::new(&mut out, side, side);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().ok()?;
        w.write_image_data(&pixels).ok()?;
    }
    Some(out)
}

/// Whether a path segment has a village code's shape (12 digits): anything else names no page.
pub fn is_village_code(code: &str) -> bool {
    code.len() == 12 && code.bytes().all(|b| b.is_ascii_digit())
}

/// The public credit page of a village as an SVG QR code.
pub async fn village_credit(Path(code): Path<String>, headers: HeaderMap) -> Response {
    let ok = is_village_code(&code);
    svg_for(&headers, &format!("/public/villages/{code}/credit"), ok)
}
