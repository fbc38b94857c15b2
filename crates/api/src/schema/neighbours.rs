//! The `edges` connection of every node: its adjacent edges with the neighbour at the other
//! end and the edge's properties, paged by cursor.

use async_graphql::{Context, Object};
use labgraph_domain::{Edge, EdgeKind};

use super::enums::{Direction, EdgeKind as GqlEdgeKind, EdgeRole, TalentMode, TieClass};
use super::error::ApiError;
use super::list::{DEFAULT_PAGE_SIZE, PageInfo, decode_text, encode_text, page_size};
use super::nodes::{NodeInterface, Provenance};
use super::scope::{Link, RequestScope, link_order};

/// A page of a node's edges.
#[derive(Debug)]
pub struct NeighbourConnection {
    edges: Vec<NeighbourEdge>,
    page_info: PageInfo,
    total_count: usize,
}

/// A page of a node's edges.
#[Object]
impl NeighbourConnection {
    /// The edges of this page, ordered by edge kind, neighbour id, then direction.
    async fn edges(&self) -> &[NeighbourEdge] {
        &self.edges
    }

    /// Where this page lies: whether there are more, and the cursors to continue from.
    async fn page_info(&self) -> &PageInfo {
        &self.page_info
    }

    /// How many edges match `kinds` and `direction`, across all pages.
    async fn total_count(&self) -> usize {
        self.total_count
    }
}

/// One edge touching the node, seen from that node.
#[derive(Debug)]
pub struct NeighbourEdge {
    cursor: String,
    link: Link,
}

/// One edge touching the node, seen from that node, with the node at its other end.
#[Object]
impl NeighbourEdge {
    /// An opaque cursor: pass it as `after` to get the edges that follow.
    async fn cursor(&self) -> &str {
        &self.cursor
    }

    /// The node at the other end of the edge.
    async fn node(&self) -> NodeInterface {
        NodeInterface::of(&self.link.neighbour)
    }

    /// The kind of edge.
    async fn kind(&self) -> GqlEdgeKind {
        self.link.edge.kind.into()
    }

    /// For PARTNER_IN (HOST, PARTNER) and MEMBER_OF (DIRECTOR, PI, MEMBER), when known.
    async fn role(&self) -> Option<EdgeRole> {
        self.link.edge.role.map(Into::into)
    }

    /// For AFFILIATED_WITH: the title or position, e.g. Professor.
    async fn title(&self) -> Option<&str> {
        self.link.edge.title.as_deref()
    }

    /// For AFFILIATED_WITH: true for the person's primary affiliation.
    async fn primary(&self) -> Option<bool> {
        self.link.edge.primary
    }

    /// For TALENT_LINK: the flexible talent mode.
    async fn mode(&self) -> Option<TalentMode> {
        self.link.edge.mode.map(Into::into)
    }

    /// First year the tie held, when known.
    async fn since(&self) -> Option<i32> {
        self.link.edge.since
    }

    /// Last year the tie held; null while it holds.
    async fn until(&self) -> Option<i32> {
        self.link.edge.until
    }

    /// How much the tie counts (joint papers or projects); null means 1.
    async fn weight(&self) -> Option<f64> {
        self.link.edge.weight
    }

    /// Where the edge is recorded.
    async fn provenance(&self) -> Provenance {
        (&self.link.edge.provenance).into()
    }

    /// OUTGOING when the edge leaves the node it was looked up from, INCOMING otherwise.
    async fn direction(&self) -> Direction {
        if self.link.outgoing {
            Direction::Outgoing
        } else {
            Direction::Incoming
        }
    }

    /// The class of the edge by the jurisdictions of its two ends; null when an end's
    /// location is unknown or the edge leads to a field or platform (which have no side).
    async fn tie_class(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<TieClass>> {
        edge_tie_class(ctx, &self.link.edge)
    }
}

/// The class of a stored edge by the jurisdictions of its two ends, in the request's graph:
/// the one piece behind both `NeighbourEdge.tieClass` and `MapEdge.tieClass`.
pub(crate) fn edge_tie_class(
    ctx: &Context<'_>,
    edge: &Edge,
) -> async_graphql::Result<Option<TieClass>> {
    let scope = RequestScope::of(ctx)?;
    Ok(scope.graph.tie_class(edge).map(Into::into))
}

/// The cursor of a link: its position in the adjacency order.
fn link_cursor(link: &Link) -> String {
    encode_text(&format!(
        "edge:{}:{}:{}",
        link.edge.kind.code(),
        if link.outgoing { "out" } else { "in" },
        link.neighbour.id
    ))
}

/// Parses a cursor made by [`link_cursor`] into its sort key.
fn parse_link_cursor(cursor: &str) -> Result<(EdgeKind, String, bool), ApiError> {
    let bad = |reason: &str| ApiError::BadCursor {
        argument: "after",
        reason: format!("{reason}; pass a cursor this `edges` field returned"),
    };
    let text = decode_text(cursor).ok_or_else(|| bad("not a cursor"))?;
    let mut parts = text.splitn(4, ':');
    let (Some("edge"), Some(kind), Some(dir), Some(id)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad("not a cursor of a node's edges"));
    };
    let kind = EdgeKind::from_code(kind).ok_or_else(|| bad("unknown edge kind in cursor"))?;
    let outgoing = match dir {
        "out" => true,
        "in" => false,
        _ => return Err(bad("unknown direction in cursor")),
    };
    Ok((kind, id.to_owned(), outgoing))
}

/// One page of `links` (already in adjacency order), filtered by kind and direction.
pub(crate) fn neighbour_page(
    links: &[Link],
    kinds: Option<&[EdgeKind]>,
    direction: Direction,
    first: Option<i32>,
    after: Option<&str>,
    max_page_size: usize,
) -> Result<NeighbourConnection, ApiError> {
    let n = page_size("first", first, max_page_size)?.unwrap_or(DEFAULT_PAGE_SIZE);
    let matching: Vec<&Link> = links
        .iter()
        .filter(|l| kinds.is_none_or(|ks| ks.contains(&l.edge.kind)))
        .filter(|l| match direction {
            Direction::Outgoing => l.outgoing,
            Direction::Incoming => !l.outgoing,
            Direction::Both => true,
        })
        .collect();
    let start = match after {
        None => 0,
        Some(cursor) => {
            let (kind, id, outgoing) = parse_link_cursor(cursor)?;
            let key = (kind, id.as_str(), outgoing);
            matching.partition_point(|l| link_order(l) <= key)
        }
    };
    let end = matching.len().min(start.saturating_add(n));
    let edges: Vec<NeighbourEdge> = matching[start..end]
        .iter()
        .map(|l| NeighbourEdge {
            cursor: link_cursor(l),
            link: (*l).clone(),
        })
        .collect();
    Ok(NeighbourConnection {
        page_info: PageInfo {
            has_previous_page: start > 0,
            has_next_page: end < matching.len(),
            start_cursor: edges.first().map(|e| e.cursor.clone()),
            end_cursor: edges.last().map(|e| e.cursor.clone()),
        },
        total_count: matching.len(),
        edges,
    })
}
