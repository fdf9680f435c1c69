//! Calendar dates as the cloud APIs write them: ISO dates and date-times
//! (`2026-11-20T08:00:00.000000`, `2026-11-20T08:00:00Z`, `2026-11-20`) and epoch
//! milliseconds (KMS writes `"1502799822000"`). Only the (UTC) day matters to Keyline.

use std::fmt;
use std::str::FromStr;

/// A calendar day (proleptic Gregorian, UTC), years 1..=9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Days since 1970-01-01.
    days: i64,
}

/// Why a `YYYY-MM-DD` argument is not a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a date: expected YYYY-MM-DD, such as 2026-11-20")]
pub struct DateError(pub String);

/// Epoch values at or above this are milliseconds; below, seconds (year 5138 in seconds).
const MS_THRESHOLD: u64 = 100_000_000_000;
const MS_PER_DAY: u64 = 86_400_000;
const S_PER_DAY: u64 = 86_400;

impl Date {
    /// The date of a year, month (1..=12) and day (1..=31), if it exists.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        if day > days_in_month(year, month) {
            return None;
        }
        Some(Date {
            days: days_from_civil(i64::from(year), i64::from(month), i64::from(day)),
        })
    }

    /// `YYYY-MM-DD`, optionally followed by a time (`T…` or ` …`), as in API responses.
    /// The time, fractional seconds and zone are not read: the day is what counts.
    pub fn parse_iso(text: &str) -> Option<Date> {
        let t = text.trim();
        let date = t.get(..10)?;
        let rest = t.get(10..)?;
        if !(rest.is_empty() || rest.starts_with('T') || rest.starts_with(' ')) {
            return None;
        }
        let b = date.as_bytes();
        if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let s = date.get(r)?;
            if s.bytes().all(|c| c.is_ascii_digit()) {
                s.parse().ok()
            } else {
                None
            }
        };
        let year = i32::try_from(num(0..4)?).ok()?;
        Date::from_ymd(year, num(5..7)?, num(8..10)?)
    }

    /// Epoch milliseconds (or seconds, for values below 10^11), as KMS writes dates.
    pub fn from_epoch(value: u64) -> Option<Date> {
        let days = if value >= MS_THRESHOLD {
            value / MS_PER_DAY
        } else {
            value / S_PER_DAY
        };
        let d = Date {
            days: i64::try_from(days).ok()?,
        };
        (d.ymd().0 <= 9999).then_some(d)
    }

    /// An API date field's text: an ISO date or date-time, or epoch milliseconds in digits.
    pub fn parse_api(text: &str) -> Option<Date> {
        let t = text.trim();
        if !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit()) {
            return t.parse::<u64>().ok().and_then(Date::from_epoch);
        }
        Date::parse_iso(t)
    }

    /// Days from `earlier` to `self` (negative when `self` is before it).
    pub fn days_since(self, earlier: Date) -> i64 {
        self.days - earlier.days
    }

    /// The day `days` after this one (before it for negative `days`), if in range.
    pub fn add_days(self, days: i64) -> Option<Date> {
        let d = Date {
            days: self.days.checked_add(days)?,
        };
        (1..=9999).contains(&d.ymd().0).then_some(d)
    }

    /// (year, month, day).
    pub fn ymd(self) -> (i64, u32, u32) {
        civil_from_days(self.days)
    }
}

impl FromStr for Date {
    type Err = DateError;
    /// Exactly `YYYY-MM-DD` (for `--today`).
    fn from_str(s: &str) -> Result<Date, DateError> {
        if s.len() != 10 {
            return Err(DateError(s.to_owned()));
        }
        Date::parse_iso(s).ok_or_else(|| DateError(s.to_owned()))
    }
}

impl serde::Serialize for Date {
    /// As `YYYY-MM-DD`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's algorithms (http://howardhinnant.github.io/date_algorithms.html).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    (
        y,
        u32::try_from(m).unwrap_or(1),
        u32::try_from(d).unwrap_or(1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_and_times() {
        let d = Date::parse_api("2026-11-20T08:00:00.000000").unwrap();
        assert_eq!(d.to_string(), "2026-11-20");
        assert_eq!(Date::parse_api("2026-11-20").unwrap(), d);
        assert_eq!(Date::parse_api("2026-11-20T23:59:59Z").unwrap(), d);
        assert_eq!(Date::parse_api("2026-11-20 08:00:00").unwrap(), d);
        assert_eq!(Date::parse_api("1970-01-01").unwrap().days, 0);
        assert!(Date::parse_api("2026-02-29").is_none());
        assert!(Date::parse_api("2024-02-29").is_some());
        assert!(Date::parse_api("2026-13-01").is_none());
        assert!(Date::parse_api("2026-1-01").is_none());
        assert!(Date::parse_api("2026-11-20X").is_none());
        assert!(Date::parse_api("").is_none());
        assert!(Date::parse_api("yesterday").is_none());
        assert!(Date::parse_api("２０２６-11-20").is_none());
    }

    #[test]
    fn epoch_milliseconds_and_seconds() {
        // 2017-08-15T12:23:42Z, the KMS API reference's example creation_date.
        assert_eq!(
            Date::parse_api("1502799822000").unwrap().to_string(),
            "2017-08-15"
        );
        assert_eq!(
            Date::parse_api("1502799822").unwrap().to_string(),
            "2017-08-15"
        );
        assert_eq!(Date::parse_api("0").unwrap().to_string(), "1970-01-01");
        assert!(Date::parse_api("99999999999999999999999").is_none());
        assert!(Date::from_epoch(u64::MAX).is_none());
    }

    #[test]
    fn arithmetic_round_trips() {
        let a: Date = "2026-11-20".parse().unwrap();
        let b: Date = "2027-03-01".parse().unwrap();
        assert_eq!(b.days_since(a), 101);
        assert_eq!(a.days_since(b), -101);
        assert_eq!(a.add_days(101), Some(b));
        for days in (-719_000..2_900_000).step_by(997) {
            let d = Date { days };
            let (y, m, dd) = d.ymd();
            let back = Date::from_ymd(i32::try_from(y).unwrap(), m, dd).unwrap();
            assert_eq!(back, d);
        }
        assert!("2026-11-20T00:00".parse::<Date>().is_err());
        assert!("20261120".parse::<Date>().is_err());
        assert!(Date::from_ymd(0, 1, 1).is_none());
        assert!(Date::from_ymd(10000, 1, 1).is_none());
    }
}
