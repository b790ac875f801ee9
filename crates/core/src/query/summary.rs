//! What a query's matching lines hold, at a glance: when, how they were answered, which
//! methods, paths and user agents, how many bytes, and the panels GoAccess users expect
//! (referers, virtual hosts, browsers and systems, robots and people, visitors per day).
//! For `client=1.2.3.4` that is the client's profile: what else did this address do? For
//! `*`, every line, it is the file's overview.

use crate::event::Event;
use crate::keyed_hash::{KeyedMap, keyed_map};
use crate::time::LogTime;
use crate::user_agent;
use serde::{Deserialize, Serialize};

/// Distinct texts counted per field, at most; later new ones count as "others".
const MAX_KEYS: usize = 10_000;
/// Texts listed per field, the most frequent first.
const LISTED: usize = 10;

/// File endings of what a page loads rather than what a person asks for.
const STATIC_ENDINGS: [&str; 18] = [
    "css", "js", "png", "jpg", "jpeg", "gif", "svg", "ico", "webp", "avif", "woff", "woff2", "ttf",
    "eot", "map", "mp4", "webm", "json",
];

/// Days counted, at most; later new ones are left out of the visitors per day.
const MAX_DAYS: usize = 1_000;
/// Visitors (a client with a user agent, on a day) counted, at most.
const MAX_VISITORS: usize = 250_000;

/// The matching lines' profile.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MatchSummary {
    /// The first matching line's time.
    pub first: Option<LogTime>,
    /// The last matching line's time.
    pub last: Option<LogTime>,
    /// Matching requests (access lines).
    pub requests: u64,
    /// Of them, pages: not a stylesheet, a script, an image or a font.
    pub pages: u64,
    /// Requests answered 2xx, 3xx, 4xx and 5xx.
    pub statuses: [u64; 4],
    /// Bytes sent in answer.
    pub bytes: u64,
    /// The most frequent methods, with their counts.
    pub methods: Vec<(String, u64)>,
    /// The most frequent paths (without query string).
    pub paths: Vec<(String, u64)>,
    /// The most frequent paths answered 4xx.
    pub refused_paths: Vec<(String, u64)>,
    /// The most frequent user agents.
    pub user_agents: Vec<(String, u64)>,
    /// The most frequent clients.
    pub clients: Vec<(String, u64)>,
    /// The most frequent programs that logged messages.
    pub programs: Vec<(String, u64)>,
    /// The most frequent user names: logged in as, or tried.
    pub users: Vec<(String, u64)>,
    /// Distinct paths (at most [`MAX_KEYS`] counted: then "at least").
    pub distinct_paths: u64,
    /// The user agents that say they are a robot's, and why.
    pub robot_signs: Vec<String>,
    /// What the requests did that a person's browser does not: read robots.txt, ask for
    /// pages and none of the files they load, never name a referer. Signs of a robot when
    /// the lines are one client's (a query of many clients has them too, and means
    /// nothing by it).
    #[serde(default)]
    pub habits: Vec<String>,
    /// The most frequent referers (a link's page), without `-`.
    #[serde(default)]
    pub referers: Vec<(String, u64)>,
    /// The most frequent virtual hosts.
    #[serde(default)]
    pub hosts: Vec<(String, u64)>,
    /// Requests by browser family (`user_agent::browser`), the most first.
    #[serde(default)]
    pub browsers: Vec<(String, u64)>,
    /// Requests by operating system, the most first.
    #[serde(default)]
    pub systems: Vec<(String, u64)>,
    /// Requests from people's browsers, robots and agents unknown, in that order
    /// (`user_agent::visitor`).
    #[serde(default)]
    pub visitors: [u64; 3],
    /// Per day on the log's clock: requests and visitors (a client with one user agent,
    /// as GoAccess counts them), in date order.
    #[serde(default)]
    pub days: Vec<DayCount>,
    /// Every distinct client, path and template, when the scan was asked for them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inventory: Option<Inventory>,
}

/// Every distinct client, path and template of the matches, with their lines, the
/// most first: what a comparison of two periods tells apart.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Inventory {
    /// Clients, with their lines.
    pub clients: Vec<(String, u64)>,
    /// Request paths (without query string), with their requests.
    pub paths: Vec<(String, u64)>,
    /// Templates (`crate::template`): requests' with folded ids, messages' with folded
    /// values, with their lines.
    pub templates: Vec<(String, u64)>,
    /// Whether a list stopped at its cap ([`MAX_KEYS`] distinct), so what is "new" past
    /// it is not known.
    pub capped: bool,
}

/// One day's requests and visitors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCount {
    /// The date, `2024-07-27`.
    pub date: String,
    /// Requests that day.
    pub requests: u64,
    /// Distinct clients with their user agent that day.
    pub visitors: u64,
}

/// Counts texts, the first [`MAX_KEYS`] distinct ones by name.
#[derive(Debug)]
struct Tally(KeyedMap<Box<str>, u64>);

impl Default for Tally {
    fn default() -> Self {
        Self(keyed_map())
    }
}

/// The most bytes of one text a tally keeps: a line can be a megabyte long, and ten
/// thousand of them would not fit a page's memory.
const MAX_TEXT_BYTES: usize = 1_024;

impl Tally {
    fn add(&mut self, text: &str) {
        let text = if text.len() > MAX_TEXT_BYTES {
            let mut end = MAX_TEXT_BYTES;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            &text[..end]
        } else {
            text
        };
        if let Some(count) = self.0.get_mut(text) {
            *count += 1;
        } else if self.0.len() < MAX_KEYS {
            self.0.insert(text.into(), 1);
        }
    }

    /// Every text counted, the most first, then by name.
    fn all(&self) -> Vec<(String, u64)> {
        let mut all: Vec<(String, u64)> = self.0.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        all.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        all
    }

    fn is_full(&self) -> bool {
        self.0.len() >= MAX_KEYS
    }

    /// The most frequent, then by name, as written (the page shows them escaped; a
    /// query asks for them exactly).
    fn top(&self) -> Vec<(String, u64)> {
        top_of(self.0.iter().map(|(k, v)| (&**k, *v)))
    }

    /// The counts regrouped by what `group` makes of each text, the most first.
    fn grouped(&self, group: impl Fn(&str) -> &'static str) -> Vec<(String, u64)> {
        let mut groups: Vec<(&'static str, u64)> = Vec::new();
        for (text, count) in self.0.iter() {
            let name = group(text);
            match groups.iter_mut().find(|(n, _)| *n == name) {
                Some((_, total)) => *total += count,
                None => groups.push((name, *count)),
            }
        }
        top_of(groups.into_iter())
    }
}

/// The [`LISTED`] most frequent, then by name.
fn top_of<'a>(counts: impl Iterator<Item = (&'a str, u64)>) -> Vec<(String, u64)> {
    let mut all: Vec<(&str, u64)> = counts.collect();
    all.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    all.into_iter()
        .take(LISTED)
        .map(|(text, count)| (text.to_owned(), count))
        .collect()
}

/// Builds a [`MatchSummary`] line by line.
#[derive(Debug, Default)]
pub(crate) struct SummaryCounter {
    summary: MatchSummary,
    methods: Tally,
    paths: Tally,
    refused_paths: Tally,
    user_agents: Tally,
    clients: Tally,
    programs: Tally,
    users: Tally,
    read_robots: bool,
    /// Requests that named a referer.
    referred: u64,
    /// Whether the lines' format logs referers (combined logs do, common logs do not),
    /// so that none named means something.
    referers_logged: bool,
    referers: Tally,
    hosts: Tally,
    days: DayCounter,
    /// The templates, when an inventory is kept.
    templates: Option<Tally>,
}

/// Requests and visitors per day.
#[derive(Debug)]
struct DayCounter {
    /// Per day (days since the epoch on the log's clock): requests and visitors.
    days: KeyedMap<i64, (u64, u64)>,
    /// The visitors seen: a day and a hash of the client and its agent.
    seen: KeyedMap<(i64, u64), ()>,
}

impl Default for DayCounter {
    fn default() -> Self {
        Self {
            days: keyed_map(),
            seen: keyed_map(),
        }
    }
}

impl DayCounter {
    fn add(&mut self, time: LogTime, client: &str, agent: &str) {
        let day = (time.epoch_secs + i64::from(time.offset_secs)).div_euclid(86_400);
        if self.days.len() >= MAX_DAYS && !self.days.contains_key(&day) {
            return;
        }
        let counts = self.days.entry(day).or_default();
        counts.0 += 1;
        let mut hasher = rustc_hash::FxHasher::default();
        std::hash::Hash::hash(&(client, agent), &mut hasher);
        let visitor = (day, std::hash::Hasher::finish(&hasher));
        if self.seen.len() < MAX_VISITORS && self.seen.insert(visitor, ()).is_none() {
            counts.1 += 1;
        }
    }

    /// The days in date order.
    fn finish(self) -> Vec<DayCount> {
        let mut days: Vec<(i64, (u64, u64))> = self.days.into_iter().collect();
        days.sort_unstable();
        days.into_iter()
            .map(|(day, (requests, visitors))| DayCount {
                date: LogTime {
                    epoch_secs: day * 86_400,
                    offset_secs: 0,
                }
                .format("%Y-%m-%d"),
                requests,
                visitors,
            })
            .collect()
    }
}

/// Requests before the absence of referers and of page assets says anything: a person's
/// first page can have neither.
const FEW_REQUESTS: u64 = 10;

impl SummaryCounter {
    /// A counter that also keeps an [`Inventory`].
    pub(crate) fn with_inventory() -> Self {
        Self {
            templates: Some(Tally::default()),
            ..Self::default()
        }
    }

    /// Says whether the lines' format logs referers.
    pub(crate) fn referers_logged(&mut self, logged: bool) {
        self.referers_logged = logged;
    }

    pub(crate) fn add(&mut self, event: &Event<'_>) {
        if let Some(templates) = &mut self.templates {
            match event {
                Event::Access(r) => templates.add(&crate::template::request_template_text(
                    r.method.unwrap_or("-"),
                    r.target.unwrap_or(r.request),
                )),
                Event::Syslog(r) => {
                    templates.add(&crate::template::message_template_text(r.message));
                }
                Event::Flow(_) => {}
            }
        }
        let time = event.time();
        let summary = &mut self.summary;
        summary.first = Some(summary.first.map_or(time, |first| first.earliest(time)));
        summary.last = Some(summary.last.map_or(time, |last| last.latest(time)));
        self.clients.add(event.client());
        let record = match event {
            Event::Access(record) => record,
            Event::Syslog(record) => {
                self.programs.add(record.program);
                if let Some(user) = record.auth.as_ref().and_then(|a| a.user) {
                    self.users.add(user);
                }
                return;
            }
            Event::Flow(_) => return,
        };
        if let Some(user) = record.user {
            self.users.add(user);
        }
        summary.requests += 1;
        let target = record.target.unwrap_or(record.request);
        let path = target.split(['?', '#']).next().unwrap_or(target);
        let ending = path
            .rsplit('/')
            .next()
            .and_then(|name| name.rsplit_once('.'));
        if !ending.is_some_and(|(_, ending)| {
            STATIC_ENDINGS
                .iter()
                .any(|s| s.eq_ignore_ascii_case(ending))
        }) {
            summary.pages += 1;
        }
        if let Some(class @ 2..=5) = Some(record.status / 100) {
            summary.statuses[usize::from(class - 2)] += 1;
        }
        summary.bytes = summary.bytes.saturating_add(record.bytes_sent.unwrap_or(0));
        self.methods.add(record.method.unwrap_or("-"));
        self.paths.add(path);
        if record.status / 100 == 4 {
            self.refused_paths.add(path);
        }
        self.user_agents.add(record.user_agent.unwrap_or("-"));
        self.read_robots |= path.eq_ignore_ascii_case("/robots.txt");
        if let Some(referer) = record.referer.filter(|r| !r.is_empty() && *r != "-") {
            self.referred += 1;
            self.referers.add(referer);
        }
        if let Some(host) = record.vhost {
            self.hosts.add(host);
        }
        self.days
            .add(time, record.client, record.user_agent.unwrap_or(""));
    }

    pub(crate) fn finish(self) -> MatchSummary {
        let mut summary = self.summary;
        summary.methods = self.methods.top();
        summary.paths = self.paths.top();
        summary.refused_paths = self.refused_paths.top();
        summary.user_agents = self.user_agents.top();
        summary.clients = self.clients.top();
        summary.programs = self.programs.top();
        summary.users = self.users.top();
        summary.distinct_paths = self.paths.0.len() as u64;
        summary.referers = self.referers.top();
        summary.hosts = self.hosts.top();
        summary.browsers = self.user_agents.grouped(user_agent::browser);
        summary.systems = self.user_agents.grouped(user_agent::system);
        for (agent, count) in self.user_agents.0.iter() {
            summary.visitors[user_agent::visitor(agent) as usize] += count;
        }
        summary.days = self.days.finish();
        summary.inventory = self.templates.map(|templates| Inventory {
            capped: [&self.clients, &self.paths, &templates]
                .iter()
                .any(|tally| tally.is_full()),
            clients: self.clients.all(),
            paths: self.paths.all(),
            templates: templates.all(),
        });
        for (agent, _) in &summary.user_agents {
            if let Some(word) = user_agent::robot_word(agent) {
                summary.robot_signs.push(format!(
                    "a user agent says \"{word}\": {}",
                    crate::display_text::for_display(agent, 200)
                ));
            }
        }
        if self.read_robots {
            summary.habits.push("it read /robots.txt".to_owned());
        }
        // A browser fetches what a page loads and names the page a link was on.
        if summary.pages >= FEW_REQUESTS && summary.pages == summary.requests {
            summary.habits.push(format!(
                "it asked for {} pages and none of the files pages load (styles, scripts, images)",
                crate::figures::group_thousands(summary.pages)
            ));
        }
        if summary.requests >= FEW_REQUESTS && self.referers_logged && self.referred == 0 {
            summary.habits.push(format!(
                "none of its {} requests named a referer",
                crate::figures::group_thousands(summary.requests)
            ));
        }
        summary
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{LineParser, LogFormat};

    #[test]
    fn pages_without_assets_or_referers_are_a_robots_signs() {
        let now = LogTime {
            epoch_secs: 1_717_200_000,
            offset_secs: 0,
        };
        let mut parser = LineParser::for_format(LogFormat::Combined, now);
        let mut signs = |lines: &[String]| {
            let mut counter = SummaryCounter::default();
            counter.referers_logged(true);
            for line in lines {
                counter.add(&parser.parse(line).unwrap().1);
            }
            counter.finish().habits
        };
        let line = |path: &str, referer: &str| {
            format!(
                r#"1.2.3.4 - - [01/Mar/2024:10:00:00 +0000] "GET {path} HTTP/1.1" 200 10 "{referer}" "Mozilla/5.0""#
            )
        };
        let crawl: Vec<String> = (0..12).map(|i| line(&format!("/page/{i}"), "-")).collect();
        assert_eq!(
            signs(&crawl),
            [
                "it asked for 12 pages and none of the files pages load (styles, scripts, images)",
                "none of its 12 requests named a referer"
            ]
        );
        let mut person = crawl.clone();
        person.push(line("/site.css", "https://example.com/page/1"));
        assert_eq!(signs(&person), Vec::<String>::new());
        assert_eq!(signs(&crawl[..9]), Vec::<String>::new());
        // A common log has no referer field: its absence says nothing.
        let mut common = LineParser::for_format(LogFormat::Common, now);
        let mut counter = SummaryCounter::default();
        for i in 0..12 {
            let line = format!(
                r#"1.2.3.4 - - [01/Mar/2024:10:00:00 +0000] "GET /page/{i} HTTP/1.1" 200 10"#
            );
            counter.add(&common.parse(&line).unwrap().1);
        }
        assert_eq!(
            counter.finish().habits,
            ["it asked for 12 pages and none of the files pages load (styles, scripts, images)"]
        );
    }

    #[test]
    fn the_overview_panels_count_referers_families_visitors_and_days() {
        let now = LogTime {
            epoch_secs: 1_717_200_000,
            offset_secs: 0,
        };
        let mut parser = LineParser::for_format(LogFormat::Combined, now);
        let mut counter = SummaryCounter::default();
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0";
        for (client, day, referer, agent) in [
            ("1.1.1.1", "01", "https://example.com/", firefox),
            ("1.1.1.1", "01", "-", firefox),
            ("1.1.1.1", "02", "-", firefox),
            ("2.2.2.2", "02", "https://example.com/", "curl/8.4.0"),
            ("2.2.2.2", "02", "-", "-"),
        ] {
            let line = format!(
                r#"{client} - - [{day}/Mar/2024:23:30:00 -0100] "GET / HTTP/1.1" 200 10 "{referer}" "{agent}""#
            );
            counter.add(&parser.parse(&line).unwrap().1);
        }
        let summary = counter.finish();
        assert_eq!(summary.referers, [("https://example.com/".to_owned(), 2)]);
        assert_eq!(
            summary.browsers,
            [
                ("Firefox".to_owned(), 3),
                ("none".to_owned(), 1),
                ("robot".to_owned(), 1)
            ]
        );
        assert_eq!(
            summary.systems,
            [("Linux".to_owned(), 3), ("unknown".to_owned(), 2)]
        );
        assert_eq!(summary.visitors, [3, 1, 1]);
        // Days on the log's clock (23:30 at -01:00 is 00:30 the next day in UTC); a
        // client with two agents is two visitors.
        let days: Vec<(&str, u64, u64)> = summary
            .days
            .iter()
            .map(|d| (d.date.as_str(), d.requests, d.visitors))
            .collect();
        assert_eq!(days, [("2024-03-01", 2, 1), ("2024-03-02", 3, 3)]);
    }

    #[test]
    fn a_clients_lines_make_its_profile() {
        let now = LogTime {
            epoch_secs: 1_717_200_000,
            offset_secs: 0,
        };
        let mut parser = LineParser::for_format(LogFormat::Combined, now);
        let mut counter = SummaryCounter::default();
        for line in [
            r#"1.2.3.4 - - [01/Mar/2024:10:00:00 +0000] "GET /robots.txt HTTP/1.1" 200 10 "-" "Googlebot/2.1""#,
            r#"1.2.3.4 - - [01/Mar/2024:10:00:05 +0000] "GET /shop?x=1 HTTP/1.1" 200 100 "-" "Googlebot/2.1""#,
            r#"1.2.3.4 - - [01/Mar/2024:10:00:06 +0000] "GET /static/app.JS HTTP/1.1" 304 0 "-" "Googlebot/2.1""#,
            r#"1.2.3.4 - - [01/Mar/2024:10:00:09 +0000] "POST /shop HTTP/1.1" 404 5 "-" "Googlebot/2.1""#,
        ] {
            let (_, event) = parser.parse(line).unwrap();
            counter.add(&event);
        }
        let summary = counter.finish();
        assert_eq!((summary.requests, summary.pages), (4, 3));
        assert_eq!(summary.statuses, [2, 1, 1, 0]);
        assert_eq!(summary.bytes, 115);
        assert_eq!(
            summary.methods,
            [("GET".to_owned(), 3), ("POST".to_owned(), 1)]
        );
        assert_eq!(summary.paths[0], ("/shop".to_owned(), 2));
        assert_eq!(summary.refused_paths, [("/shop".to_owned(), 1)]);
        assert_eq!(summary.distinct_paths, 3);
        assert_eq!(summary.clients, [("1.2.3.4".to_owned(), 4)]);
        assert_eq!(
            summary.first.unwrap().epoch_secs + 9,
            summary.last.unwrap().epoch_secs
        );
        assert_eq!(
            summary.robot_signs,
            ["a user agent says \"bot\": Googlebot/2.1"]
        );
        assert_eq!(summary.habits, ["it read /robots.txt"]);
    }
}
