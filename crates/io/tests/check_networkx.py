"""Reads a GraphML and a GEXF file written by labgraph-io with NetworkX and prints, per file:
format, node count, edge count, hku's label, and the tie class of the hku -> gdhk-emerging-
infectious-diseases edge. Used by tests/io/export.rs; exits non-zero if NetworkX refuses a file.

Usage: python3 check_networkx.py FILE.graphml FILE.gexf
"""

import sys

import networkx as nx


def describe(name, graph):
    ties = [d.get("tie_class") for _, _, d in
            graph.edges("hku", data=True) if d.get("kind") == "partner_in"]
    tie = "mainland_hk" if "mainland_hk" in ties else ",".join(map(str, ties))
    print(f"{name} {graph.number_of_nodes()} {graph.number_of_edges()} "
          f"label={graph.nodes['hku'].get('label')} tie={tie}")


def main(graphml, gexf):
    describe("graphml", nx.read_graphml(graphml))
    describe("gexf", nx.read_gexf(gexf))


if __name__ == "__main__":
    main(*sys.argv[1:])
