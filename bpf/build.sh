#!/usr/bin/env bash
# Compiles the node agent's eBPF programs into one CO-RE object: bpf/build.sh OUTPUT_DIR
#   1. vmlinux.h from the build machine's kernel BTF (bpftool btf dump), generated once into OUTPUT_DIR and not
#      checked in (3 MB, and CO-RE relocates against the running kernel's BTF anyway);
#   2. clang -target bpf -O2 -g (-g makes clang emit BTF, which CO-RE and the layout check need);
#   3. llvm-strip -g: drops DWARF, keeps .BTF and .BTF.ext.
# Without clang, bpftool or /sys/kernel/btf/vmlinux it says what is missing and exits 0 with no object: the build then
# embeds none and --role node says so at start. Operator.csproj (target BuildBpfObjects) runs this on every build.
set -euo pipefail
out="${1:?usage: bpf/build.sh OUTPUT_DIR}"
src="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$out"
for tool in clang llvm-strip bpftool; do
  command -v "$tool" >/dev/null || { echo "bpf/build.sh: $tool not found (scripts/install-prereqs.sh installs it); no eBPF object built"; exit 0; }
done
[ -f /usr/include/bpf/bpf_helpers.h ] || { echo "bpf/build.sh: libbpf headers missing (libbpf-dev); no eBPF object built"; exit 0; }
if [ ! -s "$out/vmlinux.h" ]; then
  [ -r /sys/kernel/btf/vmlinux ] || { echo "bpf/build.sh: /sys/kernel/btf/vmlinux not readable (kernel without BTF); no eBPF object built"; exit 0; }
  bpftool btf dump file /sys/kernel/btf/vmlinux format c >"$out/vmlinux.h.tmp"
  mv "$out/vmlinux.h.tmp" "$out/vmlinux.h"
fi
arch="$(uname -m)"
case "$arch" in x86_64) target_arch=x86 ;; aarch64) target_arch=arm64 ;; *) target_arch="$arch" ;; esac
clang -g -O2 -Wall -Werror -target bpf "-D__TARGET_ARCH_$target_arch" -I"$out" -I"$src" \
  -c "$src/runtime.bpf.c" -o "$out/runtime.bpf.o.tmp"
llvm-strip -g "$out/runtime.bpf.o.tmp"
mv "$out/runtime.bpf.o.tmp" "$out/runtime.bpf.o"
