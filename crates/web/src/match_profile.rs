//! What a query's matching lines hold, shown: the file's overview for `*` (the panels
//! GoAccess users expect), a client's profile for `client="…"`, else the profile of the
//! matches. Every value listed is a button that narrows the query to it.

use crate::ask_query::{AskQuery, term};
use leptos::prelude::*;
use loglens_core::Report;
use loglens_core::display_text::for_display;
use loglens_core::figures::{group_thousands, human_bytes, time_range_text};
use loglens_core::query::{MatchSummary, QueryOutcome};
use std::sync::Arc;

/// Days listed in the visitors per day, the latest.
const LISTED_DAYS: usize = 31;

/// `query` narrowed by `term`: the term alone when the query is every line.
fn narrowed(query: &str, term: &str) -> String {
    if query.trim() == "*" {
        term.to_owned()
    } else {
        format!("({}) and {term}", query.trim())
    }
}

/// The client a query names when it is exactly `client="…"` (as [`term`] writes it) or
/// `client=…` without spaces.
pub fn client_asked(query: &str) -> Option<String> {
    let value = query.trim().strip_prefix("client=")?;
    let Some(quoted) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) else {
        return (!value.contains(char::is_whitespace) && !value.contains('"'))
            .then(|| value.to_owned());
    };
    // Unescaped as the query language reads it; a bare quote inside means the quoted
    // value ended earlier, and more of the query follows.
    let mut client = String::new();
    let mut chars = quoted.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => client.push(chars.next()?),
            '"' => return None,
            other => client.push(other),
        }
    }
    Some(client)
}

/// One row of the profile: its name, a sentence, and values that narrow the query.
struct Fact {
    label: &'static str,
    text: String,
    /// The field the values are of, and each value with its count.
    values: Option<(&'static str, Vec<(String, u64)>)>,
}

impl Fact {
    fn text(label: &'static str, text: String) -> Self {
        Self {
            label,
            text,
            values: None,
        }
    }

    fn values(label: &'static str, field: &'static str, values: &[(String, u64)]) -> Self {
        Self {
            label,
            text: String::new(),
            values: Some((field, values.to_vec())),
        }
    }

    fn is_empty(&self) -> bool {
        self.text.is_empty() && self.values.as_ref().is_none_or(|(_, v)| v.is_empty())
    }
}

/// The profile of `outcome`'s matches; for one client, its view (`client-view`), with the
/// findings that name it.
pub fn profile(outcome: &QueryOutcome, report: Option<Arc<Report>>) -> impl IntoView + use<> {
    let summary: &MatchSummary = &outcome.summary;
    let client = client_asked(&outcome.query);
    let findings: Vec<String> = match (&client, &report) {
        (Some(client), Some(report)) => report
            .findings
            .iter()
            .filter(|f| &f.client == client)
            .map(|f| format!("{} ({}, {})", f.kind.label(), f.severity.as_str(), f.score))
            .collect(),
        _ => Vec::new(),
    };
    let when = match (summary.first, summary.last) {
        (Some(first), Some(last)) => time_range_text(first, last),
        _ => "no times".to_owned(),
    };
    let requests = (summary.requests > 0).then(|| {
        format!(
            "{} ({} pages, the rest files a page loads); {} sent",
            group_thousands(summary.requests),
            group_thousands(summary.pages),
            human_bytes(summary.bytes)
        )
    });
    let classes = ["2xx", "3xx", "4xx", "5xx"];
    let answers: Vec<(String, u64)> = classes
        .iter()
        .zip(summary.statuses)
        .filter(|(_, n)| *n > 0)
        .map(|(class, n)| ((*class).to_owned(), n))
        .collect();
    let visitors: Vec<(String, u64)> = ["person", "robot", "unknown"]
        .iter()
        .zip(summary.visitors)
        .filter(|(_, n)| *n > 0)
        .map(|(who, n)| ((*who).to_owned(), n))
        .collect();
    let paths = Fact {
        text: if summary.distinct_paths > 0 {
            format!("{} distinct:", group_thousands(summary.distinct_paths))
        } else {
            String::new()
        },
        ..Fact::values("Paths", "path", &summary.paths)
    };
    let facts = [
        Fact::text("When", when),
        Fact::text("Requests", requests.unwrap_or_default()),
        Fact::values("Answers", "status", &answers),
        Fact::values("Methods", "method", &summary.methods),
        paths,
        Fact::values("Refused paths", "refused path", &summary.refused_paths),
        Fact::values("Referers", "referer", &summary.referers),
        Fact::values("Virtual hosts", "host", &summary.hosts),
        Fact::values("Browsers", "browser", &summary.browsers),
        Fact::values("Systems", "os", &summary.systems),
        Fact::values("Robots and people", "visitor", &visitors),
        Fact::values("User agents", "ua", &summary.user_agents),
        Fact::values("Programs", "program", &summary.programs),
        Fact::values("Users", "user", &summary.users),
        Fact::values(
            "Clients",
            "client",
            if client.is_some() {
                &[]
            } else {
                &summary.clients
            },
        ),
        Fact::text(
            "Robot signs",
            // What the requests did is a sign only when they are one client's.
            summary
                .robot_signs
                .iter()
                .chain(summary.habits.iter().filter(|_| client.is_some()))
                .cloned()
                .collect::<Vec<_>>()
                .join("; "),
        ),
        Fact::text("Findings", findings.join(" · ")),
    ];
    let ask = use_context::<AskQuery>();
    let query = outcome.query.clone();
    let rows = facts
        .into_iter()
        .filter(|fact| !fact.is_empty())
        .map(|fact| {
            let values = fact.values.map(|(field, values)| {
                values
                    .into_iter()
                    .map(|(value, count)| value_button(field, value, count, &query, ask))
                    .collect_view()
            });
            view! {
                <dt>{fact.label}</dt>
                <dd>{for_display(&fact.text, 2000)}" "{values}</dd>
            }
        })
        .collect_view();
    let days = (!summary.days.is_empty() && client.is_none()).then(|| {
        let skipped = summary.days.len().saturating_sub(LISTED_DAYS);
        let listed = summary.days[skipped..]
            .iter()
            .map(|day| {
                let term = format!("time={}", day.date);
                let asked = narrowed(&query, &term);
                view! {
                    <tr data-testid="profile-day" data-date=day.date.clone() data-requests=day.requests data-visitors=day.visitors>
                        <td><button type="button" class="link" on:click=move |_| { if let Some(ask) = ask { ask.0.set(Some(asked.clone())) } }>{day.date.clone()}</button></td>
                        <td class="num">{group_thousands(day.requests)}</td>
                        <td class="num">{group_thousands(day.visitors)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <dt>"Visitors per day"</dt>
            <dd>
                {(skipped > 0).then(|| format!("the last {LISTED_DAYS} of {} days", summary.days.len()))}
                <table class="days">
                    <thead><tr><th>"Day"</th><th>"Requests"</th><th>"Visitors"</th></tr></thead>
                    <tbody>{listed}</tbody>
                </table>
            </dd>
        }
    });
    match client {
        Some(client) => view! {
            <div class="query-profile" data-testid="client-view" data-client=client.clone() data-lines=outcome.matched>
                <h3>{format!("Everything {} did", for_display(&client, 64))}</h3>
                <dl class="facts">{rows}</dl>
            </div>
        }
        .into_any(),
        None => view! {
            <div class="query-profile" data-testid="match-profile">
                <dl class="facts">{rows}{days}</dl>
            </div>
        }
        .into_any(),
    }
}

/// A value and its count, as a button that narrows `query` to it: a client opens its
/// own view.
fn value_button(
    field: &'static str,
    value: String,
    count: u64,
    query: &str,
    ask: Option<AskQuery>,
) -> impl IntoView + use<> {
    let asked = match field {
        "client" => term("client", &value),
        "status" => narrowed(query, &format!("status={value}")),
        "refused path" => narrowed(query, &format!("{} and status=4xx", term("path", &value))),
        _ => narrowed(query, &term(field, &value)),
    };
    let (testid, title) = match field {
        "client" => ("profile-client", "Everything this client did"),
        _ => ("profile-item", "Only these lines"),
    };
    let label = format!("{} ({})", for_display(&value, 200), group_thousands(count));
    view! {
        <button type="button" class="link value" data-testid=testid data-field=field data-client=(field == "client").then(|| value.clone())
            data-value=value.clone() title=title
            on:click=move |_| { if let Some(ask) = ask { ask.0.set(Some(asked.clone())) } }>{label}</button>
        " "
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_a_query_names_comes_back_as_written() {
        assert_eq!(client_asked("client=1.2.3.4"), Some("1.2.3.4".to_owned()));
        assert_eq!(
            client_asked(&term("client", r#"a "b" c"#)),
            Some(r#"a "b" c"#.to_owned())
        );
        assert_eq!(client_asked("client=1.2.3.4 and status=404"), None);
        assert_eq!(client_asked(r#"client="10.0.0.1" and ua="curl""#), None);
        assert_eq!(client_asked("status=404"), None);
    }

    #[test]
    fn a_value_narrows_the_query_it_came_from() {
        assert_eq!(narrowed(" * ", "path=\"/a\""), "path=\"/a\"");
        assert_eq!(
            narrowed("status>=400", "ua=\"x\""),
            "(status>=400) and ua=\"x\""
        );
        assert_eq!(term("path", r#"/a"\b"#), r#"path="/a\"\\b""#);
    }
}
