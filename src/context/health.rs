//! Load-balancer health checks. A health check is a short TCP connection from a load
//! balancer's private address to a target's health-check port, repeated at a steady
//! period (5–300 s; 30 s by default on ALB/NLB target groups) with a few packets and a
//! few hundred bytes each way. The classifier is conservative: a connection is a health
//! check only when it belongs to a *series* of at least [`MIN_SERIES`] small connections
//! between the same two addresses and port whose starts are spaced by the same period
//! (± [`TOLERANCE`] s). A real request that happens to be small but comes at an
//! irregular moment is not part of the series and stays a request.
//!
//! The load balancer is known from the context files (`ELB …` interfaces, with the target
//! groups' health-check port and interval) or inferred: a source not named by context
//! counts only when it runs such series against at least two targets.

use crate::fields::Field;
use crate::table::Table;
use rustc_hash::FxHashMap;
use std::net::IpAddr;

/// Connections in a series that establishes a load balancer's rhythm, at least; once
/// established (or stated by a target group), two connections at that period suffice.
pub const MIN_SERIES: usize = 3;
/// Allowed jitter of a period, seconds.
pub const TOLERANCE: u64 = 2;
/// A small connection: at most this many packets per direction…
pub const MAX_PACKETS: u64 = 12;
/// …and this many bytes per direction.
pub const MAX_BYTES: u64 = 2_000;

/// Why one series was classed as health checks.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Series {
    pub lb: IpAddr,
    pub target: IpAddr,
    pub port: u16,
    /// Seconds between checks.
    pub period: u64,
    /// Connections in the series.
    pub checks: usize,
    /// The load balancer's label from context, when known.
    pub lb_label: Option<String>,
    /// Targets the source checks (for an inferred load balancer).
    pub targets: usize,
    pub max_packets: u64,
    pub max_bytes: u64,
}

impl Series {
    /// The reason shown in the detail panel.
    pub fn reason(&self) -> String {
        let who = match &self.lb_label {
            Some(l) => format!("{} ({l}, from describe-network-interfaces)", self.lb),
            None => format!(
                "{} (not named by context; taken for a load balancer because it checks {} targets the same way)",
                self.lb, self.targets
            ),
        };
        format!(
            "Health check: {who} opens a new connection to {}:{} every {} s ({} connections in this series, ±{TOLERANCE} s), each small ({} packets, {} B at most per direction). Classified by rhythm and size; a request at an irregular moment is not counted.",
            self.target, self.port, self.period, self.checks, self.max_packets, self.max_bytes
        )
    }
}

/// What a known load balancer's context says: its addresses, with their label and the
/// health-check ports and intervals of its target groups.
pub struct KnownLb {
    pub label: String,
    pub checks: Vec<(u16, Option<u32>)>,
}

#[derive(Clone, Copy)]
struct Conn {
    start: u64,
    small: bool,
}

/// The result: for each health-check row, the index of its series in `series`.
pub struct Verdicts {
    pub row_series: FxHashMap<u32, u32>,
    pub series: Vec<Series>,
}

fn private(a: IpAddr) -> bool {
    crate::vocab::address_scope(a) == crate::vocab::SCOPE_PRIVATE
}

/// Classifies every row of the table. `known` maps a load balancer's private addresses
/// to what the context says about it.
pub fn classify(t: &Table, known: &FxHashMap<IpAddr, KnownLb>) -> Verdicts {
    let n = t.len();
    let mut row_series = FxHashMap::default();
    if t.column(Field::SrcAddr).is_none() || t.column(Field::DstPort).is_none() {
        return Verdicts {
            row_series,
            series: Vec::new(),
        };
    }
    // 1. connections: (client addr, client port, server addr, server port) of TCP rows
    //    between private addresses, the server side being the lower port.
    type Key = (IpAddr, u16, IpAddr, u16);
    // A connection's key, hashed once per row of millions: IPv4 keys (nearly all) packed
    // into one integer, others as they are.
    let mut conn_v4: FxHashMap<u128, u32> = FxHashMap::default();
    let mut conn_other: FxHashMap<Key, u32> = FxHashMap::default();
    let mut conns: Vec<(Key, Conn)> = Vec::new();
    // rows of connection c: first_row[c], then next_row links (no Vec per connection)
    let mut first_row: Vec<u32> = Vec::new();
    let mut next_row: Vec<u32> = vec![u32::MAX; n];
    let mut last_row: Vec<u32> = Vec::new();
    // the columns, looked up once
    let col = |f: Field| {
        t.column(f)
            .filter(|c| c.field.kind() != crate::fields::Kind::EventTime)
    };
    let (c_proto, c_sport, c_dport) = (
        col(Field::Protocol),
        col(Field::SrcPort),
        col(Field::DstPort),
    );
    let (c_start, c_packets, c_bytes) = (col(Field::Start), col(Field::Packets), col(Field::Bytes));
    let (c_src, c_dst) = (t.column(Field::SrcAddr), t.column(Field::DstAddr));
    let at_uint = |c: Option<&crate::table::Column>, r: usize| c.filter(|c| r < c.len())?.uint(r);
    let at_addr = |c: Option<&crate::table::Column>, r: usize| c.filter(|c| r < c.len())?.addr(r);
    for r in 0..n {
        if at_uint(c_proto, r) != Some(6) {
            continue;
        }
        let (Some(s), Some(d), Some(sp), Some(dp)) = (
            at_addr(c_src, r),
            at_addr(c_dst, r),
            at_uint(c_sport, r),
            at_uint(c_dport, r),
        ) else {
            continue;
        };
        if !private(s) || !private(d) {
            continue;
        }
        let (sp, dp) = (sp as u16, dp as u16);
        let key = if dp < sp {
            (s, sp, d, dp)
        } else {
            (d, dp, s, sp)
        };
        let start = at_uint(c_start, r).unwrap_or(0);
        let small = at_uint(c_packets, r).unwrap_or(u64::MAX) <= MAX_PACKETS
            && at_uint(c_bytes, r).unwrap_or(u64::MAX) <= MAX_BYTES;
        let next = conns.len() as u32;
        let c = match key {
            (IpAddr::V4(a), ap, IpAddr::V4(b), bp) => {
                let packed = (u128::from(u32::from(a)) << 64)
                    | (u128::from(ap) << 48)
                    | (u128::from(u32::from(b)) << 16)
                    | u128::from(bp);
                *conn_v4.entry(packed).or_insert(next)
            }
            _ => *conn_other.entry(key).or_insert(next),
        };
        if c == next {
            conns.push((key, Conn { start, small: true }));
            first_row.push(r as u32);
            last_row.push(r as u32);
        }
        let e = &mut conns[c as usize].1;
        e.start = e.start.min(start);
        e.small &= small;
        let last = &mut last_row[c as usize];
        if *last != r as u32 {
            next_row[*last as usize] = r as u32;
            *last = r as u32;
        }
    }
    // the rows of connection c
    let rows_of = |c: u32| {
        let c = c as usize;
        let mut v = vec![first_row[c]];
        let mut r = first_row[c];
        while next_row[r as usize] != u32::MAX {
            r = next_row[r as usize];
            v.push(r);
        }
        v
    };
    // 2. per (client addr, server addr, server port): the small connections' starts
    type Pair = (IpAddr, IpAddr, u16);
    let mut pairs: FxHashMap<Pair, Vec<(u64, u32)>> = FxHashMap::default();
    for (i, (k, c)) in conns.iter().enumerate() {
        if c.small {
            pairs
                .entry((k.0, k.2, k.3))
                .or_default()
                .push((c.start, i as u32));
        }
    }
    // 3. the best periodic chain of each pair (at least two connections), as
    //    connection indices
    let mut found: Vec<(Pair, u64, Vec<u32>)> = Vec::new();
    for (pair, mut starts) in pairs {
        if starts.len() < 2 {
            continue;
        }
        // by start, then connection (first seen first): which of two equal starts a
        // chain takes is then the data's, not the sort algorithm's
        starts.sort_unstable();
        let stated: Vec<u64> = known.get(&pair.0).map_or(Vec::new(), |k| {
            k.checks
                .iter()
                .filter(|c| c.0 == pair.2)
                .map(|c| c.1.unwrap_or(30) as u64)
                .collect()
        });
        let periods = if stated.is_empty() {
            guess_periods(&starts)
        } else {
            stated
        };
        let best = periods
            .into_iter()
            .map(|p| (p, chain(&starts, p, 2)))
            .max_by_key(|(_, c)| c.len());
        if let Some((period, members)) = best.filter(|b| b.1.len() >= 2) {
            found.push((pair, period, members));
        }
    }
    // 4. which sources are load balancers, at which period: named by context, or
    //    running series of at least MIN_SERIES at one period against two targets
    let mut periods_of: FxHashMap<IpAddr, Vec<u64>> = FxHashMap::default();
    for (pair, period, members) in &found {
        if members.len() >= MIN_SERIES {
            periods_of.entry(pair.0).or_default().push(*period);
        }
    }
    let established = |lb: IpAddr, period: u64| -> usize {
        periods_of.get(&lb).map_or(0, |v| {
            v.iter().filter(|p| p.abs_diff(period) <= TOLERANCE).count()
        })
    };
    crate::sorting::sort_by_key(&mut found, |f| (f.0 .0, f.0 .1, f.0 .2));
    let mut series = Vec::new();
    for (pair, period, members) in found {
        let k = known.get(&pair.0);
        let targets = established(pair.0, period);
        let stated = k.is_some_and(|k| k.checks.iter().any(|c| c.0 == pair.2));
        let ok = if k.is_some() {
            // a load balancer by context: its target group's port, or a steady series
            stated || members.len() >= MIN_SERIES || targets >= 1
        } else {
            targets >= 2
        };
        if !ok {
            continue;
        }
        let idx = series.len() as u32;
        let (mut mp, mut mb) = (0, 0);
        for &c in &members {
            for r in rows_of(c) {
                row_series.insert(r, idx);
                mp = mp.max(at_uint(c_packets, r as usize).unwrap_or(0));
                mb = mb.max(at_uint(c_bytes, r as usize).unwrap_or(0));
            }
        }
        series.push(Series {
            lb: pair.0,
            target: pair.1,
            port: pair.2,
            period,
            checks: members.len(),
            lb_label: k.map(|k| k.label.clone()),
            targets,
            max_packets: mp,
            max_bytes: mb,
        });
    }
    Verdicts { row_series, series }
}

/// Candidate periods from the gaps between consecutive small connections: the gaps
/// (5–300 s) that recur, most frequent first.
fn guess_periods<K>(starts: &[(u64, K)]) -> Vec<u64> {
    let mut hist: FxHashMap<u64, usize> = FxHashMap::default();
    for w in starts.windows(2) {
        let g = w[1].0 - w[0].0;
        if (5..=300).contains(&g) {
            *hist.entry(g).or_default() += 1;
        }
    }
    // merge neighbours within the tolerance
    let mut v: Vec<(u64, usize)> = hist
        .keys()
        .map(|&g| {
            let support = (g.saturating_sub(TOLERANCE)..=g + TOLERANCE)
                .map(|x| hist.get(&x).copied().unwrap_or(0))
                .sum();
            (g, support)
        })
        .filter(|&(_, s)| s >= 1)
        .collect();
    crate::sorting::sort_by(&mut v, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v.truncate(3);
    v.into_iter().map(|x| x.0).collect()
}

/// The connections that are part of a run of at least [`MIN_SERIES`] starts each
/// `period` (± tolerance) after the previous one.
fn chain<K: Copy>(starts: &[(u64, K)], period: u64, min: usize) -> Vec<K> {
    let n = starts.len();
    // next[i]: the start closest to starts[i] + period within the tolerance
    let mut next = vec![usize::MAX; n];
    let mut has_prev = vec![false; n];
    let mut j = 0;
    for i in 0..n {
        let want = starts[i].0 + period;
        while j < n && starts[j].0 + TOLERANCE < want {
            j += 1;
        }
        let mut best = usize::MAX;
        let mut k = j;
        while k < n && starts[k].0 <= want + TOLERANCE {
            if k > i
                && (best == usize::MAX
                    || starts[k].0.abs_diff(want) < starts[best].0.abs_diff(want))
            {
                best = k;
            }
            k += 1;
        }
        if best != usize::MAX && !has_prev[best] {
            next[i] = best;
            has_prev[best] = true;
        }
    }
    let mut out = Vec::new();
    for (i, &linked) in has_prev.iter().enumerate() {
        if linked {
            continue;
        }
        let mut run = vec![i];
        let mut c = i;
        while next[c] != usize::MAX {
            c = next[c];
            run.push(c);
        }
        if run.len() >= min {
            out.extend(run.iter().map(|&k| starts[k].1));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_need_a_steady_period() {
        let s: Vec<(u64, usize)> = [0, 30, 45, 60, 61, 90, 120, 200]
            .iter()
            .enumerate()
            .map(|(i, &t)| (t, i))
            .collect();
        let mut c = chain(&s, 30, MIN_SERIES);
        c.sort();
        assert_eq!(c, vec![0, 1, 3, 5, 6]);
        assert!(guess_periods(&s).contains(&30));
        let irregular: Vec<(u64, usize)> = [0, 17, 61, 70, 130, 131, 240]
            .iter()
            .enumerate()
            .map(|(i, &t)| (t, i))
            .collect();
        for p in guess_periods(&irregular) {
            assert!(
                chain(&irregular, p, MIN_SERIES).len() < MIN_SERIES,
                "period {p}"
            );
        }
    }
}
