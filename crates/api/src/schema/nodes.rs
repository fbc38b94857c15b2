//! The node types — `Institution`, `Lab`, `Person`, `City`, `Field`, `Platform` — and the
//! `Node` interface they implement, with their names, provenance and relationships.
//!
//! Each type is a merge of [`NodeFields`] (what every node has) and its own fields, so the
//! common fields are written and documented once.

use std::sync::Arc;

use async_graphql::{Context, ID, Interface, MergedObject, Object, SimpleObject};
use labgraph_domain::{
    CityAttrs, EdgeKind, FieldAttrs, Id, InstitutionAttrs, LabAttrs, Node, NodeAttrs, PlatformAttrs,
};

use super::enums::{
    Direction, EdgeKind as GqlEdgeKind, EdgeRole, FieldGroup, InstitutionKind, Jurisdiction,
    LabKind, LabStatus, Lang, NodeKind, PlatformKind, Region, TieClass,
};
use super::error::ApiError;
use super::facts::lab_is_cross_border;
use super::neighbours::{NeighbourConnection, neighbour_page};
use super::scope::{Link, RequestScope};

/// A node of the graph, found by its global id.
///
/// The global id is the domain id itself (e.g. `hku`, `gdhkmo-smart-cities`): ids are unique
/// across all kinds, stable across versions and readable, so no type prefix or encoding is
/// added. An id seen in a URL, a CSV cell or a Relay cache is the same string.
#[derive(Interface, Clone, Debug)]
#[graphql(
    name = "Node",
    field(
        name = "id",
        ty = "ID",
        desc = "The global id: the node's stable domain id, unique across all kinds."
    ),
    field(name = "kind", ty = "NodeKind", desc = "The kind of node."),
    field(
        name = "name",
        ty = "String",
        desc = "The best available name (see each type's `name` for the fallback order).",
        arg(
            name = "lang",
            ty = "Option<Lang>",
            desc = "The language to show the name in."
        )
    ),
    field(name = "names", ty = "Names", desc = "Every public name and alias."),
    field(
        name = "provenance",
        ty = "Provenance",
        desc = "Where the node's facts come from."
    ),
    field(
        name = "regions",
        ty = "Vec<Region>",
        desc = "The regions the node is located in (empty when unknown, and for fields)."
    ),
    field(
        name = "jurisdictions",
        ty = "Vec<Jurisdiction>",
        desc = "The jurisdictions the node is located in."
    )
)]
pub enum NodeInterface {
    /// An institution.
    Institution(Institution),
    /// A lab.
    Lab(Lab),
    /// A person.
    Person(Person),
    /// A city.
    City(City),
    /// A field.
    Field(Field),
    /// A platform.
    Platform(Platform),
}

impl NodeInterface {
    /// Wraps a node in the GraphQL type of its kind. Why only reference counts, never a copy
    /// of the attributes: a page or a search resolves dozens of nodes per request, and every
    /// field reads the shared node instead.
    pub(crate) fn of(node: &Arc<Node>) -> NodeInterface {
        let common = NodeFields {
            node: Arc::clone(node),
        };
        let node = Arc::clone(node);
        match &node.attrs {
            NodeAttrs::Institution(_) => {
                NodeInterface::Institution(Institution(common, InstitutionFields { node }))
            }
            NodeAttrs::Lab(_) => NodeInterface::Lab(Lab(common, LabFields { node })),
            NodeAttrs::Person(_) => NodeInterface::Person(Person(common, PersonFields { node })),
            NodeAttrs::City(_) => NodeInterface::City(City(common, CityFields { node })),
            NodeAttrs::Field(_) => NodeInterface::Field(Field(common, FieldFields { node })),
            NodeAttrs::Platform(_) => {
                NodeInterface::Platform(Platform(common, PlatformFields { node }))
            }
        }
    }
}

/// Generates the accessor of a kind's attributes on that kind's fields type.
macro_rules! attrs_of {
    ($fields:ident, $variant:ident, $attrs:ty) => {
        impl $fields {
            /// The node's attributes. Its fields are private and [`NodeInterface::of`], the
            /// only constructor, picks the type by the attributes' kind, so no other kind can
            /// be found here.
            fn attrs(&self) -> &$attrs {
                match &self.node.attrs {
                    NodeAttrs::$variant(attrs) => attrs,
                    _ => unreachable!(concat!(
                        stringify!($fields),
                        " is only built for a node of its kind"
                    )),
                }
            }
        }
    };
}

attrs_of!(InstitutionFields, Institution, InstitutionAttrs);
attrs_of!(LabFields, Lab, LabAttrs);
attrs_of!(CityFields, City, CityAttrs);
attrs_of!(FieldFields, Field, FieldAttrs);
attrs_of!(PlatformFields, Platform, PlatformAttrs);

/// Generates, for each node type, the `id` method the `Node` interface calls and a typed
/// constructor that refuses nodes of another kind.
macro_rules! node_type {
    ($ty:ident) => {
        impl $ty {
            /// The global id (called by the `Node` interface).
            pub async fn id(&self, _ctx: &Context<'_>) -> async_graphql::Result<ID> {
                Ok(ID(self.0.node.id.to_string()))
            }

            // The other common fields, for the `Node` interface: so that clients can ask a
            // search hit or `node(id:)` for its name without a fragment per kind.
            pub async fn kind(&self, ctx: &Context<'_>) -> async_graphql::Result<NodeKind> {
                self.0.kind(ctx).await
            }

            pub async fn name(
                &self,
                ctx: &Context<'_>,
                lang: Option<Lang>,
            ) -> async_graphql::Result<String> {
                self.0.name(ctx, lang).await
            }

            pub async fn names(&self, ctx: &Context<'_>) -> async_graphql::Result<Names> {
                self.0.names(ctx).await
            }

            pub async fn provenance(&self, ctx: &Context<'_>) -> async_graphql::Result<Provenance> {
                self.0.provenance(ctx).await
            }

            pub async fn regions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Region>> {
                self.0.regions(ctx).await
            }

            pub async fn jurisdictions(
                &self,
                ctx: &Context<'_>,
            ) -> async_graphql::Result<Vec<Jurisdiction>> {
                self.0.jurisdictions(ctx).await
            }

            /// The node as this type, or `None` when it is of another kind.
            pub(crate) fn of(node: &Arc<Node>) -> Option<$ty> {
                match NodeInterface::of(node) {
                    NodeInterface::$ty(typed) => Some(typed),
                    _ => None,
                }
            }

            /// The node itself (for the synchronous path, `fast.rs`).
            pub(crate) fn node(&self) -> &Arc<Node> {
                &self.0.node
            }
        }
    };
}

/// A university, research institute, enterprise, hospital or government body.
#[derive(MergedObject, Clone, Debug)]
pub struct Institution(NodeFields, InstitutionFields);
node_type!(Institution);

/// A laboratory: a Guangdong–Hong Kong–Macao joint lab, a provincial lab, a state key lab, an
/// InnoHK centre or another lab.
#[derive(MergedObject, Clone, Debug)]
pub struct Lab(NodeFields, LabFields);
node_type!(Lab);

/// A researcher or expert. Only public facts are kept.
#[derive(MergedObject, Clone, Debug)]
pub struct Person(NodeFields, PersonFields);
node_type!(Person);

/// A city of Guangdong, or Hong Kong or Macao.
#[derive(MergedObject, Clone, Debug)]
pub struct City(NodeFields, CityFields);
node_type!(City);

/// A field of the taxonomy: a strategic or future industry cluster, a frontier area or a
/// discipline.
#[derive(MergedObject, Clone, Debug)]
pub struct Field(NodeFields, FieldFields);
node_type!(Field);

/// A cooperation zone, corridor, alliance or science park.
#[derive(MergedObject, Clone, Debug)]
pub struct Platform(NodeFields, PlatformFields);
node_type!(Platform);

/// Every public name of a node.
///
/// Read from the node itself when asked: a page asking for one name of each node copies
/// that name only.
#[derive(Clone, Debug)]
pub struct Names {
    node: Arc<Node>,
}

impl Names {
    /// The names of `node`.
    pub(crate) fn of(node: &Arc<Node>) -> Names {
        Names {
            node: Arc::clone(node),
        }
    }
}

/// Every public name of a node.
#[Object]
impl Names {
    /// Simplified Chinese, e.g. 香港中文大学.
    async fn zh_hans(&self) -> Option<&str> {
        self.node.names.zh_hans.as_deref()
    }

    /// Traditional Chinese, e.g. 香港中文大學.
    async fn zh_hant(&self) -> Option<&str> {
        self.node.names.zh_hant.as_deref()
    }

    /// English, e.g. The Chinese University of Hong Kong.
    async fn en(&self) -> Option<&str> {
        self.node.names.en.as_deref()
    }

    /// Portuguese, for Macao, e.g. Universidade de Macau.
    async fn pt(&self) -> Option<&str> {
        self.node.names.pt.as_deref()
    }

    /// The short name in common use, e.g. CUHK.
    async fn short(&self) -> Option<&str> {
        self.node.names.short.as_deref()
    }

    /// Other names and abbreviations, e.g. 港中大.
    async fn aliases(&self) -> &[String] {
        &self.node.names.aliases
    }
}

/// Where a fact comes from, when, and whether it was checked.
#[derive(SimpleObject, Clone, Debug)]
pub struct Provenance {
    /// The source: URLs or citations, as the reference data gives them.
    pub source: Option<String>,
    /// When the source said so: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub date: Option<String>,
    /// The fact was checked against its source.
    pub verified: bool,
    /// The fact was made up by the benchmark generator; never real cooperation.
    pub synthetic: bool,
}

impl From<&labgraph_domain::Provenance> for Provenance {
    fn from(p: &labgraph_domain::Provenance) -> Self {
        Provenance {
            source: p.source.clone(),
            date: p.date.clone(),
            verified: p.verified,
            synthetic: p.synthetic,
        }
    }
}

/// The name of `node` in `lang`, falling back to the best other name.
///
/// Fallback order: the language asked for; for a Chinese script, the other Chinese script;
/// then English, Simplified, Traditional, Portuguese, the short name. Without a language:
/// English, Simplified, Traditional, Portuguese, short name.
pub(crate) fn name_in(names: &labgraph_domain::Names, lang: Option<Lang>) -> String {
    let first: [&Option<String>; 2] = match lang {
        None => [&None, &None],
        Some(Lang::ZhHans) => [&names.zh_hans, &names.zh_hant],
        Some(Lang::ZhHant) => [&names.zh_hant, &names.zh_hans],
        Some(Lang::En) => [&names.en, &None],
        Some(Lang::Pt) => [&names.pt, &None],
    };
    first
        .into_iter()
        .find_map(|n| n.as_deref())
        .or_else(|| names.display())
        // Validation refuses nodes without a full name; an empty string keeps the field
        // non-null should a store ever hand one over.
        .unwrap_or_default()
        .to_owned()
}

/// The fields every node has.
#[derive(Clone, Debug)]
pub struct NodeFields {
    node: Arc<Node>,
}

/// The fields every node has (merged into each node type).
#[Object]
impl NodeFields {
    /// The global id: the node's stable domain id (e.g. `hku`), unique across all kinds.
    async fn id(&self) -> ID {
        ID(self.node.id.to_string())
    }

    /// The kind of node.
    async fn kind(&self) -> NodeKind {
        self.node.kind().into()
    }

    /// The best available name. Fallback order: the language asked for; for a Chinese script,
    /// the other Chinese script; then English, Simplified Chinese, Traditional Chinese,
    /// Portuguese, the short name. Without `lang`, English comes first.
    async fn name(
        &self,
        #[graphql(desc = "The language to show the name in.")] lang: Option<Lang>,
    ) -> String {
        name_in(&self.node.names, lang)
    }

    /// Every public name and alias.
    async fn names(&self) -> Names {
        Names {
            node: Arc::clone(&self.node),
        }
    }

    /// Where the node's facts come from.
    async fn provenance(&self) -> Provenance {
        (&self.node.provenance).into()
    }

    /// The regions the node is located in: an institution's city; a lab's or platform's
    /// cities (for a lab without a city, its hosts'); a person's primary affiliations (or all
    /// when none is marked primary); a city itself. Empty when unknown, and for fields.
    async fn regions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Region>> {
        let scope = RequestScope::of(ctx)?;
        let id = self.node.id.as_str();
        Ok(match scope.built_locations() {
            Some(locations) => locations.regions(id).iter().map(Region::from).collect(),
            None => scope
                .graph
                .regions_of(id)
                .into_iter()
                .map(Region::from)
                .collect(),
        })
    }

    /// The jurisdictions the node is located in (from `regions`).
    async fn jurisdictions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Jurisdiction>> {
        let scope = RequestScope::of(ctx)?;
        let id = self.node.id.as_str();
        Ok(match scope.built_locations() {
            Some(locations) => locations
                .jurisdictions(id)
                .iter()
                .map(Jurisdiction::from)
                .collect(),
            None => scope
                .graph
                .jurisdictions_of(id)
                .into_iter()
                .map(Jurisdiction::from)
                .collect(),
        })
    }

    /// The edges touching this node, each with the node at its other end and the edge's
    /// properties, ordered by edge kind, then neighbour id, then direction. Adjacency lists
    /// are loaded in batches: a list of nodes asking for `edges` costs one load, not one per
    /// node.
    #[graphql(complexity = "crate::schema::list::page_cost(first, None, child_complexity)")]
    async fn edges(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only edges of these kinds (all kinds when omitted).")] kinds: Option<
            Vec<GqlEdgeKind>,
        >,
        #[graphql(
            desc = "Only edges leaving (OUTGOING) or arriving at (INCOMING) this node.",
            default_with = "Direction::Both"
        )]
        direction: Direction,
        #[graphql(desc = "Page size: at most the maximum page size; 20 when omitted.")]
        first: Option<i32>,
        #[graphql(
            desc = "Return the edges after this cursor (from `cursor` or `pageInfo.endCursor`)."
        )]
        after: Option<String>,
    ) -> async_graphql::Result<NeighbourConnection> {
        let scope = RequestScope::of(ctx)?;
        let links = scope.links(&self.node.id).await;
        let kinds: Option<Vec<EdgeKind>> =
            kinds.map(|ks| ks.into_iter().map(EdgeKind::from).collect());
        Ok(neighbour_page(
            &links,
            kinds.as_deref(),
            direction,
            first,
            after.as_deref(),
            scope.max_page_size(),
        )?)
    }
}

/// Links of `id` of one kind, in one direction.
async fn links_of(scope: &RequestScope, id: &Id, kind: EdgeKind, outgoing: bool) -> Vec<Link> {
    scope
        .links(id)
        .await
        .iter()
        .filter(|l| l.edge.kind == kind && l.outgoing == outgoing)
        .cloned()
        .collect()
}

/// Checks a `first` argument of a bounded list field: default 20, never above the maximum.
fn list_size(first: Option<i32>, max: usize) -> Result<usize, ApiError> {
    super::list::page_size("first", first, max).map(|n| n.unwrap_or(super::list::DEFAULT_PAGE_SIZE))
}

/// The first `n` of `ids` that resolve in the snapshot, as typed nodes.
fn typed<T>(scope: &RequestScope, ids: &[Id], n: usize, of: fn(&Arc<Node>) -> Option<T>) -> Vec<T> {
    ids.iter()
        .filter_map(|id| scope.graph.node(id.as_str()))
        .filter_map(of)
        .take(n)
        .collect()
}

/// Institution-specific fields.
#[derive(Clone, Debug)]
pub struct InstitutionFields {
    node: Arc<Node>,
}

/// Institution-specific fields (merged into `Institution`).
#[Object]
impl InstitutionFields {
    /// What kind of organisation it is.
    async fn institution_kind(&self) -> InstitutionKind {
        self.attrs().kind.into()
    }

    /// The short name in common use (e.g. HKU), when known.
    async fn short_name(&self) -> Option<&str> {
        self.node.names.short.as_deref()
    }

    /// The city it is in.
    async fn city(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<City>> {
        let scope = RequestScope::of(ctx)?;
        Ok(self
            .attrs()
            .city
            .as_ref()
            .and_then(|c| scope.graph.node(c.as_str()))
            .and_then(City::of))
    }

    /// Its website, when known.
    async fn website(&self) -> Option<&str> {
        self.attrs().website.as_deref()
    }

    /// The labs it is a partner in (PARTNER_IN), in id order.
    async fn labs(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only labs where it has this role (HOST or PARTNER).")] role: Option<
            EdgeRole,
        >,
    ) -> async_graphql::Result<Vec<Lab>> {
        let scope = RequestScope::of(ctx)?;
        let role = role.map(labgraph_domain::EdgeRole::from);
        Ok(links_of(scope, &self.node.id, EdgeKind::PartnerIn, true)
            .await
            .iter()
            .filter(|l| role.is_none() || l.edge.role == role)
            .filter_map(|l| Lab::of(&l.neighbour))
            .collect())
    }

    /// The fields it works on (WORKS_ON), in id order.
    async fn fields(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Field>> {
        let scope = RequestScope::of(ctx)?;
        Ok(links_of(scope, &self.node.id, EdgeKind::WorksOn, true)
            .await
            .iter()
            .filter_map(|l| Field::of(&l.neighbour))
            .collect())
    }

    /// The platforms it is part of (PART_OF), in id order.
    async fn platforms(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Platform>> {
        let scope = RequestScope::of(ctx)?;
        Ok(links_of(scope, &self.node.id, EdgeKind::PartOf, true)
            .await
            .iter()
            .filter_map(|l| Platform::of(&l.neighbour))
            .collect())
    }

    /// Its centrality in a network projection: its score, competition rank and
    /// percentile among all the network's nodes (the same ranking as the root `centrality`
    /// field, computed once per graph version and arguments), or null when it is not a node
    /// of that network (left out by `where`).
    #[graphql(complexity = "crate::schema::analytics::NODE_ANALYTICS_COST + child_complexity")]
    #[allow(clippy::too_many_arguments)] // One argument per GraphQL argument.
    async fn centrality(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The measure.")] kind: super::analytics::CentralityKind,
        #[graphql(desc = "The network: INSTITUTIONS (when omitted) or INSTITUTION_LABS.")]
        projection: Option<super::analytics::ProjectionKind>,
        #[graphql(
            name = "where",
            desc = "Which nodes and ties count (all when omitted)."
        )]
        filter: Option<super::analytics::NetworkWhere>,
        #[graphql(desc = "The network as it stood in this year (1900–2100).")] as_of: Option<i32>,
        #[graphql(desc = "The blend of evidence into tie strength (INSTITUTIONS only).")]
        weighting: Option<super::analytics::WeightingInput>,
        #[graphql(
            desc = "Read tie strengths (see the root `centrality`).",
            default = true
        )]
        weighted: bool,
    ) -> async_graphql::Result<Option<super::analytics::NodeCentrality>> {
        super::analytics::node_centrality(
            ctx,
            &self.node.id,
            labgraph_domain::NodeKind::Institution,
            kind,
            projection,
            filter,
            as_of,
            weighting,
            weighted,
        )
        .await
    }

    /// Its community in a network projection: the one the root `communities` field gives it
    /// for the same arguments (the same `id`; computed once per graph version and arguments,
    /// shared by every node), or null when it is not a node of that network (left out by `where`).
    #[graphql(complexity = "crate::schema::analytics::NODE_ANALYTICS_COST + child_complexity")]
    #[allow(clippy::too_many_arguments)] // One argument per GraphQL argument.
    async fn community(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How to find the communities (LOUVAIN when omitted).",
            default_with = "super::analytics::CommunityAlgorithm::Louvain"
        )]
        algorithm: super::analytics::CommunityAlgorithm,
        #[graphql(
            desc = "LOUVAIN and LEIDEN: the resolution γ (see the root `communities`).",
            default = 1.0
        )]
        resolution: f64,
        #[graphql(
            desc = "LOUVAIN and LEIDEN: the seed of the visiting order (0 or more).",
            default = 0
        )]
        seed: i32,
        #[graphql(
            desc = "LEIDEN: runs of the whole algorithm (see the root `communities`; 2 when omitted, 1–20)."
        )]
        iterations: Option<i32>,
        #[graphql(desc = "The network: INSTITUTIONS (when omitted) or INSTITUTION_LABS.")]
        projection: Option<super::analytics::ProjectionKind>,
        #[graphql(
            name = "where",
            desc = "Which nodes and ties count (all when omitted)."
        )]
        filter: Option<super::analytics::NetworkWhere>,
        #[graphql(desc = "The network as it stood in this year (1900–2100).")] as_of: Option<i32>,
        #[graphql(desc = "The blend of evidence into tie strength (INSTITUTIONS only).")]
        weighting: Option<super::analytics::WeightingInput>,
        #[graphql(
            desc = "LOUVAIN and LEIDEN: use tie strengths (else every tie counts 1).",
            default = true
        )]
        weighted: bool,
    ) -> async_graphql::Result<Option<super::analytics::Community>> {
        super::analytics::node_community(
            ctx,
            &self.node.id,
            labgraph_domain::NodeKind::Institution,
            algorithm,
            resolution,
            seed,
            iterations,
            projection,
            filter,
            as_of,
            weighting,
            weighted,
        )
        .await
    }
}

/// An institution's part in a lab (a PARTNER_IN edge seen from the lab).
#[derive(Clone, Debug)]
pub struct LabPartner {
    link: Link,
}

/// An institution's part in a lab (a PARTNER_IN edge seen from the lab).
#[Object]
impl LabPartner {
    /// The partner institution.
    async fn institution(&self) -> Option<Institution> {
        Institution::of(&self.link.neighbour)
    }

    /// HOST or PARTNER, when the source says.
    async fn role(&self) -> Option<EdgeRole> {
        self.link.edge.role.map(Into::into)
    }

    /// First year of the partnership, when known.
    async fn since(&self) -> Option<i32> {
        self.link.edge.since
    }

    /// Last year of the partnership; null while it holds.
    async fn until(&self) -> Option<i32> {
        self.link.edge.until
    }

    /// Where the partnership is recorded.
    async fn provenance(&self) -> Provenance {
        (&self.link.edge.provenance).into()
    }
}

/// A person's membership of a lab (a MEMBER_OF edge seen from the lab).
#[derive(Clone, Debug)]
pub struct LabMember {
    link: Link,
}

/// A person's membership of a lab (a MEMBER_OF edge seen from the lab).
#[Object]
impl LabMember {
    /// The member.
    async fn person(&self) -> Option<Person> {
        Person::of(&self.link.neighbour)
    }

    /// DIRECTOR, PI or MEMBER, when the source says.
    async fn role(&self) -> Option<EdgeRole> {
        self.link.edge.role.map(Into::into)
    }

    /// First year of the membership, when known.
    async fn since(&self) -> Option<i32> {
        self.link.edge.since
    }

    /// Last year of the membership; null while it holds.
    async fn until(&self) -> Option<i32> {
        self.link.edge.until
    }

    /// Where the membership is recorded.
    async fn provenance(&self) -> Provenance {
        (&self.link.edge.provenance).into()
    }
}

/// A person's affiliation with an institution (an AFFILIATED_WITH edge).
#[derive(Clone, Debug)]
pub struct Affiliation {
    link: Link,
}

/// A person's affiliation with an institution (an AFFILIATED_WITH edge).
#[Object]
impl Affiliation {
    /// The institution.
    async fn institution(&self) -> Option<Institution> {
        Institution::of(&self.link.neighbour)
    }

    /// The title or position, e.g. Professor.
    async fn title(&self) -> Option<&str> {
        self.link.edge.title.as_deref()
    }

    /// True for the person's primary affiliation.
    async fn primary(&self) -> Option<bool> {
        self.link.edge.primary
    }

    /// First year of the affiliation, when known.
    async fn since(&self) -> Option<i32> {
        self.link.edge.since
    }

    /// Last year of the affiliation; null while it holds.
    async fn until(&self) -> Option<i32> {
        self.link.edge.until
    }

    /// Where the affiliation is recorded.
    async fn provenance(&self) -> Provenance {
        (&self.link.edge.provenance).into()
    }
}

/// Lab-specific fields.
#[derive(Clone, Debug)]
pub struct LabFields {
    node: Arc<Node>,
}

/// Lab-specific fields (merged into `Lab`).
#[Object]
impl LabFields {
    /// What kind of lab it is.
    async fn lab_kind(&self) -> LabKind {
        self.attrs().kind.into()
    }

    /// The category as the source classifies it (e.g. `hk_national_key_lab`), verbatim.
    async fn category(&self) -> Option<&str> {
        self.attrs().category.as_deref()
    }

    /// For joint labs: the year of the approval batch.
    async fn batch_year(&self) -> Option<i32> {
        self.attrs().batch_year
    }

    /// The founding (or plaque) year, when known.
    async fn founded(&self) -> Option<i32> {
        self.attrs().founded
    }

    /// Whether it is running, when known.
    async fn status(&self) -> Option<LabStatus> {
        self.attrs().status.map(Into::into)
    }

    /// The cities it is in, as recorded (empty when the source gives none; `regions` then
    /// falls back to the hosts' cities).
    async fn cities(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<City>> {
        let scope = RequestScope::of(ctx)?;
        Ok(typed(scope, &self.attrs().cities, usize::MAX, City::of))
    }

    /// The institutions that host or partner in it (PARTNER_IN), with their role and years,
    /// in institution id order.
    async fn partners(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only partners with this role (HOST or PARTNER).")] role: Option<EdgeRole>,
    ) -> async_graphql::Result<Vec<LabPartner>> {
        let scope = RequestScope::of(ctx)?;
        let role = role.map(labgraph_domain::EdgeRole::from);
        Ok(links_of(scope, &self.node.id, EdgeKind::PartnerIn, false)
            .await
            .into_iter()
            .filter(|l| role.is_none() || l.edge.role == role)
            .map(|link| LabPartner { link })
            .collect())
    }

    /// The fields it works on (WORKS_ON), in id order.
    async fn fields(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Field>> {
        let scope = RequestScope::of(ctx)?;
        Ok(links_of(scope, &self.node.id, EdgeKind::WorksOn, true)
            .await
            .iter()
            .filter_map(|l| Field::of(&l.neighbour))
            .collect())
    }

    /// The class of the lab by the jurisdictions of all its partners (hosts and partners);
    /// null when no partner's location is known.
    async fn tie_class(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<TieClass>> {
        let scope = RequestScope::of(ctx)?;
        let id = self.node.id.as_str();
        let class = match scope.built_locations() {
            Some(locations) => locations.lab_class(id),
            None => scope.graph.lab_class(id),
        };
        Ok(class.map(Into::into))
    }

    /// True when its partners span two or more jurisdictions.
    async fn cross_border(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        let scope = RequestScope::of(ctx)?;
        let id = self.node.id.as_str();
        Ok(match scope.built_locations() {
            Some(locations) => locations.cross_border(id),
            None => lab_is_cross_border(&scope.graph, id),
        })
    }

    /// The platforms it is part of (PART_OF), in id order.
    async fn platforms(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Platform>> {
        let scope = RequestScope::of(ctx)?;
        Ok(links_of(scope, &self.node.id, EdgeKind::PartOf, true)
            .await
            .iter()
            .filter_map(|l| Platform::of(&l.neighbour))
            .collect())
    }

    /// Its members (MEMBER_OF), with their role and years, in person id order.
    async fn members(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<LabMember>> {
        let scope = RequestScope::of(ctx)?;
        Ok(links_of(scope, &self.node.id, EdgeKind::MemberOf, false)
            .await
            .into_iter()
            .map(|link| LabMember { link })
            .collect())
    }

    /// Its centrality in a network projection: its score, competition rank and
    /// percentile among all the network's nodes (the same ranking as the root `centrality`
    /// field, computed once per graph version and arguments), or null when it is not a node
    /// of that network (left out by `where`, or not founded by `asOf`).
    #[graphql(complexity = "crate::schema::analytics::NODE_ANALYTICS_COST + child_complexity")]
    #[allow(clippy::too_many_arguments)] // One argument per GraphQL argument.
    async fn centrality(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The measure.")] kind: super::analytics::CentralityKind,
        #[graphql(desc = "The network: INSTITUTION_LABS, the only one holding labs.")]
        projection: Option<super::analytics::ProjectionKind>,
        #[graphql(
            name = "where",
            desc = "Which nodes and ties count (all when omitted)."
        )]
        filter: Option<super::analytics::NetworkWhere>,
        #[graphql(desc = "The network as it stood in this year (1900–2100).")] as_of: Option<i32>,
        #[graphql(desc = "The blend of evidence into tie strength (INSTITUTIONS only).")]
        weighting: Option<super::analytics::WeightingInput>,
        #[graphql(
            desc = "Read tie strengths (see the root `centrality`).",
            default = true
        )]
        weighted: bool,
    ) -> async_graphql::Result<Option<super::analytics::NodeCentrality>> {
        super::analytics::node_centrality(
            ctx,
            &self.node.id,
            labgraph_domain::NodeKind::Lab,
            kind,
            projection,
            filter,
            as_of,
            weighting,
            weighted,
        )
        .await
    }

    /// Its community in a network projection: the one the root `communities` field gives it
    /// for the same arguments (the same `id`; computed once per graph version and arguments,
    /// shared by every node), or null when it is not a node of that network (left out by `where`, or not founded by `asOf`).
    #[graphql(complexity = "crate::schema::analytics::NODE_ANALYTICS_COST + child_complexity")]
    #[allow(clippy::too_many_arguments)] // One argument per GraphQL argument.
    async fn community(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How to find the communities (LOUVAIN when omitted).",
            default_with = "super::analytics::CommunityAlgorithm::Louvain"
        )]
        algorithm: super::analytics::CommunityAlgorithm,
        #[graphql(
            desc = "LOUVAIN and LEIDEN: the resolution γ (see the root `communities`).",
            default = 1.0
        )]
        resolution: f64,
        #[graphql(
            desc = "LOUVAIN and LEIDEN: the seed of the visiting order (0 or more).",
            default = 0
        )]
        seed: i32,
        #[graphql(
            desc = "LEIDEN: runs of the whole algorithm (see the root `communities`; 2 when omitted, 1–20)."
        )]
        iterations: Option<i32>,
        #[graphql(desc = "The network: INSTITUTION_LABS, the only one holding labs.")]
        projection: Option<super::analytics::ProjectionKind>,
        #[graphql(
            name = "where",
            desc = "Which nodes and ties count (all when omitted)."
        )]
        filter: Option<super::analytics::NetworkWhere>,
        #[graphql(desc = "The network as it stood in this year (1900–2100).")] as_of: Option<i32>,
        #[graphql(desc = "The blend of evidence into tie strength (INSTITUTIONS only).")]
        weighting: Option<super::analytics::WeightingInput>,
        #[graphql(
            desc = "LOUVAIN and LEIDEN: use tie strengths (else every tie counts 1).",
            default = true
        )]
        weighted: bool,
    ) -> async_graphql::Result<Option<super::analytics::Community>> {
        super::analytics::node_community(
            ctx,
            &self.node.id,
            labgraph_domain::NodeKind::Lab,
            algorithm,
            resolution,
            seed,
            iterations,
            projection,
            filter,
            as_of,
            weighting,
            weighted,
        )
        .await
    }
}

/// Person-specific fields.
#[derive(Clone, Debug)]
pub struct PersonFields {
    node: Arc<Node>,
}

/// Person-specific fields (merged into `Person`).
#[Object]
impl PersonFields {
    /// The institutions the person is affiliated with (AFFILIATED_WITH), in id order.
    async fn affiliations(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Affiliation>> {
        let scope = RequestScope::of(ctx)?;
        Ok(
            links_of(scope, &self.node.id, EdgeKind::AffiliatedWith, true)
                .await
                .into_iter()
                .map(|link| Affiliation { link })
                .collect(),
        )
    }

    /// The labs the person is a member of (MEMBER_OF), in id order.
    async fn labs(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Lab>> {
        let scope = RequestScope::of(ctx)?;
        Ok(links_of(scope, &self.node.id, EdgeKind::MemberOf, true)
            .await
            .iter()
            .filter_map(|l| Lab::of(&l.neighbour))
            .collect())
    }

    /// The fields the person works on (WORKS_ON), in id order.
    async fn fields(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Field>> {
        let scope = RequestScope::of(ctx)?;
        Ok(links_of(scope, &self.node.id, EdgeKind::WorksOn, true)
            .await
            .iter()
            .filter_map(|l| Field::of(&l.neighbour))
            .collect())
    }

    /// Its centrality in a network projection: its score, competition rank and
    /// percentile among all the network's nodes (the same ranking as the root `centrality`
    /// field, computed once per graph version and arguments), or null when it is not a node
    /// of that network (left out by `where`).
    #[graphql(complexity = "crate::schema::analytics::NODE_ANALYTICS_COST + child_complexity")]
    #[allow(clippy::too_many_arguments)] // One argument per GraphQL argument.
    async fn centrality(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The measure.")] kind: super::analytics::CentralityKind,
        #[graphql(desc = "The network: PEOPLE, the only one holding people.")] projection: Option<
            super::analytics::ProjectionKind,
        >,
        #[graphql(
            name = "where",
            desc = "Which nodes and ties count (all when omitted)."
        )]
        filter: Option<super::analytics::NetworkWhere>,
        #[graphql(desc = "The network as it stood in this year (1900–2100).")] as_of: Option<i32>,
        #[graphql(desc = "The blend of evidence into tie strength (INSTITUTIONS only).")]
        weighting: Option<super::analytics::WeightingInput>,
        #[graphql(
            desc = "Read tie strengths (see the root `centrality`).",
            default = true
        )]
        weighted: bool,
    ) -> async_graphql::Result<Option<super::analytics::NodeCentrality>> {
        super::analytics::node_centrality(
            ctx,
            &self.node.id,
            labgraph_domain::NodeKind::Person,
            kind,
            projection,
            filter,
            as_of,
            weighting,
            weighted,
        )
        .await
    }

    /// Its community in a network projection: the one the root `communities` field gives it
    /// for the same arguments (the same `id`; computed once per graph version and arguments,
    /// shared by every node), or null when it is not a node of that network (left out by `where`).
    #[graphql(complexity = "crate::schema::analytics::NODE_ANALYTICS_COST + child_complexity")]
    #[allow(clippy::too_many_arguments)] // One argument per GraphQL argument.
    async fn community(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "How to find the communities (LOUVAIN when omitted).",
            default_with = "super::analytics::CommunityAlgorithm::Louvain"
        )]
        algorithm: super::analytics::CommunityAlgorithm,
        #[graphql(
            desc = "LOUVAIN and LEIDEN: the resolution γ (see the root `communities`).",
            default = 1.0
        )]
        resolution: f64,
        #[graphql(
            desc = "LOUVAIN and LEIDEN: the seed of the visiting order (0 or more).",
            default = 0
        )]
        seed: i32,
        #[graphql(
            desc = "LEIDEN: runs of the whole algorithm (see the root `communities`; 2 when omitted, 1–20)."
        )]
        iterations: Option<i32>,
        #[graphql(desc = "The network: PEOPLE, the only one holding people.")] projection: Option<
            super::analytics::ProjectionKind,
        >,
        #[graphql(
            name = "where",
            desc = "Which nodes and ties count (all when omitted)."
        )]
        filter: Option<super::analytics::NetworkWhere>,
        #[graphql(desc = "The network as it stood in this year (1900–2100).")] as_of: Option<i32>,
        #[graphql(desc = "The blend of evidence into tie strength (INSTITUTIONS only).")]
        weighting: Option<super::analytics::WeightingInput>,
        #[graphql(
            desc = "LOUVAIN and LEIDEN: use tie strengths (else every tie counts 1).",
            default = true
        )]
        weighted: bool,
    ) -> async_graphql::Result<Option<super::analytics::Community>> {
        super::analytics::node_community(
            ctx,
            &self.node.id,
            labgraph_domain::NodeKind::Person,
            algorithm,
            resolution,
            seed,
            iterations,
            projection,
            filter,
            as_of,
            weighting,
            weighted,
        )
        .await
    }
}

/// City-specific fields.
#[derive(Clone, Debug)]
pub struct CityFields {
    node: Arc<Node>,
}

/// City-specific fields (merged into `City`).
#[Object]
impl CityFields {
    /// The region it lies in.
    async fn region(&self) -> Region {
        self.attrs().region.into()
    }

    /// The jurisdiction it belongs to (follows from the region).
    async fn jurisdiction(&self) -> Jurisdiction {
        self.attrs().region.jurisdiction().into()
    }

    /// True for the eleven Greater Bay Area cities.
    async fn in_gba(&self) -> bool {
        self.attrs().in_gba
    }

    /// Latitude of the city seat, in degrees.
    async fn lat(&self) -> Option<f64> {
        self.attrs().lat
    }

    /// Longitude of the city seat, in degrees.
    async fn lon(&self) -> Option<f64> {
        self.attrs().lon
    }

    /// The administrative division code.
    async fn adcode(&self) -> Option<&str> {
        self.attrs().adcode.as_deref()
    }

    /// The first institutions located here, in id order. For all of them, page through
    /// `institutions(where: {city: [id]})`.
    async fn institutions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many: at most the maximum page size; 20 when omitted.")]
        first: Option<i32>,
    ) -> async_graphql::Result<Vec<Institution>> {
        let scope = RequestScope::of(ctx)?;
        let n = list_size(first, scope.max_page_size())?;
        let derived = scope.derived().await?;
        Ok(typed(
            scope,
            derived.institutions_in(self.node.id.as_str()),
            n,
            Institution::of,
        ))
    }

    /// The first labs located here (by their cities, or their hosts' when they have none), in
    /// id order. For all of them, page through `labs(where: {city: [id]})`.
    async fn labs(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many: at most the maximum page size; 20 when omitted.")]
        first: Option<i32>,
    ) -> async_graphql::Result<Vec<Lab>> {
        let scope = RequestScope::of(ctx)?;
        let n = list_size(first, scope.max_page_size())?;
        let derived = scope.derived().await?;
        Ok(typed(
            scope,
            derived.labs_in(self.node.id.as_str()),
            n,
            Lab::of,
        ))
    }
}

/// Field-specific fields.
#[derive(Clone, Debug)]
pub struct FieldFields {
    node: Arc<Node>,
}

impl FieldFields {
    /// Nodes working on this field or any field below it, of one kind, in id order.
    async fn workers<T>(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        of: fn(&Arc<Node>) -> Option<T>,
    ) -> async_graphql::Result<Vec<T>> {
        let scope = RequestScope::of(ctx)?;
        let n = list_size(first, scope.max_page_size())?;
        let derived = scope.derived().await?;
        let mut ids: Vec<Id> = derived
            .subtree([self.node.id.clone()])
            .iter()
            .flat_map(|field| scope.graph.adjacent(field.as_str()))
            .filter(|adj| adj.edge.kind == EdgeKind::WorksOn && !adj.outgoing)
            .map(|adj| adj.neighbour.id.clone())
            .collect();
        ids.sort();
        ids.dedup();
        Ok(typed(scope, &ids, n, of))
    }
}

/// Field-specific fields (merged into `Field`).
#[Object]
impl FieldFields {
    /// Which part of the taxonomy it belongs to.
    async fn group(&self) -> FieldGroup {
        self.attrs().group.into()
    }

    /// The broader field, if any.
    async fn parent(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Field>> {
        let scope = RequestScope::of(ctx)?;
        Ok(self
            .attrs()
            .parent
            .as_ref()
            .and_then(|p| scope.graph.node(p.as_str()))
            .and_then(Field::of))
    }

    /// The narrower fields directly below it, in id order.
    async fn children(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Field>> {
        let scope = RequestScope::of(ctx)?;
        let derived = scope.derived().await?;
        Ok(typed(
            scope,
            derived.children_of(self.node.id.as_str()),
            usize::MAX,
            Field::of,
        ))
    }

    /// The first labs working on this field or any field below it, in id order. For all of
    /// them, page through `labs(where: {field: [id]})`.
    async fn labs(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many: at most the maximum page size; 20 when omitted.")]
        first: Option<i32>,
    ) -> async_graphql::Result<Vec<Lab>> {
        self.workers(ctx, first, Lab::of).await
    }

    /// The first institutions working on this field or any field below it, in id order. For
    /// all of them, page through `institutions(where: {field: [id]})`.
    async fn institutions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many: at most the maximum page size; 20 when omitted.")]
        first: Option<i32>,
    ) -> async_graphql::Result<Vec<Institution>> {
        self.workers(ctx, first, Institution::of).await
    }
}

/// Platform-specific fields.
#[derive(Clone, Debug)]
pub struct PlatformFields {
    node: Arc<Node>,
}

/// Platform-specific fields (merged into `Platform`).
#[Object]
impl PlatformFields {
    /// What kind of platform it is.
    async fn platform_kind(&self) -> PlatformKind {
        self.attrs().kind.into()
    }

    /// The cities it covers.
    async fn cities(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<City>> {
        let scope = RequestScope::of(ctx)?;
        Ok(typed(scope, &self.attrs().cities, usize::MAX, City::of))
    }

    /// The year it was established, when known.
    async fn established(&self) -> Option<i32> {
        self.attrs().established
    }

    /// The institutions and labs that are part of it (PART_OF), in id order.
    async fn members(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<NodeInterface>> {
        let scope = RequestScope::of(ctx)?;
        Ok(links_of(scope, &self.node.id, EdgeKind::PartOf, false)
            .await
            .iter()
            .map(|l| NodeInterface::of(&l.neighbour))
            .collect())
    }
}
