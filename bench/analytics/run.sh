#!/usr/bin/env bash
# Peer benchmark of `labgraph analyse`: times networkx, igraph, networkit and rustworkx (pinned
# as in shared/notes/peers.md, from PyPI into target/bench-venv) and labgraph on the same edge
# lists, one thread each, algorithm call only, median of 3; prints each figure with its ratio
# to the fastest peer, and the machine's load. See docs/benchmarks.md.
#
#   bench/analytics/run.sh                 # every graph: ba10k ba100k collab
#   bench/analytics/run.sh ba10k           # only some
#   REPEATS=5 NX_BETWEENNESS=0 OUT=DIR bench/analytics/run.sh ba10k
#   ALGOS=communities,communities-leiden bench/analytics/run.sh   # only these algorithms
#   PEER_TIMEOUT=900 ALGOS=betweenness-sampled bench/analytics/run.sh collab
#
# NX_BETWEENNESS=0 skips networkx's exact betweenness on BA 10k (338 s in the first run, ~789 s
# in peers.md); when on, it runs once, not REPEATS times.
# Two extra rows: betweenness-t2 (BA 10k, every tool allowed two threads) and
# betweenness-sampled (collab, ε = 0.01, δ = 0.1, by hops); ALGOS selects them by these names.
set -euo pipefail

cd "$(dirname "$0")/../.."
OUT=${OUT:-target/bench-analytics}
VENV=target/bench-venv
REPEATS=${REPEATS:-3}
NX_BETWEENNESS=${NX_BETWEENNESS:-1}
# The extra rows' peers (networkit's sampled betweenness on collab did not finish 3 runs in
# 900 s) stop after this many seconds.
PEER_TIMEOUT=${PEER_TIMEOUT:-600}
# Comma-separated algorithms to keep (empty: all of each graph's).
ALGOS=${ALGOS:-}
GRAPHS=("$@")
[[ ${#GRAPHS[@]} -gt 0 ]] || GRAPHS=(ba10k ba100k collab)
PEERS=(networkx igraph networkit rustworkx)
PINS=(networkx==3.6.1 igraph==1.0.0 networkit==11.3 rustworkx==0.18.1)
# One thread everywhere: peers.md found two threads often slower than one on these shared
# 2-core machines, and labgraph's algorithms are single-threaded.
export OMP_NUM_THREADS=1 RAYON_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1

mkdir -p "$OUT"
RESULTS=$OUT/results.jsonl
: >"$RESULTS"
log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

# --- the peers, pinned -------------------------------------------------------------------------
if ! "$VENV/bin/python" - "${PINS[@]}" <<'EOF' 2>/dev/null; then
import sys
from importlib.metadata import version
wanted = dict(p.split("==") for p in sys.argv[1:])
sys.exit(any(version(name) != v for name, v in wanted.items()))
EOF
  log "creating $VENV with ${PINS[*]}"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --upgrade pip
  "$VENV/bin/pip" install --quiet "${PINS[@]}"
fi
PY=$VENV/bin/python
HELPER=bench/analytics/peers.py

# --- labgraph ----------------------------------------------------------------------------------
log "building labgraph (release)"
cargo build --quiet --release -p labgraph-cli
LG=target/release/labgraph

# --- the graphs, generated deterministically --------------------------------------------------
edges_of() { echo "$OUT/$1.edges"; }
generate() {
  local g=$1 file
  file=$(edges_of "$g")
  [[ -s $file ]] && return
  case $g in
  ba10k) "$PY" "$HELPER" gen-ba 10000 5 42 "$file" ;;
  ba100k) "$PY" "$HELPER" gen-ba 100000 5 42 "$file" ;;
  collab)
    # The seed generator's co-authorship graph (200k people, ~1M ties), imported into a
    # fresh database and exported as the person projection.
    "$LG" seed synthetic --seed 1 --out "$OUT/collab.jsonl"
    rm -f "$OUT/collab.db"
    "$LG" --quiet --db "$OUT/collab.db" import "$OUT/collab.jsonl"
    "$LG" --db "$OUT/collab.db" analyse --projection people --export-edges "$file"
    ;;
  *) echo "unknown graph $g (ba10k, ba100k, collab)" >&2 && exit 2 ;;
  esac
}

algorithms_of() {
  case $1 in
  # Exact betweenness only on BA 10k: at 100k nodes it takes hours in every library (peers.md).
  ba10k) echo pagerank,components,bridges,articulation-points,betweenness,communities,communities-leiden ;;
  *) echo pagerank,components,bridges,articulation-points,communities,communities-leiden ;;
  esac
}
# The algorithms of a graph that $ALGOS keeps.
selected_of() {
  local keep=() alg
  for alg in $(algorithms_of "$1" | tr , ' '); do
    [[ -z $ALGOS || ",$ALGOS," == *",$alg,"* ]] && keep+=("$alg")
  done
  (IFS=,; echo "${keep[*]}")
}
# The co-authorship ties carry weights (joint works): PageRank and communities follow them; the
# structural algorithms ignore them everywhere. The BA graphs are unweighted.
weighted_of() {
  if [[ $1 == collab ]]; then echo --weighted; fi
}

uptime_before=$(uptime)
for g in "${GRAPHS[@]}"; do
  log "generating $g"
  generate "$g"
  file=$(edges_of "$g")
  algos=$(selected_of "$g")
  [[ -n $algos ]] || continue
  weighted=$(weighted_of "$g")
  for peer in "${PEERS[@]}"; do
    peer_algos=$algos once=""
    if [[ $peer == networkx && $algos == *betweenness* ]]; then
      if [[ $NX_BETWEENNESS == 0 ]]; then
        peer_algos=${algos/,betweenness/}
        printf '{"graph":"%s","peer":"networkx","algorithm":"betweenness","skipped":"skipped (~789 s, peers.md)"}\n' "$g" >>"$RESULTS"
      else
        once=betweenness
      fi
    fi
    # networkx's Louvain takes minutes on the 100k-node graphs: one run.
    if [[ $peer == networkx && ,$peer_algos, == *,communities,* ]]; then
      once=${once:+$once,}communities
    fi
    log "$g: $peer: $peer_algos"
    # shellcheck disable=SC2086 # $weighted is empty or one flag
    "$PY" "$HELPER" time "$peer" "$file" "$peer_algos" $weighted --repeats "$REPEATS" \
      --once "${once:-none}" --graph "$g" | tee -a "$RESULTS" >&2
  done
  for alg in ${algos//,/ }; do
    log "$g: labgraph: $alg"
    runs=()
    for _ in $(seq "$REPEATS"); do
      # The algorithm time labgraph prints, apart from loading and output; the table's second
      # line counts what was found ("N components"), the check the peers' rows carry too.
      # communities-leiden is the row of igraph's Leiden: labgraph runs its `leiden` there.
      lg_alg=$alg
      [[ $alg == communities-leiden ]] && lg_alg=leiden
      # shellcheck disable=SC2086
      t=$("$LG" analyse "$lg_alg" --edges "$file" $weighted --top 1 2>&1 >"$OUT/labgraph.out" |
        sed -n 's/.*algorithm took \([0-9.]*\) s.*/\1/p')
      runs+=("$t")
    done
    check=$(sed -n '2s/^\([0-9][0-9]*\) .*/\1/p' "$OUT/labgraph.out")
    quality=$(sed -n '2s/.* modularity \([-0-9.]*\).*/\1/p' "$OUT/labgraph.out")
    "$PY" "$HELPER" record "$g" labgraph "$alg" "${runs[@]}" --check "${check:-none}" \
      --modularity "${quality:-none}" |
      tee -a "$RESULTS" >&2
  done
done

# --- betweenness on two threads, and sampled ---------------------------------------------------
# Rows of their own, each peer in its own process: rustworkx sizes its thread pool from
# RAYON_NUM_THREADS at start, and the sampled row must read the weighted collab graph as hops.
extra() { # GRAPH ROW PEERS LABGRAPH-FLAGS...
  local g=$1 row=$2 peers=$3 file peer peer_rows peer_row status runs t
  shift 3
  [[ -z $ALGOS || ",$ALGOS," == *",$row,"* ]] || return 0
  file=$(edges_of "$g")
  for peer in ${peers//,/ }; do
    peer_rows=$row
    # networkit's second sampled row: KADABRA beside Riondato–Kornaropoulos, in a process of
    # its own so that one timing out does not lose the other.
    [[ $peer == networkit && $row == betweenness-sampled ]] && peer_rows="$row betweenness-kadabra"
    for peer_row in $peer_rows; do
      log "$g: $peer: $peer_row (at most ${PEER_TIMEOUT}s)"
      # A peer that has not finished its runs by PEER_TIMEOUT is stopped (timeout exits 124)
      # and its row says so; any other failure stops the benchmark, as elsewhere.
      status=0
      RAYON_NUM_THREADS=2 timeout "$PEER_TIMEOUT" "$PY" "$HELPER" time "$peer" "$file" \
        "$peer_row" --repeats "$REPEATS" --graph "$g" | tee -a "$RESULTS" >&2 ||
        status=${PIPESTATUS[0]}
      if [[ $status == 124 ]]; then
        printf '{"graph":"%s","peer":"%s","algorithm":"%s","skipped":"not done in %s s"}\n' \
          "$g" "$peer" "$peer_row" "$PEER_TIMEOUT" | tee -a "$RESULTS" >&2
      elif [[ $status != 0 ]]; then
        log "$g: $peer: $peer_row failed (exit $status)" && exit "$status"
      fi
    done
  done
  log "$g: labgraph: $row ($*)"
  runs=()
  for _ in $(seq "$REPEATS"); do
    t=$("$LG" analyse betweenness --edges "$file" "$@" --top 1 2>&1 >"$OUT/labgraph.out" |
      sed -n 's/.*algorithm took \([0-9.]*\) s.*/\1/p')
    runs+=("$t")
  done
  "$PY" "$HELPER" record "$g" labgraph "$row" "${runs[@]}" | tee -a "$RESULTS" >&2
}
for g in "${GRAPHS[@]}"; do
  case $g in
  ba10k) extra ba10k betweenness-t2 igraph,networkit,rustworkx --threads 2 ;;
  collab) extra collab betweenness-sampled networkit --error 0.01 --delta 0.1 --seed 1 ;;
  esac
done
uptime_after=$(uptime)

{
  echo
  echo "Median seconds of the algorithm call (×ratio to the fastest of the four peers;"
  echo "[n] = components, bridges or articulation points found; one thread each)."
  echo
  "$PY" "$HELPER" table "$RESULTS"
  echo
  echo "uptime before: $uptime_before"
  echo "uptime after:  $uptime_after"
} | tee "$OUT/report.md"
