#!/usr/bin/env bash
# Scale benchmark of --role controller (not a test; not run in CI). Publishes the static AOT binary, then
# Operator.Benchmarks (controller-scale, Operator.Benchmarks/Controllers/) starts the tests' API server double on
# loopback, seeds 10,000 pods owned by Deployments/ReplicaSets, StatefulSets, DaemonSets, Jobs and CronJobs (plus a few
# bare pods) in 100 namespaces and 20 policies, runs the binary as `--role controller --leader-elect=false` against it
# through a kubeconfig, and prints:
#   - when the caches synced, the first audit of every namespace was computed and every PolicyReport was written, both as
#     the controller measures it (since its informers started; read from its log lines, which carry the values of gauge
#     security_operator_controller_initial_pass_seconds, since scraping /metrics every 25 ms burdened the controller) and
#     as seen from outside (since the process started);
#   - peak RSS (VmHWM) and RSS after IDLE_SECONDS of idling (VmRSS), from /proc/<pid>/status;
#   - the API requests the controller made by verb, and what the reports in the double contain.
# Usage: scripts/bench-controller.sh [NAMESPACES=100] [IDLE_SECONDS=10] [-- extra controller flags, e.g. --kube-api-qps 50]
# BENCH_SKIP_PUBLISH=1 reuses artifacts/publish/security-operator. The machine's load is printed before and after: the
# numbers mean little on a loaded machine.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x artifacts/publish/security-operator ] && [ "${BENCH_SKIP_PUBLISH:-0}" = 1 ] || scripts/publish.sh >/dev/null
dotnet build Operator.Benchmarks -c Release --nologo -v quiet >/dev/null
echo "load before: $(uptime)"
dotnet Operator.Benchmarks/bin/Release/net9.0/linux-x64/Operator.Benchmarks.dll controller-scale "$PWD/artifacts/publish/security-operator" "$@"
echo "load after:  $(uptime)"
