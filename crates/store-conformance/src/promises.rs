//! The promises: one public async fn each, named as the test that runs it.
//!
//! Each takes the backend's harness and the test's name (its store's name), panics with what
//! broke when the backend breaks the promise, and returns [`Outcome`]. Every write is checked by
//! reading the store back — a fresh `load`, and after reopening where the backend can be
//! reopened — never only by a service's snapshot, which could hide a store that lost the write.

use std::collections::BTreeSet;
use std::sync::Arc;

use labgraph_domain::{
    ApplyError, ChangeSet, EdgeKind, Graph, LabAttrs, LabKind, NodeAttrs, NodeKind, Region,
    TieClass, ValidationError,
};
use labgraph_store::StoreError;
use tokio::sync::broadcast::error::TryRecvError;

use crate::check::{apply, assert_same_graph, assert_stored, fresh, load, ok, reopen, serve};
use crate::sample::{self, city, edge, id, lab, person, raw_key, rich, university};
use crate::{Outcome, StoreHarness};

/// A new store is empty at version 0, through `version`, `load`, a service, and a reopen.
pub async fn empty_store_loads_at_version_zero(harness: &dyn StoreHarness, test: &str) -> Outcome {
    let store = fresh(harness, test).await;
    assert_eq!(ok(store.version().await, "version of a new store"), 0);
    let graph = load(&store, "loading a new store").await;
    assert_eq!(
        (graph.version(), graph.node_count(), graph.edge_count()),
        (0, 0, 0),
        "a new store must load as an empty graph at version 0"
    );
    let service = serve(&store).await;
    assert_eq!(service.snapshot().version(), 0);
    drop(service);
    assert_stored(harness, test, store, &Graph::new(), "empty store").await;
    Outcome::Passed
}

/// Every node kind, edge kind and attribute comes back exactly as committed: Chinese and
/// Portuguese names, aliases, provenance, f64 weights and coordinates, `None` versus `Some`.
pub async fn committed_graph_round_trips_exactly(
    harness: &dyn StoreHarness,
    test: &str,
) -> Outcome {
    let store = fresh(harness, test).await;
    let service = serve(&store).await;
    let applied = apply(&service, rich(), "committing the rich sample").await;
    assert_eq!(applied.version, 1);
    let expected = service.snapshot();
    // The sample must cover everything, or this promise proves less than it says.
    for kind in NodeKind::ALL {
        assert!(expected.count_of(kind) > 0, "sample lacks {kind} nodes");
    }
    for (kind, count) in expected.stats().edges {
        assert!(count > 0, "sample lacks {kind} edges");
    }
    drop(service);
    let store = assert_stored(harness, test, store, &expected, "rich sample").await;

    // Spot checks stated independently of the snapshot, in case the service itself were wrong.
    let loaded = load(&store, "reloading the rich sample").await;
    let um = loaded.node("um").expect("um is stored");
    assert_eq!(um.names.pt.as_deref(), Some("Universidade de Macau"));
    assert_eq!(um.names.zh_hant.as_deref(), Some("澳門大學"));
    assert_eq!(um.names.aliases, ["澳大", "UMac"]);
    let collab = loaded
        .edge(&raw_key(EdgeKind::CollaboratesWith, "hku", "um"))
        .expect("the hku–um collaboration is stored in key order");
    assert_eq!(
        collab.weight.map(f64::to_bits),
        Some((0.1f64 + 0.2).to_bits())
    );
    assert!(collab.provenance.verified);
    let person = loaded.node("p-synthetic-1").expect("the person is stored");
    assert!(person.provenance.synthetic && person.provenance.source.is_none());
    assert_eq!(
        loaded.tie_class(collab),
        Some(TieClass::HkMacao),
        "locations must survive the round trip"
    );
    assert_eq!(
        loaded.regions_of("gdhkmo-smart-cities"),
        BTreeSet::from([Region::Hk, Region::GdPrd])
    );
    Outcome::Passed
}

/// An upsert replaces the whole node or edge: attributes set before and left out now are gone
/// from the store, not merged.
pub async fn upsert_replaces_the_whole_node_or_edge(
    harness: &dyn StoreHarness,
    test: &str,
) -> Outcome {
    let store = fresh(harness, test).await;
    let service = serve(&store).await;
    apply(&service, rich(), "committing the rich sample").await;
    let mut changes = ChangeSet::new();
    // hku loses its Chinese names, aliases, website, city and provenance.
    changes.upsert_node(university("hku", None));
    // The host edge loses its role, year and provenance.
    changes.upsert_edge(edge(EdgeKind::PartnerIn, "hku", "gdhkmo-smart-cities"));
    changes.delete_edge(raw_key(
        EdgeKind::MemberOf,
        "p-synthetic-1",
        "gdhkmo-smart-cities",
    ));
    let applied = apply(&service, changes, "replacing hku and its host edge").await;
    assert_eq!(applied.version, 2);
    assert_eq!(
        (
            applied.diff.upserted_nodes.len(),
            applied.diff.upserted_edges.len(),
            applied.diff.deleted_edges.len()
        ),
        (1, 1, 1)
    );
    let expected = service.snapshot();
    drop(service);
    let store = assert_stored(harness, test, store, &expected, "after replacing").await;
    let loaded = load(&store, "reloading after replacing").await;
    let hku = loaded.node("hku").expect("hku is stored");
    assert_eq!(hku.names, sample::en("hku"));
    assert!(hku.provenance.source.is_none() && !hku.provenance.verified);
    let host = loaded
        .edge(&raw_key(EdgeKind::PartnerIn, "hku", "gdhkmo-smart-cities"))
        .expect("host edge is stored");
    assert_eq!((host.role, host.since), (None, None));
    assert!(
        loaded
            .edge(&raw_key(
                EdgeKind::MemberOf,
                "p-synthetic-1",
                "gdhkmo-smart-cities"
            ))
            .is_none(),
        "a deleted edge must stay deleted"
    );
    Outcome::Passed
}

/// The stored version goes up by one per change set that changes something; repeating a change
/// set, an empty change set and deleting something absent change nothing, version included.
pub async fn versions_step_by_one_and_repeats_change_nothing(
    harness: &dyn StoreHarness,
    test: &str,
) -> Outcome {
    let store = fresh(harness, test).await;
    let service = serve(&store).await;
    let mut first = ChangeSet::new();
    first.upsert_node(city("foshan"));
    let applied = apply(&service, first.clone(), "first change set").await;
    assert_eq!(applied.version, 1);
    assert_eq!(ok(store.version().await, "version after one commit"), 1);

    let again = apply(&service, first.clone(), "repeating the first change set").await;
    assert_eq!(again.version, 1, "a repeat must not move the version");
    assert!(again.diff.is_empty(), "a repeat must change nothing");
    let empty = apply(&service, ChangeSet::new(), "an empty change set").await;
    assert_eq!((empty.version, empty.diff.is_empty()), (1, true));
    let mut absent = ChangeSet::new();
    absent
        .delete_node(id("nowhere"))
        .delete_edge(raw_key(EdgeKind::WorksOn, "nowhere", "nothing"));
    let absent = apply(&service, absent, "deleting what is not there").await;
    assert_eq!((absent.version, absent.diff.is_empty()), (1, true));
    assert_eq!(ok(store.version().await, "version after no-ops"), 1);

    let mut second = first;
    second.upsert_node(university("fosu", Some("foshan")));
    let applied = apply(&service, second, "repeat plus one new node").await;
    assert_eq!(applied.version, 2);
    assert_eq!(
        applied
            .diff
            .upserted_nodes
            .iter()
            .map(|n| n.id.as_str())
            .collect::<Vec<_>>(),
        ["fosu"],
        "the diff holds only what changed"
    );
    let mut third = ChangeSet::new();
    third.delete_node(id("fosu"));
    assert_eq!(apply(&service, third, "deleting fosu").await.version, 3);
    assert_eq!(ok(store.version().await, "version after three commits"), 3);
    let expected = service.snapshot();
    drop(service);
    assert_stored(harness, test, store, &expected, "after three versions").await;
    Outcome::Passed
}

/// An invalid change set is refused with `Rejected`, naming the offending change; nothing of
/// it — not even its valid changes before the bad one — is stored, and the version stays.
pub async fn invalid_change_sets_are_rejected_and_store_nothing(
    harness: &dyn StoreHarness,
    test: &str,
) -> Outcome {
    let store = fresh(harness, test).await;
    let service = serve(&store).await;
    let mut base = ChangeSet::new();
    base.upsert_node(city("guangzhou"))
        .upsert_node(university("scut", Some("guangzhou")))
        .upsert_node(lab("scut-lab"))
        .upsert_node(person("p-1"))
        .upsert_edge(edge(EdgeKind::MemberOf, "p-1", "scut-lab"));
    apply(&service, base, "committing the base graph").await;
    let before = load(&store, "loading the base graph").await;

    type Expect = fn(&ValidationError) -> bool;
    let mut bad_year_lab = lab("old-lab");
    if let NodeAttrs::Lab(LabAttrs { founded, kind, .. }) = &mut bad_year_lab.attrs {
        *kind = LabKind::StateKeyLab;
        *founded = Some(1066);
    }
    let mut bad_year_edge = edge(EdgeKind::MemberOf, "p-1", "scut-lab");
    bad_year_edge.since = Some(2200);
    let cases: Vec<(&str, ChangeSet, Expect)> = vec![
        (
            "dangling edge",
            changes_after_valid_one(|cs| {
                cs.upsert_edge(edge(EdgeKind::PartnerIn, "scut", "no-such-lab"));
            }),
            |e| matches!(e, ValidationError::UnknownNode { field: "to", id, .. } if id == "no-such-lab"),
        ),
        (
            "wrong endpoint kind",
            changes_after_valid_one(|cs| {
                cs.upsert_edge(edge(EdgeKind::PartnerIn, "p-1", "scut-lab"));
            }),
            |e| {
                matches!(
                    e,
                    ValidationError::WrongKind {
                        field: "from",
                        found: NodeKind::Person,
                        ..
                    }
                )
            },
        ),
        (
            "unknown city",
            changes_after_valid_one(|cs| {
                cs.upsert_node(university("atlantis-u", Some("atlantis")));
            }),
            |e| matches!(e, ValidationError::UnknownNode { field: "city", id, .. } if id == "atlantis"),
        ),
        (
            "kind change",
            changes_after_valid_one(|cs| {
                cs.upsert_node(person("scut"));
            }),
            |e| {
                matches!(
                    e,
                    ValidationError::KindChange {
                        existing: NodeKind::Institution,
                        requested: NodeKind::Person,
                        ..
                    }
                )
            },
        ),
        (
            "bad founding year",
            changes_after_valid_one(|cs| {
                cs.upsert_node(bad_year_lab);
            }),
            |e| {
                matches!(
                    e,
                    ValidationError::InvalidValue {
                        field: "founded",
                        ..
                    }
                )
            },
        ),
        (
            "bad edge year",
            changes_after_valid_one(|cs| {
                cs.upsert_edge(bad_year_edge);
            }),
            |e| matches!(e, ValidationError::InvalidValue { field: "since", .. }),
        ),
    ];
    for (case, changes, expected) in cases {
        match service.apply(changes).await {
            Err(StoreError::Rejected(ApplyError { index, error })) => {
                assert_eq!(
                    index, 1,
                    "{case}: the error must point at change 1 ({error})"
                );
                assert!(expected(&error), "{case}: unexpected reason: {error}");
            }
            other => panic!("{case}: expected Rejected, got {other:?}"),
        }
        assert_eq!(service.snapshot().version(), 1, "{case}: snapshot moved");
        let stored = load(&store, case).await;
        assert!(
            stored.node("valid-before-bad").is_none(),
            "{case}: the valid change before the bad one was stored"
        );
        assert_same_graph(&before, &stored, case);
    }
    drop(service);
    assert_stored(harness, test, store, &before, "after all refusals").await;
    Outcome::Passed
}

/// A change set whose change 0 is valid, so that a backend writing change by change would
/// leave it behind, followed by what `bad` adds.
fn changes_after_valid_one(bad: impl FnOnce(&mut ChangeSet)) -> ChangeSet {
    let mut cs = ChangeSet::new();
    cs.upsert_node(person("valid-before-bad"));
    bad(&mut cs);
    cs
}

/// Deleting a node deletes every edge touching it, in the store; re-creating the node does not
/// bring the edges back.
pub async fn deleting_a_node_cascades_its_edges(harness: &dyn StoreHarness, test: &str) -> Outcome {
    let store = fresh(harness, test).await;
    let service = serve(&store).await;
    apply(&service, rich(), "committing the rich sample").await;
    let before = service.snapshot();
    let touching: BTreeSet<String> = before
        .adjacent("p-synthetic-1")
        .map(|adj| adj.edge.key().to_string())
        .collect();
    assert!(touching.len() >= 5, "the sample person must have edges");
    let mut changes = ChangeSet::new();
    changes.delete_node(id("p-synthetic-1"));
    let applied = apply(&service, changes, "deleting the person").await;
    let deleted: BTreeSet<String> = applied
        .diff
        .deleted_edges
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(deleted, touching, "the diff must list every cascaded edge");
    let expected = service.snapshot();
    assert_eq!(expected.edge_count(), before.edge_count() - touching.len());
    drop(service);
    let store = assert_stored(harness, test, store, &expected, "after the cascade").await;
    let loaded = load(&store, "reloading after the cascade").await;
    assert!(loaded.node("p-synthetic-1").is_none());
    assert!(
        loaded
            .edges()
            .all(|e| e.from.as_str() != "p-synthetic-1" && e.to.as_str() != "p-synthetic-1"),
        "an edge of the deleted node is still stored"
    );

    let service = serve(&store).await;
    let mut again = ChangeSet::new();
    again.upsert_node(person("p-synthetic-1"));
    apply(&service, again, "re-creating the person").await;
    let expected = service.snapshot();
    assert_eq!(expected.adjacent("p-synthetic-1").count(), 0);
    drop(service);
    assert_stored(harness, test, store, &expected, "after re-creating").await;
    Outcome::Passed
}

/// A city still referenced by an institution or lab cannot be deleted (nothing is written);
/// deleted together with everything referring to it, it can.
pub async fn deleting_a_referenced_city_is_refused(
    harness: &dyn StoreHarness,
    test: &str,
) -> Outcome {
    let store = fresh(harness, test).await;
    let service = serve(&store).await;
    apply(&service, rich(), "committing the rich sample").await;
    let before = service.snapshot();
    let mut changes = ChangeSet::new();
    changes.delete_node(id("macao"));
    match service.apply(changes).await {
        Err(StoreError::Rejected(ApplyError {
            index: 0,
            error: ValidationError::StillReferenced { id, .. },
        })) if id == "macao" => {}
        other => panic!("deleting a referenced city: expected StillReferenced, got {other:?}"),
    }
    let stored = load(&store, "loading after the refusal").await;
    assert_same_graph(&before, &stored, "after refusing to delete macao");

    let mut changes = ChangeSet::new();
    changes
        .delete_node(id("um"))
        .delete_node(id("skl-iotsc"))
        .delete_node(id("macao"));
    let applied = apply(&service, changes, "deleting macao with its referrers").await;
    assert_eq!(applied.version, 2);
    let expected = service.snapshot();
    assert!(expected.node("macao").is_none());
    drop(service);
    assert_stored(harness, test, store, &expected, "after deleting macao").await;
    Outcome::Passed
}

/// A commit based on a version that is not the stored one fails with `Conflict` naming both
/// versions and writes nothing; a service that hits a conflict catches up, and its retry works.
pub async fn stale_commit_conflicts_and_writes_nothing(
    harness: &dyn StoreHarness,
    test: &str,
) -> Outcome {
    let store = fresh(harness, test).await;
    let service = serve(&store).await;
    let mut first = ChangeSet::new();
    first.upsert_node(city("zhuhai"));
    apply(&service, first, "first commit").await;
    let at_one = service.snapshot();

    let mut second = ChangeSet::new();
    second.upsert_node(university("bnu-zh", Some("zhuhai")));
    let (next, diff) = at_one
        .apply(&second)
        .expect("the second change set is valid");
    for stale in [0, 5] {
        match store.commit(stale, &diff).await {
            Err(StoreError::Conflict { base, actual }) => {
                assert_eq!(
                    (base, actual),
                    (stale, 1),
                    "conflict must name both versions"
                );
            }
            other => {
                panic!("commit on base {stale} at version 1: expected Conflict, got {other:?}")
            }
        }
        let stored = load(&store, "loading after a conflict").await;
        assert_same_graph(
            &at_one,
            &stored,
            &format!("after a conflict on base {stale}"),
        );
    }
    ok(store.commit(1, &diff).await, "commit on the right base");
    let stored = load(&store, "loading after the direct commit").await;
    assert_same_graph(&next, &stored, "after the direct commit");

    // The service still holds version 1: its next write must conflict, then succeed on retry.
    let mut third = ChangeSet::new();
    third.upsert_node(lab("bnu-zh-lab"));
    match service.apply(third.clone()).await {
        Err(StoreError::Conflict { base: 1, actual: 2 }) => {}
        other => panic!("apply on a stale service: expected Conflict 1/2, got {other:?}"),
    }
    assert_eq!(
        service.snapshot().version(),
        2,
        "after a conflict the service must have caught up"
    );
    let applied = apply(&service, third, "retrying after the conflict").await;
    assert_eq!(applied.version, 3);
    let expected = service.snapshot();
    assert!(expected.node("bnu-zh").is_some() && expected.node("bnu-zh-lab").is_some());
    drop(service);
    assert_stored(harness, test, store, &expected, "after the retry").await;
    Outcome::Passed
}

/// Two services over one store: the second sees the first's write after `refresh()` (and not
/// before), and the first sees the second's the same way.
pub async fn second_service_sees_first_write_after_refresh(
    harness: &dyn StoreHarness,
    test: &str,
) -> Outcome {
    let store = fresh(harness, test).await;
    let first = serve(&store).await;
    let second = serve(&store).await;
    let mut changes = ChangeSet::new();
    changes.upsert_node(city("dongguan"));
    apply(&first, changes, "writing through the first service").await;
    assert!(
        second.snapshot().node("dongguan").is_none(),
        "a snapshot is immutable until refreshed"
    );
    assert!(ok(second.refresh().await, "refreshing the second service"));
    let seen = second.snapshot();
    assert_eq!(seen.version(), 1);
    assert!(seen.node("dongguan").is_some());
    assert!(
        !ok(second.refresh().await, "refreshing again"),
        "a refresh with nothing new must say so"
    );

    let mut changes = ChangeSet::new();
    changes.upsert_node(university("dgut", Some("dongguan")));
    apply(&second, changes, "writing through the second service").await;
    assert!(ok(first.refresh().await, "refreshing the first service"));
    let expected = first.snapshot();
    assert_eq!(expected.version(), 2);
    assert!(expected.node("dgut").is_some());
    drop((first, second));
    assert_stored(harness, test, store, &expected, "after two writers").await;
    Outcome::Passed
}

/// Concurrent `apply` calls on one service are serialised: every one commits, each gets its own
/// version, none is lost, and every published snapshot is a whole version.
pub async fn concurrent_applies_serialize_without_lost_updates(
    harness: &dyn StoreHarness,
    test: &str,
) -> Outcome {
    const WRITERS: usize = 16;
    let store = fresh(harness, test).await;
    let service = Arc::new(serve(&store).await);
    let mut base = ChangeSet::new();
    base.upsert_node(city("shenzhen"))
        .upsert_node(university("szu", Some("shenzhen")));
    apply(&service, base, "committing the hub").await;

    // A reader watching snapshots while the writers run: versions never go back, and each
    // snapshot holds exactly the writers' people its version accounts for.
    let watcher = {
        let service = Arc::clone(&service);
        tokio::spawn(async move {
            let mut last = 1;
            while last < 1 + WRITERS as u64 {
                let snapshot = service.snapshot();
                assert!(snapshot.version() >= last, "a snapshot went back in time");
                last = snapshot.version();
                assert_eq!(
                    snapshot.count_of(NodeKind::Person) as u64,
                    last - 1,
                    "snapshot at version {last} is not a whole version"
                );
                tokio::task::yield_now().await;
            }
        })
    };
    let writers: Vec<_> = (0..WRITERS)
        .map(|i| {
            let service = Arc::clone(&service);
            tokio::spawn(async move {
                let who = format!("writer-{i}");
                let mut changes = ChangeSet::new();
                changes.upsert_node(person(&who)).upsert_edge(edge(
                    EdgeKind::AffiliatedWith,
                    &who,
                    "szu",
                ));
                service.apply(changes).await
            })
        })
        .collect();
    let mut versions = Vec::new();
    for writer in writers {
        let applied = ok(
            writer.await.expect("writer task panicked"),
            "a concurrent apply",
        );
        assert_eq!(
            (
                applied.diff.upserted_nodes.len(),
                applied.diff.upserted_edges.len()
            ),
            (1, 1)
        );
        versions.push(applied.version);
    }
    watcher
        .await
        .expect("the snapshot watcher found a torn snapshot");
    versions.sort_unstable();
    assert_eq!(
        versions,
        (2..=1 + WRITERS as u64).collect::<Vec<_>>(),
        "each apply must get its own version"
    );
    let expected = service.snapshot();
    assert_eq!(expected.count_of(NodeKind::Person), WRITERS);
    assert_eq!(expected.adjacent("szu").count(), WRITERS);
    drop(service);
    assert_stored(harness, test, store, &expected, "after concurrent writers").await;
    Outcome::Passed
}

/// Subscribers receive each committed change once, in commit order, with the same diff the
/// writer got; a change set that changes nothing is not announced; a late subscriber hears
/// only what comes after it subscribed.
pub async fn subscribers_receive_each_applied_in_order(
    harness: &dyn StoreHarness,
    test: &str,
) -> Outcome {
    let store = fresh(harness, test).await;
    let service = serve(&store).await;
    let mut early = service.subscribe();
    let mut late = None;
    let mut sent = Vec::new();
    let mut changes = ChangeSet::new();
    changes.upsert_node(city("jiangmen"));
    sent.push(apply(&service, changes.clone(), "change 1").await);
    apply(&service, changes, "a repeat that changes nothing").await;
    for i in 2..=5 {
        if i == 4 {
            late = Some(service.subscribe());
        }
        let mut changes = ChangeSet::new();
        changes.upsert_node(university(&format!("jm-{i}"), Some("jiangmen")));
        if i == 5 {
            changes.delete_node(id("jm-2"));
        }
        sent.push(apply(&service, changes, "a numbered change").await);
    }
    for expected in &sent {
        let got = early
            .try_recv()
            .expect("a committed change was not announced");
        assert_eq!(got.version, expected.version, "announcements out of order");
        assert_eq!(
            got.diff, expected.diff,
            "announced diff differs from the writer's"
        );
    }
    assert!(
        matches!(early.try_recv(), Err(TryRecvError::Empty)),
        "something was announced that changed nothing"
    );
    let mut late = late.expect("late subscriber exists");
    let heard: Vec<u64> = std::iter::from_fn(|| late.try_recv().ok())
        .map(|a| a.version)
        .collect();
    assert_eq!(heard, [4, 5]);
    let expected = service.snapshot();
    drop(service);
    assert_stored(harness, test, store, &expected, "after announcements").await;
    Outcome::Passed
}

/// A big change set (20k nodes, 50k edges) commits as one version and reloads exactly; a big
/// cascading delete does too.
pub async fn big_change_set_commits_and_reloads(harness: &dyn StoreHarness, test: &str) -> Outcome {
    let store = fresh(harness, test).await;
    let service = serve(&store).await;
    let changes = sample::synthetic("big-", 20_000, 50_000, 0x6ba);
    let nodes = changes
        .changes
        .iter()
        .filter(|c| matches!(c, labgraph_domain::Change::UpsertNode(_)))
        .count();
    let applied = apply(&service, changes, "committing the big change set").await;
    assert_eq!(applied.version, 1);
    assert_eq!(
        (
            applied.diff.upserted_nodes.len(),
            applied.diff.upserted_edges.len()
        ),
        (nodes, 50_000)
    );
    let expected = service.snapshot();
    drop(service);
    let store = assert_stored(harness, test, store, &expected, "after the big commit").await;

    let service = serve(&store).await;
    let mut deletes = ChangeSet::new();
    for i in 0..1_000 {
        deletes.delete_node(id(&format!("big-person-{i}")));
    }
    let applied = apply(&service, deletes, "deleting 1000 people").await;
    assert_eq!(applied.version, 2);
    assert!(
        applied.diff.deleted_edges.len() > 1_000,
        "the deletes must cascade"
    );
    let expected = service.snapshot();
    drop(service);
    assert_stored(harness, test, store, &expected, "after the big delete").await;
    Outcome::Passed
}

/// `COLLABORATES_WITH` has no direction: given either way round it is one edge, stored in key
/// order, replaced by a later upsert either way round and deleted by a key either way round.
pub async fn symmetric_edges_in_either_direction_are_one_edge(
    harness: &dyn StoreHarness,
    test: &str,
) -> Outcome {
    let store = fresh(harness, test).await;
    let service = serve(&store).await;
    let mut changes = ChangeSet::new();
    changes
        .upsert_node(university("hku", None))
        .upsert_node(university("sysu", None));
    let mut forward = edge(EdgeKind::CollaboratesWith, "hku", "sysu");
    forward.weight = Some(1.0);
    changes.upsert_edge(forward);
    apply(&service, changes, "the collaboration one way").await;

    let mut backward = edge(EdgeKind::CollaboratesWith, "sysu", "hku");
    backward.weight = Some(3.0);
    let mut changes = ChangeSet::new();
    changes.upsert_edge(backward);
    let applied = apply(&service, changes, "the collaboration the other way").await;
    assert_eq!(
        applied.version, 2,
        "the reverse upsert replaces, and changes the weight"
    );
    assert_eq!(applied.diff.upserted_edges.len(), 1);
    let expected = service.snapshot();
    drop(service);
    let store = assert_stored(harness, test, store, &expected, "after both directions").await;
    let loaded = load(&store, "reloading the collaboration").await;
    let stored: Vec<_> = loaded.edges().collect();
    assert_eq!(stored.len(), 1, "one edge, whichever way it was given");
    assert_eq!(
        (
            stored[0].from.as_str(),
            stored[0].to.as_str(),
            stored[0].weight
        ),
        ("hku", "sysu", Some(3.0))
    );
    assert_eq!(loaded.adjacent("sysu").count(), 1);
    assert_eq!(loaded.adjacent("hku").count(), 1);

    let service = serve(&store).await;
    let mut changes = ChangeSet::new();
    changes.delete_edge(raw_key(EdgeKind::CollaboratesWith, "sysu", "hku"));
    let applied = apply(&service, changes, "deleting by the reversed key").await;
    assert_eq!(applied.version, 3);
    let expected = service.snapshot();
    assert_eq!(expected.edge_count(), 0);
    drop(service);
    assert_stored(harness, test, store, &expected, "after the reversed delete").await;
    Outcome::Passed
}

/// A reopened store shows the same graph at the same version, and further commits continue
/// from that version.
pub async fn reopened_store_continues_where_it_left_off(
    harness: &dyn StoreHarness,
    test: &str,
) -> Outcome {
    let store = fresh(harness, test).await;
    if !store.capabilities().reopenable {
        return Outcome::Skipped("backend is not reopenable: its data ends with the handle");
    }
    let service = serve(&store).await;
    apply(&service, rich(), "committing the rich sample").await;
    let expected = service.snapshot();
    drop(service);
    let store = reopen(harness, test, store).await;
    let service = serve(&store).await;
    assert_same_graph(
        &expected,
        &service.snapshot(),
        "a service over the reopened store",
    );
    let mut changes = ChangeSet::new();
    changes.upsert_node(city("huizhou"));
    let applied = apply(&service, changes, "writing after the reopen").await;
    assert_eq!(applied.version, 2, "versions continue after a reopen");
    let expected = service.snapshot();
    drop(service);
    let store = reopen(harness, test, store).await;
    let loaded = load(&store, "loading after the second reopen").await;
    assert_same_graph(&expected, &loaded, "after writing to a reopened store");
    assert!(
        loaded.node("huizhou").is_some(),
        "the write after reopening is stored"
    );
    Outcome::Passed
}
