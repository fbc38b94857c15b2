#!/usr/bin/env python3
# Helper of bench/analytics/run.sh: generates the Barabási–Albert edge lists and times the peer
# libraries (networkx, igraph, networkit, rustworkx) on an edge list, algorithm call only.
#
#   peers.py gen-ba N M SEED OUT            write networkx's barabasi_albert_graph(N, M, seed)
#   peers.py time PEER FILE ALGO[,ALGO] [--weighted] [--repeats R] [--once ALGO[,ALGO]]
#                 [--graph NAME]
#       prints one JSON line per algorithm:
#       {"graph", "peer", "algorithm", "runs": [s...], "median", "check"}
#   peers.py record GRAPH PEER ALGO SECONDS... [--check N] [--modularity Q]
#                                           the same line, timed elsewhere
#   Community algorithms also carry "modularity": every tool's partition scored by one formula
#   (resolution 1, weighted as the run), outside the timing; "check" is the community count.
#   peers.py table RESULTS.jsonl            the ratio table (markdown) from run.sh's results
#
# Why one process per (peer, graph): loading a 1M-edge graph into networkx takes longer than
# most algorithms, so each peer loads once and runs every algorithm of that graph; separate
# processes keep one library's memory and threads from disturbing another's.
# Threads: run.sh sets OMP_NUM_THREADS=1 and RAYON_NUM_THREADS=1; networkit is also told here.

import json
import statistics
import sys
import time


def read_edges(path):
    """The edge-list format labgraph reads: `u v [w]`, `u` alone a lone node, `#` comments.
    Returns (names in order of first appearance, [(u, v, w)] by position)."""
    index, names, edges = {}, [], []

    def node(name):
        if name not in index:
            index[name] = len(names)
            names.append(name)
        return index[name]

    with open(path) as f:
        for line in f:
            fields = line.split("#", 1)[0].split()
            if not fields:
                continue
            u = node(fields[0])
            if len(fields) == 1:
                continue
            v = node(fields[1])
            w = float(fields[2]) if len(fields) > 2 else 1.0
            edges.append((u, v, w))
    return names, edges


def gen_ba(n, m, seed, out):
    import networkx as nx

    g = nx.barabasi_albert_graph(n, m, seed=seed)
    with open(out, "w") as f:
        f.write(f"# networkx {nx.__version__} barabasi_albert_graph({n}, {m}, seed={seed}): "
                f"{g.number_of_nodes()} nodes, {g.number_of_edges()} edges\n")
        for u, v in sorted((min(a, b), max(a, b)) for a, b in g.edges()):
            f.write(f"{u} {v}\n")


# Each loader returns an object the algorithm functions take; each algorithm returns a small
# summary (a count or the best node) so the results of all tools can be compared by eye.

def load_networkx(names, edges, weighted):
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(range(len(names)))
    if weighted:
        g.add_weighted_edges_from(edges)
    else:
        g.add_edges_from((u, v) for u, v, _ in edges)
    return g


def networkx_algos(weighted):
    import networkx as nx

    w = "weight" if weighted else None
    return {
        "pagerank": lambda g: nx.pagerank(g, weight=w),
        "components": lambda g: list(nx.connected_components(g)),
        "bridges": lambda g: list(nx.bridges(g)),
        "articulation-points": lambda g: list(nx.articulation_points(g)),
        "betweenness": lambda g: nx.betweenness_centrality(g, weight=w),
        # Louvain (Blondel et al. 2008); a list of sets of node positions.
        "communities": lambda g: nx.community.louvain_communities(g, weight=w, seed=1),
    }


def load_igraph(names, edges, weighted):
    import igraph as ig

    g = ig.Graph(n=len(names), edges=[(u, v) for u, v, _ in edges], directed=False)
    if weighted:
        g.es["weight"] = [w for _, _, w in edges]
    return g


def igraph_algos(weighted):
    w = "weight" if weighted else None
    return {
        "pagerank": lambda g: g.pagerank(weights=w),
        "components": lambda g: list(g.connected_components()),
        "bridges": lambda g: g.bridges(),
        "articulation-points": lambda g: g.articulation_points(),
        # igraph reads weights as lengths here, as labgraph's --edges --weighted does.
        "betweenness": lambda g: g.betweenness(weights=w),
        # igraph has no threads: its one-thread time is its time with two.
        "betweenness-t2": lambda g: g.betweenness(weights=w),
        # Louvain, and Leiden optimising modularity (its default objective is CPM); both
        # return a VertexClustering.
        "communities": lambda g: g.community_multilevel(weights=w),
        "communities-leiden": lambda g: g.community_leiden(objective_function="modularity",
                                                             weights=w),
    }


def load_networkit(names, edges, weighted):
    import networkit as nk

    nk.setNumberOfThreads(1)
    nk.engineering.setLogLevel("ERROR")
    g = nk.Graph(len(names), weighted=weighted, directed=False)
    for u, v, w in edges:
        g.addEdge(u, v, w) if weighted else g.addEdge(u, v)
    g.indexEdges()
    return g


def networkit_algos(weighted):
    import networkit as nk

    def two_threads(fn):
        # The "-t2" rows: two threads for this call, then back to one.
        nk.setNumberOfThreads(2)
        try:
            return fn()
        finally:
            nk.setNumberOfThreads(1)

    def run(algo):
        algo.run()
        return algo

    def articulation(g):
        # networkit offers no articulation points as such: a node in more than one
        # biconnected component is one; only the decomposition is inside the timing.
        return run(nk.components.BiconnectedComponents(g))

    return {
        "pagerank": lambda g: run(nk.centrality.PageRank(g, damp=0.85)).scores(),
        "components": lambda g: run(nk.components.ConnectedComponents(g)),
        "articulation-points": articulation,
        "betweenness": lambda g: run(nk.centrality.Betweenness(g, normalized=True)).scores(),
        "betweenness-t2": lambda g: two_threads(
            lambda: run(nk.centrality.Betweenness(g, normalized=True)).scores()),
        # Riondato & Kornaropoulos with labgraph's constant c = 0.5 (networkit's default is 1,
        # twice the samples), and KADABRA (Borassi & Natale 2016, adaptive), both ε = 0.01,
        # δ = 0.1, by hops.
        "betweenness-sampled": lambda g: run(nk.centrality.ApproxBetweenness(
            g, epsilon=0.01, delta=0.1, universalConstant=0.5)).scores(),
        "betweenness-kadabra": lambda g: run(nk.centrality.KadabraBetweenness(
            g, 0.01, 0.1)).scores(),
        # Parallel Louvain (Staudt & Meyerhenke 2016) on one thread, without refinement.
        "communities": lambda g: run(nk.community.PLM(g, refine=False, gamma=1.0)).getPartition(),
    }


def load_rustworkx(names, edges, weighted):
    import rustworkx as rx

    g = rx.PyGraph(multigraph=False)
    g.add_nodes_from(range(len(names)))
    g.add_edges_from(edges)
    # rustworkx's pagerank takes only a PyDiGraph: convert once, outside the timing.
    return {"graph": g, "digraph": g.to_directed()}


def rustworkx_algos(weighted):
    import rustworkx as rx

    wf = (lambda w: w) if weighted else (lambda _w: 1.0)
    return {
        "pagerank": lambda g: rx.pagerank(g["digraph"], weight_fn=wf),
        "components": lambda g: rx.connected_components(g["graph"]),
        "bridges": lambda g: rx.bridges(g["graph"]),
        "articulation-points": lambda g: rx.articulation_points(g["graph"]),
        # Unweighted only (rustworkx-core's betweenness counts hops); BA graphs are unweighted.
        "betweenness": lambda g: rx.betweenness_centrality(g["graph"], normalized=True),
        # rustworkx's rayon pool takes its size from RAYON_NUM_THREADS at start: run.sh sets 2
        # for the process that times this row.
        "betweenness-t2": lambda g: rx.betweenness_centrality(g["graph"], normalized=True),
    }


PEERS = {
    "networkx": (load_networkx, networkx_algos),
    "igraph": (load_igraph, igraph_algos),
    "networkit": (load_networkit, networkit_algos),
    "rustworkx": (load_rustworkx, rustworkx_algos),
}


def summary(algorithm, result):
    """A count to compare across tools (components, bridges, articulation points)."""
    if algorithm == "articulation-points" and hasattr(result, "getComponents"):
        # networkit: a node in more than one biconnected component is a cut node.
        seen, cut = set(), set()
        for comp in result.getComponents():
            for u in comp:
                (cut if u in seen else seen).add(u)
        return len(cut)
    if algorithm == "components" and hasattr(result, "numberOfComponents"):
        return result.numberOfComponents()
    if algorithm in ("bridges", "articulation-points", "components"):
        # Lists (networkx, igraph), sets (rustworkx) or an igraph VertexClustering.
        return len(result)
    return None


def membership(result, n):
    """The community of each node position, from any tool's partition."""
    if hasattr(result, "membership"):  # igraph VertexClustering
        return list(result.membership)
    if hasattr(result, "getVector"):  # networkit Partition
        return list(result.getVector())
    member = [0] * n  # networkx: a list of sets
    for c, nodes in enumerate(result):
        for u in nodes:
            member[u] = c
    return member


def modularity(edges, member, weighted):
    """Newman's modularity (resolution 1) of a partition, the same formula for every tool."""
    inside, total, m = {}, {}, 0.0
    for u, v, w in edges:
        w = w if weighted else 1.0
        cu, cv = member[u], member[v]
        m += w
        total[cu] = total.get(cu, 0.0) + w
        total[cv] = total.get(cv, 0.0) + w
        if cu == cv:
            inside[cu] = inside.get(cu, 0.0) + w
    return sum(inside.get(c, 0.0) / m - (t / (2 * m)) ** 2 for c, t in total.items())


def time_peer(graph, peer, path, algorithms, weighted, repeats, once):
    load, algos = PEERS[peer]
    names, edges = read_edges(path)
    g = load(names, edges, weighted)
    table = algos(weighted)
    for algorithm in algorithms:
        fn = table.get(algorithm)
        if fn is None:
            print(json.dumps({"graph": graph, "peer": peer, "algorithm": algorithm,
                              "skipped": "not offered"}), flush=True)
            continue
        runs, result = [], None
        for _ in range(1 if algorithm in once else repeats):
            start = time.perf_counter()
            result = fn(g)
            runs.append(time.perf_counter() - start)
        line = {"graph": graph, "peer": peer, "algorithm": algorithm, "runs": runs,
                "median": statistics.median(runs), "check": summary(algorithm, result)}
        if algorithm.startswith("communities"):
            # Scored outside the timing, by one formula for all tools.
            member = membership(result, len(names))
            line["check"] = len(set(member))
            line["modularity"] = modularity(edges, member, weighted)
        print(json.dumps(line), flush=True)


def table(path):
    rows = {}
    order = []
    for line in open(path):
        r = json.loads(line)
        key = (r["graph"], r["algorithm"])
        if key not in rows:
            rows[key] = {}
            order.append(key)
        rows[key][r["peer"]] = r
    peers = ["networkx", "igraph", "networkit", "rustworkx", "labgraph"]
    print("| graph | algorithm | " + " | ".join(peers) + " |")
    print("|---|---|" + "---|" * len(peers))
    for key in order:
        cells = rows[key]
        timed = [c["median"] for p, c in cells.items() if p != "labgraph" and "median" in c]
        best = min(timed) if timed else None
        out = []
        for p in peers:
            c = cells.get(p)
            if c is None:
                out.append("—")
            elif "median" not in c:
                out.append(c.get("skipped", "—"))
            else:
                once = " (1 run)" if len(c.get("runs", [])) == 1 else ""
                ratio = f" ×{c['median'] / best:.2f}" if best else ""
                check = f" [{c['check']}]" if c.get("check") is not None else ""
                if c.get("modularity") is not None:
                    check += f" Q={c['modularity']:.4f}"
                out.append(f"{c['median']:.4g} s{ratio}{once}{check}")
        print(f"| {key[0]} | {key[1]} | " + " | ".join(out) + " |")


def main(argv):
    if argv[:1] == ["gen-ba"]:
        n, m, seed, out = int(argv[1]), int(argv[2]), int(argv[3]), argv[4]
        gen_ba(n, m, seed, out)
    elif argv[:1] == ["time"]:
        peer, path, algorithms = argv[1], argv[2], argv[3].split(",")
        rest = argv[4:]
        weighted = "--weighted" in rest
        repeats = int(rest[rest.index("--repeats") + 1]) if "--repeats" in rest else 3
        once = rest[rest.index("--once") + 1].split(",") if "--once" in rest else []
        graph = rest[rest.index("--graph") + 1] if "--graph" in rest else path
        time_peer(graph, peer, path, algorithms, weighted, repeats, once)
    elif argv[:1] == ["record"]:
        graph, peer, algorithm = argv[1], argv[2], argv[3]
        rest = argv[4:]
        check = None
        if "--check" in rest:
            i = rest.index("--check")
            check = int(rest[i + 1]) if rest[i + 1].isdigit() else None
            rest = rest[:i] + rest[i + 2:]
        quality = None
        if "--modularity" in rest:
            i = rest.index("--modularity")
            quality = float(rest[i + 1]) if rest[i + 1] != "none" else None
            rest = rest[:i] + rest[i + 2:]
        runs = [float(x) for x in rest if x]
        line = {"graph": graph, "peer": peer, "algorithm": algorithm, "check": check}
        if quality is not None:
            line["modularity"] = quality
        if runs:
            line.update(runs=runs, median=statistics.median(runs))
        else:
            line["skipped"] = "no timing"
        print(json.dumps(line))
    elif argv[:1] == ["table"]:
        table(argv[1])
    else:
        sys.exit(__doc__ or "usage: peers.py gen-ba|time|table ...")


if __name__ == "__main__":
    main(sys.argv[1:])
