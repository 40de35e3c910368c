//! A large, valid agreement for latency and robustness tests: about `lines`
//! lines of goals, roles and an escalation, the way a big account looks.

pub fn agreement(lines: usize) -> String {
    let mut s = String::from(
        "/// Office hours.\ncalendar office {\n  timezone \"Europe/Berlin\"\n  open mon-fri 09:00-17:00\n}\n\n\
         agreement big \"A large agreement\" {\n  client brand \"Brand\"\n  provider agency \"Agency\"\n  \
         effective 2026-01-01 to 2026-12-31\n  fee 50000 EUR per month\n  platforms x, instagram, facebook, linkedin\n\n  \
         escalation crisis \"Crisis\" {\n    tier minor {\n      notify role_0\n      acknowledge within 2h\n    }\n    \
         tier major {\n      notify role_1\n      acknowledge within 30m\n    }\n  }\n\n",
    );
    let goals = lines.saturating_sub(40) / 13;
    let roles = goals.div_ceil(10).max(2);
    for r in 0..roles {
        s.push_str(&format!(
            "  role role_{r} of agency {{ email \"r{r}@agency.example\" }}\n"
        ));
    }
    for g in 0..goals {
        s.push_str(&format!(
            "\n  /// Goal number {g}.\n  goal goal_{g} \"Goal {g}\" {{\n    metric response_time\n    \
             where platform in [x, instagram], priority >= high\n    target 90% within {}h\n    \
             clock office\n    owner role_{}\n    on breach {{\n      escalate crisis.{}\n      credit 1%\n    }}\n  }}\n",
            1 + g % 8,
            g % roles,
            if g % 2 == 0 { "minor" } else { "major" },
        ));
    }
    s.push_str("\n  credit cap 100%\n}\n");
    s
}
