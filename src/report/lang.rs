//! Labels of the pages people read: Norwegian (bokmål) by default, since the users are
//! Norwegian; English with `--lang en`.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    /// Norwegian bokmål.
    #[default]
    Nb,
    /// English.
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nb => "nb",
            Lang::En => "en",
        }
    }

    /// The name of a category or summary figure, plural as in a table heading.
    pub fn category(self, key: &str) -> &'static str {
        let (nb, en) = match key {
            "mal" => ("Mål", "Goals"),
            "styringsparameter" => ("Styringsparametere", "Steering parameters"),
            "resultatkrav" => ("Resultatkrav", "Results targets"),
            "oppdrag" => ("Oppdrag", "Assignments (oppdrag)"),
            "rapporteringskrav" => ("Rapporteringskrav", "Reporting demands"),
            "fellesforing" => ("Fellesføringer", "Cross-government directives"),
            "foring" => ("Føringer", "Directives (føringer)"),
            "styringsprinsipp" => ("Styringsprinsipper", "Governance principles"),
            "deloppdrag" => ("Deloppdrag", "Sub-tasks (deloppdrag)"),
            "styringskrav" => ("Styringskrav i alt", "Steering demands in all"),
            "ka_total" => ("Mål + parametere + oppdrag", "Goals + parameters + oppdrag"),
            "quantitative_share" => ("Andel tallfestede krav", "Share of quantified targets"),
            "reporting_events" => ("Rapporteringer per år", "Reports per year"),
            "per_1000_words" => (
                "Styringskrav per 1 000 ord",
                "Steering demands per 1,000 words",
            ),
            "frist" => ("Med frist", "With a deadline"),
            "medvirkning" => ("Krav om medvirkning", "Demands to involve employees"),
            "individuelt" => (
                "Krav per ansatt eller leder",
                "Targets per employee or leader",
            ),
            _ => ("", ""),
        };
        self.pick(nb, en)
    }

    /// A short tag shown on every highlighted item, so the category is readable without
    /// colour.
    pub fn tag(self, key: &str) -> &'static str {
        let (nb, en) = match key {
            "mal" => ("MÅL", "GOAL"),
            "styringsparameter" => ("PARAMETER", "PARAMETER"),
            "resultatkrav" => ("RESULTATKRAV", "TARGET"),
            "oppdrag" => ("OPPDRAG", "OPPDRAG"),
            "rapporteringskrav" => ("RAPPORTERING", "REPORTING"),
            "fellesforing" => ("FELLESFØRING", "COMMON"),
            "foring" => ("FØRING", "DIRECTIVE"),
            "styringsprinsipp" => ("PRINSIPP", "PRINCIPLE"),
            _ => ("", ""),
        };
        self.pick(nb, en)
    }

    /// Other words of the pages.
    pub fn word(self, key: &str) -> &'static str {
        let (nb, en) = match key {
            "counts" => ("Antall", "Counts"),
            "items" => ("Alle krav i brevet", "Every item in the letter"),
            "letter" => ("Brevet", "The letter"),
            "legend" => ("Tegnforklaring", "Legend"),
            "frist" => ("frist", "deadline"),
            "frequency" => ("hyppighet", "frequency"),
            "quantitative" => ("tallfestet", "quantified"),
            "deloppdrag" => ("deloppdrag", "sub-tasks"),
            "rule" => ("regel", "rule"),
            "also_at" => ("står også", "also stands at"),
            "page" => ("side", "page"),
            "pages" => ("sider", "pages"),
            "repeat" => ("samme krav, telles én gang", "same demand, counted once"),
            "year" => ("År", "Year"),
            "documents" => ("Dokumenter", "Documents"),
            "trend_title" => ("Styringsbyrde år for år", "Steering burden, year by year"),
            "trend_intro" => (
                "serier. Søylene viser antall krav per kategori og år.",
                "series. Bars: items per category and year.",
            ),
            "kind" => ("Type", "Kind"),
            "issuer" => ("Avsender", "Issuer"),
            "recipient" => ("Mottaker", "Recipient"),
            "warnings" => ("Advarsler", "Warnings"),
            "incomplete" => (
                "Noen sider kunne ikke leses; tallene kan være for lave.",
                "Some pages could not be read; counts may be too low.",
            ),
            "open_letter" => ("vis brevet", "show the letter"),
            "chart_title" => ("krav per kategori og år", "items per category and year"),
            _ => ("", ""),
        };
        self.pick(nb, en)
    }

    /// A figure with one decimal at most, with a decimal comma in Norwegian.
    pub fn number(self, x: f64) -> String {
        let s = if x.fract() == 0.0 {
            format!("{x:.0}")
        } else {
            format!("{x:.1}")
        };
        match self {
            Lang::Nb => s.replace('.', ","),
            Lang::En => s,
        }
    }

    fn pick(self, nb: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Nb => nb,
            Lang::En => en,
        }
    }
}
