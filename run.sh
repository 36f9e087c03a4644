#!/bin/sh
# Runs the whole system locally: PostgreSQL, a Kafka broker, the four services and demo data.
#   ./run.sh                 build what changed, start, reuse the previous run's data
#   ./run.sh --fresh         start over with new data
#   ./run.sh --size city     a city-sized demo registry (first run or with --fresh)
#   ./run.sh --no-build ...  skip the build
set -e
cd "$(dirname "$0")"
if [ "$1" = "--no-build" ]; then
  shift
else
  echo "[local] building (./mvnw install -DskipTests) ..."
  ./mvnw -q -B install -DskipTests
fi
exec java -Dpc.project.root="$(pwd)" -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "deploy/target/deploy.jar:deploy/target/lib/*" cn.pharmacyclaims.deploy.Main "$@"
