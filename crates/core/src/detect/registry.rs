//! The one list of detectors: [`detector_registry!`] takes, for each, its name (the
//! settings' field, the CLI's `--disable` name and the page's test hook), its options
//! type (whose `Default` is its default tuning), its label on the settings page, and how
//! to build it. From that it writes [`super::DetectionOptions`] (each detector's options,
//! `None` to switch it off), its `Default` (every detector on), `none()`, `builds_none()`,
//! `build()`, and [`super::DETECTORS`]. Adding a detector is writing its file and one
//! entry in the list.

/// A detector as people switch it: by name on the command line, by label on the page.
#[derive(Debug, Clone, Copy)]
pub struct DetectorSwitch {
    /// Its field in the settings, and its name on the command line.
    pub name: &'static str,
    /// What the settings page calls it.
    pub label: &'static str,
    /// Whether `options` run it.
    pub is_on: fn(&super::DetectionOptions) -> bool,
    /// Switches it on (with its default tuning) or off.
    pub turn: fn(&mut super::DetectionOptions, bool),
}

/// See the module documentation.
macro_rules! detector_registry {
    ($(
        $(#[doc = $doc:literal])*
        $name:ident: $options:ty, $label:literal, $build:expr;
    )*) => {
        /// Which detectors run, and how each is tuned. Every detector is on by default.
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(default)]
        pub struct DetectionOptions {
            $(
                $(#[doc = $doc])*
                #[doc = "`None` turns it off."]
                pub $name: Option<$options>,
            )*
            /// Rules people wrote (see [`CustomRule`]); none by default.
            pub custom_rules: Vec<CustomRule>,
            /// Sigma rules, each as its document (its YAML read into JSON); none by
            /// default. See `crate::sigma`.
            pub sigma_rules: SigmaRules,
            /// How many evidence line numbers a finding lists (it still counts them all).
            pub max_evidence_lines: usize,
        }

        impl Default for DetectionOptions {
            fn default() -> Self {
                Self {
                    $($name: Some(<$options>::default()),)*
                    custom_rules: Vec::new(),
                    sigma_rules: SigmaRules::default(),
                    max_evidence_lines: 10_000,
                }
            }
        }

        impl DetectionOptions {
            /// Every detector off: only reading and summarising.
            pub fn none() -> Self {
                Self {
                    $($name: None,)*
                    custom_rules: Vec::new(),
                    sigma_rules: SigmaRules::default(),
                    max_evidence_lines: 0,
                }
            }

            /// Whether [`DetectionOptions::build`] builds no detector, known without
            /// building them (some allocate megabytes of cache).
            pub fn builds_none(&self) -> bool {
                $(self.$name.is_none() &&)* self.custom_rules.is_empty() && self.sigma_rules.is_empty()
            }

            /// The detectors these options switch on, in the registry's order, ready to
            /// observe, judging by the file itself, learning a baseline or applying one.
            pub fn build(&self, baseline: &BaselineUse) -> Vec<Box<dyn Detector>> {
                let cap = self.max_evidence_lines;
                let mut detectors: Vec<Box<dyn Detector>> = Vec::new();
                $(
                    if let Some(options) = &self.$name {
                        let build: fn(&$options, usize, &BaselineUse) -> _ = $build;
                        detectors.push(Box::new(build(options, cap, baseline)));
                    }
                )*
                if !self.custom_rules.is_empty() {
                    detectors.push(Box::new(CustomRulesDetector::new(&self.custom_rules, cap)));
                }
                if !self.sigma_rules.is_empty() {
                    detectors.push(Box::new(SigmaRulesDetector::new(&self.sigma_rules, cap)));
                }
                detectors
            }
        }

        /// Every detector the settings switch, in the order they run.
        pub const DETECTORS: &[DetectorSwitch] = &[
            $(DetectorSwitch {
                name: stringify!($name),
                label: $label,
                is_on: |options| options.$name.is_some(),
                turn: |options, on| options.$name = on.then(<$options>::default),
            },)*
        ];
    };
}

#[cfg(test)]
mod tests {
    use super::super::{DETECTORS, DetectionOptions};
    use crate::baseline::BaselineUse;

    #[test]
    fn every_switch_names_its_field_in_the_settings_and_turns_only_its_detector() {
        let defaults = serde_json::to_value(DetectionOptions::default()).unwrap();
        let mut detector_fields: Vec<&str> = defaults
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, options)| options.is_object())
            .map(|(name, _)| name.as_str())
            .collect();
        let mut names: Vec<&str> = DETECTORS.iter().map(|d| d.name).collect();
        names.sort_unstable();
        detector_fields.sort_unstable();
        assert_eq!(names, detector_fields);
        let all = DetectionOptions::default().build(&BaselineUse::Own).len();
        assert_eq!(all, DETECTORS.len());
        for detector in DETECTORS {
            let mut options = DetectionOptions::default();
            (detector.turn)(&mut options, false);
            assert!(!(detector.is_on)(&options), "{}", detector.name);
            let json = serde_json::to_value(&options).unwrap();
            assert!(json[detector.name].is_null(), "{}", detector.name);
            assert_eq!(options.build(&BaselineUse::Own).len(), all - 1);
            (detector.turn)(&mut options, true);
            assert_eq!(options, DetectionOptions::default(), "{}", detector.name);
            let mut none = DetectionOptions::none();
            assert!(none.builds_none());
            (detector.turn)(&mut none, true);
            assert!(!none.builds_none(), "{}", detector.name);
            assert_eq!(none.build(&BaselineUse::Own).len(), 1);
        }
    }
}
