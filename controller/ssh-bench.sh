#!/usr/bin/env bash
# Runs one of the SSH delivery benchmarks and prints its figures (they assert nothing).
#   controller/ssh-bench.sh fleet [DEVICES [PROMPT_MS [PARALLELISM [PREFIXES]]]]   simulated IOS/Junos devices
#   controller/ssh-bench.sh nftables [TARGETS [LINES]]                            real sshd, root only
# MVN overrides the Maven command (default: mvn).
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  fleet) main=io.bulwark.controller.ssh.bench.SimulatedFleetBench ;;
  nftables) main=io.bulwark.controller.ssh.bench.NftablesOverSshBench ;;
  *) echo "usage: $0 fleet|nftables [ARGS...]" >&2; exit 2 ;;
esac
shift
${MVN:-mvn} -B -q -pl proto,rule-generators,agent,installer,controller -DskipTests package
# The controller's own jar carries its runtime libraries; the test helpers need JUnit's API on top.
m2="${HOME}/.m2/repository"
junit_version="$(sed -n 's:.*<junit.version>\(.*\)</junit.version>.*:\1:p' pom.xml)"
junit="$m2/org/junit/jupiter/junit-jupiter-api/$junit_version/junit-jupiter-api-$junit_version.jar"
junit="$junit:$(find "$m2/org/opentest4j/opentest4j" -name 'opentest4j-*.jar' ! -name '*sources*' | sort -V | tail -n 1)"
exec java -cp "controller/target/test-classes:rule-generators/target/test-classes:controller/target/bulwark-controller-0.1.0-SNAPSHOT-all.jar:$junit" \
  "$main" "$@"
