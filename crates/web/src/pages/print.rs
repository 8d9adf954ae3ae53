//! What printed lists share (the ledger report, the AAA list): a print stylesheet that hides
//! the navigation and keeps rows whole, and the signature lines of the people who answer for
//! the paper — the preparer, the reviewer and the villagers' supervisory committee — with a date.

use crate::i18n::Lang;
use maud::{html, Markup, PreEscaped};

const PRINT_CSS: &str = ".report th,.report td{white-space:normal;word-break:break-word}\
.signatures{display:flex;flex-wrap:wrap;gap:1rem 2.5rem;margin-top:2.5rem}.signatures span{min-width:12rem}\
@media print{.report .scroll{overflow:visible}header,nav,.noprint,.crumbs{display:none!important}body{background:#fff;font-size:11pt}\
main{max-width:none;padding:0}.card,.stat{border:0;padding:.2rem 0}th,td{white-space:normal;border-bottom:1px solid #999}\
table{page-break-inside:auto}tr{page-break-inside:avoid}h2{page-break-after:avoid}a{color:#000;text-decoration:none}}";

/// The print stylesheet, to put in the body of a printable page (inside `div class="report"`).
pub fn style() -> Markup {
    html! { style { (PreEscaped(PRINT_CSS)) } }
}

/// The line above a printed list: how to print, and a link back.
pub fn how_to_print(l: Lang, back: &str, back_label: &str) -> Markup {
    html! {
        p class="noprint" { a href=(back) { (back_label) } " · " (l.t("用浏览器“打印”即可打印或存为 PDF。", "Use the browser's Print to print or save as PDF.")) }
    }
}

/// Signature lines: each signer signs by hand; the date is written when signed.
pub fn signatures(l: Lang) -> Markup {
    html! {
        div class="signatures" {
            span { (l.t("制表人：", "Prepared by: ")) "__________" }
            span { (l.t("审核人：", "Reviewed by: ")) "__________" }
            span { (l.t("村务监督委员会：", "Village affairs supervisory committee: ")) "__________" }
            span { (l.t("日期：", "Date: ")) "____年__月__日" }
        }
    }
}
