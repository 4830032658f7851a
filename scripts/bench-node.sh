#!/usr/bin/env bash
# Node agent benchmark: scripts/bench-node.sh [OPEN_ITERATIONS]   (root; Linux with BTF and cgroup v2)
# Generates openat / connect / exec load from a process placed in a kubelet-shaped test cgroup (so the agent attributes
# its events to a "container"), once without any tracer, once under the published agent (standalone, default flags),
# once under bpftrace counting the same hooks, and prints:
#   - events/s the agent processed (its own metric, over the load's wall time) and its ring-buffer drops (kernel counter);
#   - agent CPU per event: utime and stime of the agent process from /proc/<pid>/stat over the load;
#   - the traced workload's slowdown (wall time with / without), per load kind, for the agent and for bpftrace;
#   - the kernel cost of the agent's sys_enter program per run (bpf_stats, in a separate pass: stats cost time too);
#   - bpftrace's event counts next to the agent's (the same hooks: sys_enter openat/connect, sched_process_exec).
# The machine is shared: quote the `uptime` line printed first and last with the numbers.
# Environment: BENCH_NODE_BINARY (default artifacts/publish/security-operator, published by scripts/publish.sh if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "bench-node: needs root (eBPF, cgroups, tracefs)" >&2; exit 1; }
scripts/install-prereqs.sh >/dev/null
bin="${BENCH_NODE_BINARY:-artifacts/publish/security-operator}"
[ -x "$bin" ] || scripts/publish.sh
open_n="${1:-1000000}"; connect_n=$((open_n / 10)); exec_n=$((open_n / 200))
port=18091
work="$(mktemp -d /tmp/bench-node.XXXXXX)"
echo "load before: $(uptime)"

# The load generator: a tight C loop, so the syscalls (and what tracing adds to them) dominate its time.
cat >"$work/load.c" <<'EOF'
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
int main(int argc, char **argv) {
  long n = atol(argv[2]);
  struct timespec a, b;
  struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(9)};
  to.sin_addr.s_addr = htonl(0x7f000001);
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (long i = 0; i < n; i++) {
    if (!strcmp(argv[1], "open")) {
      int fd = openat(AT_FDCWD, "/etc/hostname", O_RDONLY);
      if (fd >= 0) close(fd);
    } else if (!strcmp(argv[1], "connect")) {
      int s = socket(AF_INET, SOCK_STREAM, 0);
      connect(s, (struct sockaddr *)&to, sizeof(to)); /* 127.0.0.1:9: refused at once */
      close(s);
    } else {
      pid_t pid = fork();
      if (pid == 0) { execl("/bin/true", "true", (char *)0); _exit(127); }
      waitpid(pid, 0, 0);
    }
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  printf("%.6f\n", (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9);
  return 0;
}
EOF
clang -O2 -o "$work/load" "$work/load.c"

# A kubelet-shaped cgroup (systemd driver) in a private top directory: the agent watches its kubepods.slice.
mount_point="$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)"
top="$mount_point/secop-bench-$$"
uid="$(cat /proc/sys/kernel/random/uuid)"
cid="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
container="$top/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${uid//-/_}.slice/cri-containerd-$cid.scope"
mkdir -p "$container"
mounted_tracefs=0
agent_pid=""
cleanup() {
  [ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null || true
  sysctl -qw kernel.bpf_stats_enabled=0 || true
  find "$top" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  [ "$mounted_tracefs" -eq 1 ] && umount /sys/kernel/tracing || true
  rm -rf "$work"
}
trap cleanup EXIT

# Runs the load inside the container cgroup; prints its wall time in seconds.
run_load() { sh -c "echo \$\$ > '$container/cgroup.procs' && exec '$work/load' $1 $2"; }
metric() { curl -s "http://127.0.0.1:$port/metrics" | awk -v m="$1" '$1 == m { print $2; exit }'; }
processed() { metric "security_operator_node_events_processed_total{type=\"$1\"}"; }
kernel_counter() { metric "security_operator_node_kernel_events_total{counter=\"$1\"}"; }
cpu_ticks() { awk '{ print $14, $15 }' "/proc/$agent_pid/stat"; }
tck="$(getconf CLK_TCK)"

declare -A base agent tracer
for kind in open connect exec; do
  n_var="${kind}_n"; base[$kind]="$(run_load "$kind" "${!n_var}")"
done

# The agent: standalone, default flags (kernel filter on, baselines on), watching the test kubepods.slice only.
"$bin" --role node --kubeconfig none --node-container-cgroups "$top/kubepods.slice" --metrics-address "127.0.0.1:$port" \
  --log-level warn >"$work/agent.out" 2>"$work/agent.err" &
agent_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$port/readyz" >/dev/null || { echo "bench-node: the agent did not become ready"; cat "$work/agent.err"; exit 1; }

declare -A events cpu_user cpu_sys
for kind in open connect exec; do
  n_var="${kind}_n"
  # metrics are refreshed every 5 s (NodeRole.MetricsRefresh): wait a refresh before and after each phase
  sleep 6; before="$(processed "$kind")"; read -r u0 s0 < <(cpu_ticks)
  agent[$kind]="$(run_load "$kind" "${!n_var}")"
  read -r u1 s1 < <(cpu_ticks); sleep 6; after="$(processed "$kind")"
  events[$kind]=$(awk -v a="$after" -v b="$before" 'BEGIN { printf "%d", a - b }')
  cpu_user[$kind]=$((u1 - u0)); cpu_sys[$kind]=$((s1 - s0))
done
drops="$(kernel_counter drops)"; sent="$(kernel_counter events)"

# Kernel cost of the sys_enter program (run_time_ns / run_cnt) in a pass of its own.
sysctl -qw kernel.bpf_stats_enabled=1
prog_stats() { bpftool prog show name on_sys_enter | awk '/run_time_ns/ { for (i = 1; i < NF; i++) { if ($i == "run_time_ns") t = $(i + 1); if ($i == "run_cnt") c = $(i + 1) } } END { print t + 0, c + 0 }'; }
read -r t0 c0 < <(prog_stats)
run_load open "$open_n" >/dev/null
read -r t1 c1 < <(prog_stats)
sysctl -qw kernel.bpf_stats_enabled=0
kill -TERM "$agent_pid"; wait "$agent_pid" || true; agent_pid=""

# bpftrace as the peer: the same hooks (sys_enter for openat/connect, sched_process_exec), filtered to the test cgroup.
if [ ! -d /sys/kernel/tracing/events ]; then mount -t tracefs nodev /sys/kernel/tracing && mounted_tracefs=1; fi
cgid="$(stat -c %i "$container")"
bpftrace -e "tracepoint:raw_syscalls:sys_enter /cgroup == $cgid && (args->id == 257 || args->id == 437 || args->id == 42)/ { @sys[args->id] = count(); }
tracepoint:sched:sched_process_exec /cgroup == $cgid/ { @exec = count(); }" >"$work/bpftrace.out" 2>&1 &
tracer_pid=$!
for _ in $(seq 100); do grep -q "Attaching" "$work/bpftrace.out" && break; sleep 0.2; done
sleep 1
for kind in open connect exec; do n_var="${kind}_n"; tracer[$kind]="$(run_load "$kind" "${!n_var}")"; done
kill -INT "$tracer_pid"; wait "$tracer_pid" || true
bt_open="$(awk -F'[][]' '/@sys\[257\]/ { split($3, v, " "); print v[2] }' "$work/bpftrace.out")"
bt_connect="$(awk -F'[][]' '/@sys\[42\]/ { split($3, v, " "); print v[2] }' "$work/bpftrace.out")"
bt_exec="$(awk '/@exec:/ { print $2 }' "$work/bpftrace.out")"

echo "load after:  $(uptime)"
echo
printf "%-8s %10s %9s %9s %8s %9s %8s %11s %9s %9s %10s\n" kind n base_s agent_s slowdn events/s events us/event sys_us/ev bpftrace_s bt_slowdn
for kind in open connect exec; do
  n_var="${kind}_n"
  awk -v k="$kind" -v n="${!n_var}" -v b="${base[$kind]}" -v a="${agent[$kind]}" -v t="${tracer[$kind]}" -v e="${events[$kind]}" \
      -v u="${cpu_user[$kind]}" -v s="${cpu_sys[$kind]}" -v hz="$tck" 'BEGIN {
    ev = e > 0 ? e : 1
    printf "%-8s %10d %9.3f %9.3f %7.2fx %9d %8d %11.3f %9.3f %9.3f %9.2fx\n", k, n, b, a, a / b, e / a, e, u / hz * 1e6 / ev, s / hz * 1e6 / ev, t, t / b }'
done
echo
echo "agent: kernel sent $sent records, ring-buffer drops $drops"
# run_cnt counts every syscall of the host (the program returns at once for the untraced ones), so the time per traced
# open is an upper bound: it includes those early returns.
awk -v t0="$t0" -v t1="$t1" -v c0="$c0" -v c1="$c1" -v n="$open_n" 'BEGIN { if (c1 > c0) printf "on_sys_enter (bpf_stats pass of %d opens): %d runs, %.0f ns per run, <= %.0f ns per traced open\n", n, c1 - c0, (t1 - t0) / (c1 - c0), (t1 - t0) / n }'
echo "bpftrace counted (all three loads): openat ${bt_open:-0} ($open_n + the dynamic loader's opens of each exec), connect ${bt_connect:-0} (of $connect_n), exec ${bt_exec:-0} ($exec_n + 1 per load run for its own exec)"
echo "agent processed:  open ${events[open]}, connect ${events[connect]}, exec ${events[exec]}"
