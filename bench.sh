#!/bin/sh
# The benchmark (docs/performance.md): starts a fresh stack of its own (.local/bench, free ports, so it
# never collides with ./run.sh), loads the demo registry, measures the broker and database baselines,
# runs the open-loop POS load, reconciles, writes report.md, report.json and latency.svg, stops everything.
#   ./bench.sh                                  500/s, 240 s warm-up, 300 s measured, small registry
# It measures the steady state: every JVM keeps the full JIT (C2) unless PC_JIT says otherwise, hence the long
# warm-up (C2 compiles for minutes on 2 cores; docs/performance.md, step 23). ./run.sh keeps C1 in the services.
#   ./bench.sh --rate 2000 --duration 300s --size city --out bench-results/city-2000
#   ./bench.sh --no-build ...                   skip the build
#   ./bench.sh --floor --rate 2000 ...           the floor instead (docs/performance.md, "The floor")
set -e
cd "$(dirname "$0")"
if [ "$1" = "--no-build" ]; then
  shift
else
  echo "[bench] building (./mvnw install -DskipTests) ..."
  ./mvnw -q -B install -DskipTests
fi
export PC_JIT="${PC_JIT:-c2}"
main=cn.pharmacyclaims.deploy.bench.Bench
if [ "$1" = "--floor" ]; then
  shift
  main=cn.pharmacyclaims.deploy.bench.FloorBench
fi
# The load generator keeps every request's outcome for the reconciliation (and, with --path, its topic times):
# the headline (2,000/s, 240 s warm-up, 300 s) is a million requests, more than 1 GB held.
exec java -Xmx3g -XX:+UseG1GC $( [ "$PC_JIT" = "c2" ] || echo -XX:TieredStopAtLevel=1 ) -Dpc.project.root="$(pwd)" -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "deploy/target/deploy.jar:deploy/target/lib/*" "$main" "$@"
