//! Name search across Simplified and Traditional Chinese, English, Portuguese, short names and
//! aliases: [`normalize`](fn@normalize) folds every spelling to one form and [`SearchIndex`]
//! finds nodes by any of their names, ranked.
//!
//! ```
//! use labgraph_domain::{
//!     ChangeSet, Graph, Id, InstitutionAttrs, InstitutionKind, Names, Node, NodeAttrs,
//!     Provenance,
//! };
//! use labgraph_search::SearchIndex;
//!
//! let cuhk = Node {
//!     id: Id::new("cuhk").expect("valid id"),
//!     names: Names {
//!         zh_hans: Some("香港中文大学".into()),
//!         en: Some("The Chinese University of Hong Kong".into()),
//!         short: Some("CUHK".into()),
//!         ..Names::default()
//!     },
//!     attrs: NodeAttrs::Institution(InstitutionAttrs {
//!         kind: InstitutionKind::University,
//!         city: None,
//!         website: None,
//!     }),
//!     provenance: Provenance::default(),
//! };
//! let mut changes = ChangeSet::new();
//! changes.upsert_node(cuhk);
//! let (graph, _) = Graph::new().apply(&changes).expect("valid example");
//! let index = SearchIndex::build(&graph);
//!
//! // Traditional script: the same name once folded, so an exact match.
//! let hits = index.search("香港中文大學", &[], 10);
//! assert_eq!((hits[0].id.as_str(), hits[0].score), ("cuhk", 1.0));
//! assert_eq!(hits[0].matched, "香港中文大学");
//! // Two words of the English name, in order.
//! let hits = index.search("chinese univ", &[], 10);
//! assert_eq!(hits[0].matched, "The Chinese University of Hong Kong");
//! assert!(hits[0].score > 0.5 && hits[0].score < 1.0);
//! ```
//!
//! This crate knows the domain's names only: no store, no GraphQL. The API builds one index
//! per graph version and shares it between requests.

mod index;
mod normalize;
mod tokens;

pub use index::{Hit, SearchIndex};
pub use normalize::normalize;
