//! zh-CN by default, English on request (cookie `gr_lang`). Text is written inline as pairs,
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

/// Field errors in the reader's language only (what a form shows next to each input).
pub fn localized(
    errors: Vec<domain::message::FieldError>,
    l: Lang,
) -> Vec<domain::message::FieldError> {
    errors.iter().map(|e| e.only(l.is_zh())).collect()
}
