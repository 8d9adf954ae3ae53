//! zh-CN by default, English on request (cookie `gr_lang`, else a browser that prefers English
//! in `Accept-Language`). Text is written inline as pairs,
//! `l.t("户籍", "Households")`, so both languages stay side by side in the code.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn from_cookie(v: Option<&str>) -> Lang {
        match v {
            Some("en") => Lang::En,
            _ => Lang::Zh,
        }
    }

    /// The language a browser asks for in `Accept-Language`: English when an English tag
    /// weighs more than every Chinese one (and more than zero); Chinese otherwise.
    pub fn from_accept_language(v: Option<&str>) -> Lang {
        let (mut zh, mut en) = (0u32, 0u32);
        for part in v.unwrap_or("").split(',') {
            let mut it = part.split(';');
            let tag = it.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = it
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(1000, quality);
            let primary = tag.split('-').next().unwrap_or("");
            match primary {
                "zh" => zh = zh.max(q),
                "en" => en = en.max(q),
                _ => {}
            }
        }
        if en > zh {
            Lang::En
        } else {
            Lang::Zh
        }
    }

    pub fn t(self, zh: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn is_zh(self) -> bool {
        self == Lang::Zh
    }

    pub fn level(self, level: &str) -> &'static str {
        match level {
            "province" => self.t("省", "Province"),
            "city" => self.t("市", "City"),
            "county" => self.t("县(区)", "County"),
            "township" => self.t("乡镇(街道)", "Township"),
            "village" => self.t("村(社区)", "Village"),
            "grid" => self.t("网格", "Grid"),
            "micro_grid" => self.t("微网格", "Micro-grid"),
            _ => self.t("单位", "Unit"),
        }
    }

    pub fn role(self, role: domain::access::Role) -> &'static str {
        match self {
            Lang::Zh => role.label_zh(),
            Lang::En => role.label_en(),
        }
    }

    pub fn sex(self, sex: Option<&str>) -> &'static str {
        match sex {
            Some("male") => self.t("男", "Male"),
            Some("female") => self.t("女", "Female"),
            _ => "",
        }
    }
}

/// A quality value `0.8` as thousandths (800); unreadable is 0.
fn quality(q: &str) -> u32 {
    let q = q.trim();
    let (whole, frac) = q.split_once('.').unwrap_or((q, ""));
    let whole: u32 = match whole {
        "1" => 1000,
        "0" | "" => 0,
        _ => return 0,
    };
    let digits: String = frac.chars().take(3).collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return 0;
    }
    let frac = format!("{digits:0<3}").parse::<u32>().unwrap_or(0);
    (whole + frac).min(1000)
}

/// Field errors in the reader's language only (what a form shows next to each input).
pub fn localized(
    errors: Vec<domain::message::FieldError>,
    l: Lang,
) -> Vec<domain::message::FieldError> {
    errors.iter().map(|e| e.only(l.is_zh())).collect()
}

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn accept_language_picks_english_only_when_preferred() {
        for (header, want) in [
            (None, Lang::Zh),
            (Some(""), Lang::Zh),
            (Some("en-US,en;q=0.9"), Lang::En),
            (Some("zh-CN,zh;q=0.9,en;q=0.8"), Lang::Zh),
            (Some("en-GB;q=0.9,zh;q=0.5"), Lang::En),
            (Some("fr-FR,en;q=0.5"), Lang::En),
            (Some("fr-FR"), Lang::Zh),
            (Some("en;q=0"), Lang::Zh),
            (Some("zh-TW;q=0.5,en;q=0.5"), Lang::Zh),
            (Some("EN"), Lang::En),
            (Some("en;q=abc"), Lang::Zh),
        ] {
            assert_eq!(Lang::from_accept_language(header), want, "{header:?}");
        }
    }
}
