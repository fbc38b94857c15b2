//! Retries with bounded exponential backoff and jitter: which driver errors are worth another
//! attempt, and how long to wait before it.
//!
//! Only failures that say nothing about the request itself are retried: the connection broke
//! (I/O, a closed or unobtainable connection, a statement that timed out) or the server
//! answered `Neo.TransientError.*` (a deadlock, a leader election, memory pressure). A syntax
//! error, a refused login or a version conflict would fail the same way again.

use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

use neo4rs::Neo4jErrorKind;

/// How often and how patiently an idempotent operation is tried again after a transient
/// failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries in all, the first included; 1 means no retry.
    pub attempts: u32,
    /// The wait before the first retry (before jitter); it doubles with each further retry.
    pub initial_delay: Duration,
    /// The longest wait between two tries (before jitter).
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    /// Five tries, waiting about 0.1, 0.2, 0.4 and 0.8 s: a dropped connection or a leader
    /// election is ridden out within a few seconds, a dead server reported soon after.
    fn default() -> Self {
        RetryPolicy {
            attempts: 5,
            initial_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// One try only: every failure is reported at once.
    pub fn never() -> Self {
        RetryPolicy {
            attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The wait before retry number `retry` (0 for the first retry), given `unit`, a number in
    /// `[0, 1)`: the capped exponential delay `min(max_delay, initial_delay * 2^retry)`, of
    /// which a random half is taken off ("equal jitter"). The half that always remains keeps
    /// the backoff a backoff; the random half keeps several instances that failed together from
    /// retrying together.
    pub fn delay(&self, retry: u32, unit: f64) -> Duration {
        let factor = 2u32.saturating_pow(retry.min(30));
        let capped = self
            .initial_delay
            .saturating_mul(factor)
            .min(self.max_delay);
        let unit = unit.clamp(0.0, 1.0);
        capped.mul_f64(0.5 + 0.5 * unit)
    }

    /// [`RetryPolicy::delay`] with a fresh random `unit`.
    pub(crate) fn jittered_delay(&self, retry: u32) -> Duration {
        self.delay(retry, random_unit())
    }
}

/// A number in `[0, 1)`, different on each call: the standard library's per-instance random
/// hash keys are enough for jitter, which needs no cryptographic quality (and no extra crate).
fn random_unit() -> f64 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(0x5eed);
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// Whether `error` is a failure another try may not meet: the connection (I/O, a connection
/// the pool could not give) or a `Neo.TransientError.*` from the server. neo4rs already files
/// `TransientError.Transaction.Terminated` and `LockClientStopped` as client errors (they mean
/// someone stopped the transaction on purpose), and so do we.
pub fn is_transient(error: &neo4rs::Error) -> bool {
    match error {
        neo4rs::Error::IOError { .. } | neo4rs::Error::ConnectionError => true,
        neo4rs::Error::Neo4j(e) => e.kind() == Neo4jErrorKind::Transient,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            attempts: 6,
            initial_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
        }
    }

    #[test]
    fn delays_double_up_to_the_cap() {
        let p = policy();
        // unit 1.0 is the top of the jitter range: the plain capped exponential.
        let top: Vec<u128> = (0..6).map(|r| p.delay(r, 1.0).as_millis()).collect();
        assert_eq!(top, [100, 200, 400, 800, 1000, 1000]);
        // A huge retry number neither overflows nor passes the cap.
        assert_eq!(p.delay(u32::MAX, 1.0), Duration::from_secs(1));
    }

    #[test]
    fn jitter_takes_off_at_most_half() {
        let p = policy();
        assert_eq!(p.delay(2, 0.0), Duration::from_millis(200));
        assert_eq!(p.delay(2, 0.5), Duration::from_millis(300));
        for retry in 0..8 {
            let full = p.delay(retry, 1.0);
            for _ in 0..50 {
                let d = p.jittered_delay(retry);
                assert!(
                    d >= full / 2 && d <= full,
                    "retry {retry}: {d:?} outside [{:?}, {full:?}]",
                    full / 2
                );
            }
        }
    }

    #[test]
    fn jitter_varies() {
        let units: std::collections::BTreeSet<u64> =
            (0..20).map(|_| random_unit().to_bits()).collect();
        assert!(units.len() > 10, "random_unit repeats itself: {units:?}");
        assert!(
            (0..1000)
                .map(|_| random_unit())
                .all(|u| (0.0..1.0).contains(&u)),
            "random_unit left [0, 1)"
        );
    }

    #[test]
    fn connection_failures_and_transient_errors_are_retried_others_not() {
        let io = neo4rs::Error::IOError {
            detail: std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset"),
        };
        assert!(is_transient(&io));
        assert!(is_transient(&neo4rs::Error::ConnectionError));
        assert!(!is_transient(&neo4rs::Error::AuthenticationError(
            "bad password".into()
        )));
        assert!(!is_transient(&neo4rs::Error::ConversionError));
        assert!(!is_transient(&neo4rs::Error::UnexpectedMessage(
            "odd".into()
        )));
    }

    #[test]
    fn server_error_codes_are_classified_by_their_class() {
        for (code, transient) in [
            ("Neo.TransientError.Transaction.DeadlockDetected", true),
            ("Neo.TransientError.General.DatabaseUnavailable", true),
            ("Neo.TransientError.Transaction.Terminated", false),
            ("Neo.ClientError.Statement.SyntaxError", false),
            ("Neo.ClientError.Security.Unauthorized", false),
            ("Neo.DatabaseError.General.UnknownError", false),
        ] {
            let kind = Neo4jErrorKind::from(code);
            assert_eq!(
                kind == Neo4jErrorKind::Transient,
                transient,
                "{code} classified as {kind:?}"
            );
        }
    }
}
