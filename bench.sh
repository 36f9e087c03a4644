#!/bin/sh
# The benchmark (docs/performance.md): starts a fresh stack of its own (.local/bench, free ports, so it
# never collides with ./run.sh), loads the demo registry, measures the broker and database baselines,
# runs the open-loop POS load, reconciles, writes report.md, report.json and latency.svg, stops everything.
#   ./bench.sh                                  500/s, 30 s warm-up, 300 s measured, small registry
#   ./bench.sh --rate 2000 --duration 300s --warmup 30s --size city --out bench-results/city-2000
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
main=cn.pharmacyclaims.deploy.bench.Bench
if [ "$1" = "--floor" ]; then
  shift
  main=cn.pharmacyclaims.deploy.bench.FloorBench
fi
exec java -Xmx1g -XX:+UseG1GC $( [ "$PC_JIT" = "c2" ] || echo -XX:TieredStopAtLevel=1 ) -Dpc.project.root="$(pwd)" -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "deploy/target/deploy.jar:deploy/target/lib/*" "$main" "$@"
