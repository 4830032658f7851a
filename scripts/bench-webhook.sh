#!/usr/bin/env bash
# Load benchmark of the admission webhook (not a test; not run in CI). Publishes the static AOT binary, starts
# --role webhook --kubeconfig none on loopback with a fresh self-signed certificate and the 20-rule policy set of
# scripts/bench/policies.yaml, then drives it with hey (installed from Debian if missing) using a realistic ~4.5 KB
# AdmissionReview of a 3-container pod (scripts/bench/pod-review.json):
#   1. POST /healthz and POST /validate with the same body, same concurrency, same duration, on the same HTTPS
#      listener: /healthz reads and discards the body, so it is the TLS + HTTP cost alone (the baseline);
#   2. POST /healthz and /validate at a fixed 2,000 req/s, for the latency at a realistic rate, twice: with hey (-q is
#      per worker: 20 x 100 req/s) and with h2load (nghttp2-client, Debian; C and libev: --rps per connection, 20 x 100),
#      whose own CPU cost per request is a fraction of hey's (Go), so less of the tail is the generator's;
# and prints req/s, p50 and p99 of each and the /validate : /healthz throughput ratio, plus the server's RSS.
# Every line also shows the server's CPU time per answered request (utime+stime of /proc/PID/stat over the run divided
# by the 200 answers) and the load generator's (its user+sys time): CPU per request is what the throughput ratio is
# made of, and it is far less sensitive to the other work on a shared machine than req/s.
# BENCH_PIN=1 pins the server to CPU 0 and the load generator to CPU 1 (taskset) instead of letting them share both.
# Soak mode (`--soak [SECONDS=600]`, about 5 + SECONDS/60 minutes): 1,000,000 /validate requests at full load, then
# /validate at a fixed 2,000 req/s for SECONDS; prints a table of the server's VmRSS, VmHWM, RssAnon and RssFile after
# every 100,000 requests and every 30 s, and fails when any request was not answered 200.
# The server runs with the GC setting of manifests/webhook/deployment.yaml (DOTNET_GCgen0size, and MALLOC_ARENA_MAX
# when it sets one), so the numbers are those of the shipped configuration.
# Usage: [BENCH_SKIP_PUBLISH=1] [BENCH_BINARY=PATH] [BENCH_PIN=1] scripts/bench-webhook.sh [DURATION_SECONDS=20] [CONCURRENCY=32]
#        scripts/bench-webhook.sh --soak [SECONDS=600]
set -euo pipefail
cd "$(dirname "$0")/.."
soak=""
if [ "${1:-}" = --soak ]; then soak="${2:-600}"; set --; fi
duration="${1:-20}"
concurrency="${2:-32}"
# Same value as the webhook Deployment's env (hex, bytes): a 4 MiB young generation instead of one sized from the L3
# cache. Read from the manifest so the two cannot drift apart.
gen0="$(awk '/name: DOTNET_GCgen0size/ {getline; gsub(/[^0-9a-fA-F]/, "", $2); print $2}' manifests/webhook/deployment.yaml)"
[ -n "$gen0" ] || { echo "bench: DOTNET_GCgen0size not found in manifests/webhook/deployment.yaml" >&2; exit 1; }
# Likewise glibc's malloc arena cap when the Deployment sets one (native allocations of TLS connections otherwise spread
# over up to 8 arenas per core, which stay resident); without one there, a MALLOC_ARENA_MAX of the caller's environment
# reaches the server unchanged (an A/B comparison).
arenas="$(awk '/name: MALLOC_ARENA_MAX/ {getline; gsub(/[^0-9]/, "", $2); print $2}' manifests/webhook/deployment.yaml)"
port=18443
metrics_port=18080
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

install_tool() { # command, Debian package
  command -v "$1" >/dev/null && return
  echo "bench: installing $1 (Debian package $2)"
  local sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "$2" >/dev/null \
    || { "${sudo_cmd[@]}" apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "$2" >/dev/null; }
}
install_tool hey hey
install_tool h2load nghttp2-client
server_cpu=()
client_cpu=()
if [ "${BENCH_PIN:-0}" = 1 ]; then server_cpu=(taskset -c 0); client_cpu=(taskset -c 1); fi

# BENCH_BINARY=PATH measures another build (an A/B comparison) without publishing.
bin="${BENCH_BINARY:-artifacts/publish/security-operator}"
[ -n "${BENCH_BINARY:-}" ] || { [ -x "$bin" ] && [ "${BENCH_SKIP_PUBLISH:-0}" = 1 ]; } || scripts/publish.sh >/dev/null

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
  -addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout "$work/tls.key" -out "$work/tls.crt" 2>/dev/null

env DOTNET_GCgen0size="$gen0" ${arenas:+MALLOC_ARENA_MAX="$arenas"} "${server_cpu[@]}" "$bin" --role webhook --kubeconfig none --listen "127.0.0.1:$port" --metrics-address "127.0.0.1:$metrics_port" \
  --tls-cert-file "$work/tls.crt" --tls-key-file "$work/tls.key" --policy scripts/bench/policies.yaml \
  --namespace-labels production=environment=production --log-level warn >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:$metrics_port/readyz" >/dev/null 2>&1 && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.1
done

body=scripts/bench/pod-review.json
answer="$(curl -sk -H 'Content-Type: application/json' --data-binary "@$body" "https://127.0.0.1:$port/validate")"
case "$answer" in
  *'"allowed":true'*) ;;
  *) echo "bench: the benchmark pod is not allowed by the benchmark policies: $answer" >&2; exit 1 ;;
esac

ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; } # utime + stime, in clock ticks
hz="$(getconf CLK_TCK)"
report() { # name, req/s, p50 s, p99 s, 200 answers, non-200, server ticks used, client CPU seconds
  printf '%-26s %8.0f req/s  p50 %7.3f ms  p99 %7.3f ms  non-200 %s  CPU/request: server %5.1f us, client %5.1f us\n' "$1" "$2" \
    "$(echo "$3 * 1000" | bc -l)" "$(echo "$4 * 1000" | bc -l)" "$6" "$(echo "$7 / $hz * 1000000 / $5" | bc -l)" "$(echo "$8 * 1000000 / $5" | bc -l)"
}

# hey's summary: "Requests/sec: N" and the latency distribution lines "50% in X secs", "99% in X secs".
run() { # name, path, extra hey arguments (hey stops reading flags at the URL, so the URL goes last)
  local name="$1" path="$2"; shift 2
  local before; before="$(ticks)"
  /usr/bin/time -f '%U %S' -o "$work/$name.time" "${client_cpu[@]}" hey "$@" -m POST -T application/json -D "$body" "https://127.0.0.1:$port$path" >"$work/$name.txt"
  local used=$(( $(ticks) - before )) rps p50 p99 ok errors
  rps="$(awk '/Requests\/sec:/ {print $2}' "$work/$name.txt")"
  p50="$(awk '$1 == "50%" && $2 == "in" {print $3}' "$work/$name.txt")"
  p99="$(awk '$1 == "99%" && $2 == "in" {print $3}' "$work/$name.txt")"
  ok="$(awk '/\[200\]/ {print $2}' "$work/$name.txt")"
  errors="$(awk '/\[[0-9]+\]/ && !/\[200\]/ {n += $2} END {print n + 0}' "$work/$name.txt")"
  report "$name" "$rps" "$p50" "$p99" "${ok:-1}" "$errors" "$used" "$(awk '{print $1 + $2}' "$work/$name.time")"
  [ "$errors" = 0 ] || sed -n '/Status code distribution/,$p' "$work/$name.txt" | head -8
  echo "$rps" >"$work/$name.rps"
}

# h2load at a fixed rate over HTTP/1.1 (as hey): 20 connections x --rps 100. Its summary has no percentiles, so they
# come from its per-request log (start time, status, duration in microseconds).
run_h2load() { # name, path, seconds
  local name="$1" path="$2" seconds="$3"
  local before; before="$(ticks)"
  /usr/bin/time -f '%U %S' -o "$work/$name.time" "${client_cpu[@]}" h2load --h1 -c 20 --rps 100 -D "$seconds" -d "$body" \
    -H 'Content-Type: application/json' --log-file "$work/$name.log" "https://127.0.0.1:$port$path" >"$work/$name.txt"
  local used=$(( $(ticks) - before )) total ok
  total="$(wc -l <"$work/$name.log")"
  ok="$(awk '$2 == 200' "$work/$name.log" | wc -l)"
  sort -n -k3,3 "$work/$name.log" | awk -v n="$total" -v name="$name" -v seconds="$seconds" '
    { d[NR] = $3 }
    END { i50 = int(n * 0.50 + 0.999); i99 = int(n * 0.99 + 0.999); print n / seconds, d[i50] / 1e6, d[i99] / 1e6 }' >"$work/$name.stats"
  read -r rps p50 p99 <"$work/$name.stats"
  report "$name" "$rps" "$p50" "$p99" "${ok:-1}" "$((total - ok))" "$used" "$(awk '{print $1 + $2}' "$work/$name.time")"
}

if [ -n "$soak" ]; then
  # Two phases, one server: (1) 1,000,000 /validate requests at full load in ten rounds of 100,000 (32 connections,
  # reconnected each round, so TLS handshakes and connection teardown are soaked too), with VmRSS/VmHWM after each
  # round; (2) /validate at a fixed 2,000 req/s for SECONDS, RSS sampled every 30 s. h2load rather than hey: it costs
  # the shared cores less per request. RssAnon (GC heap, native heap, stacks) and RssFile (the binary's pages mapped
  # as they are touched) are printed apart: only the first can grow with traffic.
  # In the header's order (the kernel lists VmHWM before VmRSS).
  mem() { awk '/^(VmRSS|VmHWM|RssAnon|RssFile):/ {kb[$1] = $2} END {printf "%8.1f%8.1f%8.1f%8.1f", kb["VmRSS:"] / 1024, kb["VmHWM:"] / 1024, kb["RssAnon:"] / 1024, kb["RssFile:"] / 1024}' "/proc/$server_pid/status"; }
  row() { printf '%-22s %9s %8s' "$1" "$2" "$3"; mem; echo; }
  soak_failed=0
  echo "soak: $(nproc) cores shared with the load generator, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  printf '%-22s %9s %8s %8s %8s %8s %8s\n' phase requests seconds "RSS MB" "HWM MB" "anon MB" "file MB"
  row "started" 0 0
  sent=0
  started="$(date +%s)"
  for round in $(seq 10); do
    "${client_cpu[@]}" h2load --h1 -n 100000 -c 32 -d "$body" -H 'Content-Type: application/json' \
      "https://127.0.0.1:$port/validate" >"$work/soak-$round.txt"
    ok="$(awk '/^status codes:/ {gsub(",", "", $3); print $3}' "$work/soak-$round.txt")"
    [ "${ok:-0}" = 100000 ] || { soak_failed=1; echo "soak: round $round: only ${ok:-0} of 100000 answered 2xx"; }
    sent=$((sent + 100000))
    row "full load, 32 conns" "$sent" "$(( $(date +%s) - started ))"
  done
  "${client_cpu[@]}" h2load --h1 -c 20 --rps 100 -D "$soak" -d "$body" -H 'Content-Type: application/json' \
    --log-file "$work/soak-rate.log" "https://127.0.0.1:$port/validate" >"$work/soak-rate.txt" &
  h2load_pid=$!
  started="$(date +%s)"
  while sleep 30 && kill -0 "$h2load_pid" 2>/dev/null; do
    row "2,000 req/s, 20 conns" "" "$(( $(date +%s) - started ))"
  done
  wait "$h2load_pid" || soak_failed=1
  total="$(wc -l <"$work/soak-rate.log")"
  ok="$(awk '$2 == 200' "$work/soak-rate.log" | wc -l)"
  p99="$(sort -n -k3,3 "$work/soak-rate.log" | awk -v n="$total" '{ d[NR] = $3 } END { print d[int(n * 0.99 + 0.999)] / 1000 }')"
  row "end" "$total" "$(( $(date +%s) - started ))"
  echo "soak: fixed rate: $total requests in ${soak}s ($(( total / soak )) req/s), $ok answered 200, p99 $p99 ms"
  [ "$ok" = "$total" ] || soak_failed=1
  exit "$soak_failed"
fi

pinned="$(nproc) cores shared with the load generator"
[ "${BENCH_PIN:-0}" = 1 ] && pinned="server on CPU 0, load generator on CPU 1"
echo "body $(wc -c <"$body") bytes, ${duration}s per run, concurrency $concurrency, $pinned, load average $(cut -d' ' -f1-3 /proc/loadavg)"
run warmup /validate -z 3s -c "$concurrency" >/dev/null
run healthz /healthz -z "${duration}s" -c "$concurrency"
run validate /validate -z "${duration}s" -c "$concurrency"
echo "validate/healthz throughput ratio: $(echo "scale=3; $(cat "$work/validate.rps") / $(cat "$work/healthz.rps")" | bc -l)"
# hey -q is per worker: 20 workers x 100 req/s = 2,000 req/s. The same fixed rate against /healthz shows how much of
# the tail belongs to TLS, HTTP, the load generator and the machine rather than to the decision.
run healthz-at-2000rps /healthz -z "${duration}s" -c 20 -q 100
run validate-at-2000rps /validate -z "${duration}s" -c 20 -q 100
run_h2load h2load-healthz-2000rps /healthz "$duration"
run_h2load h2load-validate-2000rps /validate "$duration"
echo "server RSS after the runs: $(awk '/VmRSS/ {print $2, $3}' "/proc/$server_pid/status")"
echo "admission decisions (server side): $(curl -s "http://127.0.0.1:$metrics_port/metrics" | awk '/^security_operator_admission_decision_seconds_(sum|count)\{endpoint="validate"\}/ {printf "%s=%s ", $1, $2}')"
