//! Dates and git timestamps, through jiff: the one module that does calendar arithmetic
//! (days between dates, the civil day of a git time, git's date forms, today). A leaf:
//! it uses nothing of ours, so the store, git and the renderers can all use it.

use jiff::civil::Date;
use jiff::fmt::strtime;
use jiff::tz::{Offset, TimeZone};
use jiff::Timestamp;

/// Reads the date forms git accepts in `GIT_AUTHOR_DATE` that scripts use most:
/// `@1700000000 +0100`, `1700000000 +0100` and `2024-11-07T10:00:00+01:00` (or `Z`, or no
/// offset for UTC, or with a space and `+0100`). Returns seconds and the offset in minutes
/// east of UTC; `None` for anything else (any text at all is safe to give).
pub fn parse_git_date(s: &str) -> Option<(i64, i32)> {
    let s = s.trim();
    let raw = s.strip_prefix('@').unwrap_or(s);
    let (secs, tz) = raw.split_once(' ').unwrap_or((raw, ""));
    if let Ok(secs) = secs.parse::<i64>() {
        Timestamp::from_second(secs).ok()?;
        return Some((secs, offset_minutes(tz.trim())?));
    }
    // ISO 8601 with a `T` or a space, then `Z`, an offset, or nothing (UTC).
    let iso = s.replacen(' ', "T", 1);
    let (datetime, offset) = match iso.find(['+', 'Z']).or_else(|| {
        // A `-` after the time (not inside the date) starts a negative offset.
        iso.char_indices()
            .filter(|(_, c)| *c == '-')
            .map(|(i, _)| i)
            .find(|i| *i > 10)
    }) {
        Some(i) => (iso.get(..i)?, iso.get(i..)?.trim()),
        None => (iso.as_str(), ""),
    };
    let minutes = offset_minutes(offset)?;
    let civil = strtime::parse("%Y-%m-%dT%H:%M:%S", datetime.trim())
        .ok()?
        .to_datetime()
        .ok()?;
    let tz = TimeZone::fixed(Offset::from_seconds(minutes * 60).ok()?);
    let ts = civil.to_zoned_datetime(tz).ok()?.timestamp();
    Some((ts.as_second(), minutes))
}

/// `Z` or nothing (0), `+HHMM`, `+HH:MM`, `-HHMM`, `-HH:MM`, in minutes east of UTC.
fn offset_minutes(tz: &str) -> Option<i32> {
    if tz.is_empty() || tz == "Z" {
        return Some(0);
    }
    let format = if tz.contains(':') { "%:z" } else { "%z" };
    let offset = strtime::parse(format, tz).ok()?.offset()?;
    let seconds = offset.seconds();
    (seconds % 60 == 0).then_some(seconds / 60)
}

/// A git time in its own offset.
fn zoned(secs: i64, offset_minutes: i32) -> Option<jiff::ZonedDateTime> {
    let offset = Offset::from_seconds(offset_minutes.checked_mul(60)?).ok()?;
    Some(
        Timestamp::from_second(secs)
            .ok()?
            .to_zoned_datetime(TimeZone::fixed(offset)),
    )
}

/// The civil day `(year, month, day)` of a git time in its own offset (1970-01-01 for a
/// time out of range).
pub fn day_of(secs: i64, offset_minutes: i32) -> (i16, i8, i8) {
    let d = zoned(secs, offset_minutes).map_or(Date::constant(1970, 1, 1), |z| z.date());
    (d.year(), d.month(), d.day())
}

/// `2024-11-07 10:00 +0100` from git's seconds and offset.
pub fn format_time(secs: i64, offset_minutes: i32) -> String {
    match zoned(secs, offset_minutes) {
        Some(z) => strtime::format("%Y-%m-%d %H:%M %z", &z).unwrap_or_default(),
        None => format!("@{secs} {offset_minutes:+}"),
    }
}

/// Days since 1970-01-01 of a civil date; `None` when it is not a real day.
pub fn days_since_epoch(year: i16, month: i8, day: i8) -> Option<i64> {
    let date = Date::new(year, month, day).ok()?;
    let ts = date.to_zoned_datetime(TimeZone::UTC).ok()?.timestamp();
    Some(ts.as_second().div_euclid(86_400))
}

/// Today's civil day in UTC.
pub fn today_utc() -> (i16, i8, i8) {
    let d = Timestamp::now().to_zoned_datetime(TimeZone::UTC).date();
    (d.year(), d.month(), d.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_dates() {
        assert_eq!(
            parse_git_date("@1700000000 +0100"),
            Some((1_700_000_000, 60))
        );
        assert_eq!(
            parse_git_date("1700000000 -0230"),
            Some((1_700_000_000, -150))
        );
        assert_eq!(
            parse_git_date("2024-11-07T00:00:00Z"),
            Some((1_730_937_600, 0))
        );
        assert_eq!(
            parse_git_date("2024-11-07T00:00:00"),
            Some((1_730_937_600, 0))
        );
        assert_eq!(
            parse_git_date("2024-11-07 01:00:00 +0100"),
            Some((1_730_937_600, 60))
        );
        assert_eq!(
            parse_git_date("2024-11-07T01:00:00+01:00"),
            Some((1_730_937_600, 60))
        );
        assert_eq!(
            parse_git_date("2024-11-06T22:30:00-01:30"),
            Some((1_730_937_600, -90))
        );
        assert_eq!(parse_git_date("yesterday"), None);
        assert_eq!(parse_git_date("2024-02-30T00:00:00Z"), None);
    }

    /// GIT_AUTHOR_DATE used to be cut at byte 10, which panicked inside a multi-byte
    /// character; any text is now either a date or `None`.
    #[test]
    fn non_ascii_git_dates_are_refused_not_a_panic() {
        for s in [
            "2024-11-0é:00:00Z",
            "٢٠٢٤-١١-٠٧T00:00:00Z",
            "2024-11-07T00:00:00+０１００",
            "ё",
            "@",
            "@ +0100",
            "1700000000 +01",
            "99999999999999999999 +0000",
            "-99999999999999 +0000",
            "1700000000 +9999",
            "2024-11-07T00:00:00+",
            "2024-11-07T",
        ] {
            assert_eq!(parse_git_date(s), None, "{s:?}");
        }
        use proptest::prelude::*;
        proptest!(|(s in "\\PC{0,40}")| {
            let _ = parse_git_date(&s);
        });
    }

    #[test]
    fn days_and_times() {
        assert_eq!(days_since_epoch(1970, 1, 1), Some(0));
        assert_eq!(days_since_epoch(2024, 11, 7), Some(20034));
        assert_eq!(days_since_epoch(1969, 12, 31), Some(-1));
        assert_eq!(days_since_epoch(2025, 2, 29), None);
        assert_eq!(day_of(1_730_937_600, 0), (2024, 11, 7));
        assert_eq!(day_of(1_730_937_600, -60), (2024, 11, 6));
        assert_eq!(format_time(1_730_937_600, 60), "2024-11-07 01:00 +0100");
        assert_eq!(format_time(0, -150), "1969-12-31 21:30 -0230");
        let (y, _, _) = today_utc();
        assert!(y >= 2024);
    }
}
