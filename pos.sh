#!/bin/sh
# A tiny POS terminal for the local run (./run.sh must be up): signs (SEC-01) and sends a request.
#   ./pos.sh purchase | resident | non-medical | preview | get SETL_ID | find MSG_ID | cancel SETL_ID
#   ./pos.sh reverse MSG_ID | send PATH FILE | curl | alerts
cd "$(dirname "$0")"
exec java -Dpc.project.root="$(pwd)" -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "deploy/target/deploy.jar:deploy/target/lib/*" cn.pharmacyclaims.deploy.PosMain "$@"
