//! The configuration `womlint init` writes: every key, explained, with safe defaults.

/// A commented starter `womlint.yaml`.
pub const STARTER: &str = r#"# womlint configuration.
#
# womlint uses the nearest womlint.yaml (or .womlint.yaml) found from each checked file's
# folder upward. Command-line flags win over it. `womlint schema config` prints the JSON
# Schema of this file for editors.

# Built-in rule packs, on or off.
packs:
  womma: true        # the three WOMMA principles, for every market
  us-ftc: true       # FTC Endorsement Guides (16 CFR 255), fake reviews (16 CFR 465)
  it-iap: true       # IAP Digital Chart, Codice del Consumo
  uk-cma-asa: true   # CAP Code, CMA guidance for influencers
  eu-ucpd: true      # Unfair Commercial Practices Directive

# Which labels count as a disclosure: a market's (us, uk, it or eu), which also runs that
# market's extra rules; by default a label counts if any market accepts it.
# jurisdiction: it
# Or accept only the labels every market accepts:
# strict: true

# Your own rule packs, relative to this file.
# extra_packs:
#   - womlint/brand-pack.yaml

# Per rule id, principle (relationship, opinion, identity, womlint) or pack id:
# off, error, warning or info. A rule id wins over a principle, a principle over a pack.
rules:
  womlint/waiver-without-reason: warning
  womlint/unused-waiver: warning
  # opinion: error
  # relationship/ambiguous-label-only: off

# Settings for some files. `lang` and `platform` apply as if the file's front matter said
# so, unless it does; `rules` adjust rules for those files. Later entries win.
# overrides:
#   - files: ["campaigns/it/**"]
#     lang: it
#   - files: ["**/instagram/**"]
#     platform: instagram
#     rules:
#       relationship: error

# Which files to check when walking folders, as globs relative to this file's folder
# (.gitignore is respected as well). A glob without "/" matches a name at any depth.
# include: ["campaigns/**"]
exclude:
  - node_modules
  - vendor

# The lowest severity that fails the run (exit 1): error, warning or info.
fail_on: warning
"#;

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::ConfigFile;

    #[test]
    fn starter_is_a_valid_configuration() {
        let config = ConfigFile::parse(Path::new("/r/womlint.yaml"), "womlint.yaml", STARTER.to_owned()).unwrap();
        assert_eq!(config.packs.len(), 5);
        assert!(config.exclude.is_some());
    }
}
