#!/usr/bin/env bash
# Installs, idempotently, the Debian packages the build and the tests need. Safe to run on every CI run: it only
# calls apt-get when something is missing. Needs root (or sudo) on a Debian/Ubuntu machine with the .NET SDK.
#   clang, lld, cmake, libssl-dev, zlib1g-dev : the static Native AOT link (StaticExecutable + StaticOpenSslLinking + lld)
#   libzstd-dev                               : the controller's audit cache compression (libzstd.a linked in, libzstd.so for tests)
#   llvm, libbpf-dev, libelf-dev, bpftool     : the node agent's eBPF object (bpf/build.sh) and libbpf linked statically
set -euo pipefail

packages=(
  clang lld cmake libssl-dev zlib1g-dev   # the static Native AOT link
  libzstd-dev                             # the controller's audit cache: zstd with a dictionary (Operator/Compression)
  buildah umoci skopeo ca-certificates binutils curl openssl   # daemonless image build and its test (scripts/build-image.sh, scripts/image-test.sh)
  docker-registry                         # OCI registry on 127.0.0.1 for the Registry/Signing tests (cosign-format sign/verify)
  llvm libbpf-dev libelf-dev bpftool      # --role node: compile bpf/ (clang -target bpf, llvm-strip, vmlinux.h) and link libbpf.a + libelf.a
  bpftrace                                # scripts/bench-node.sh: the peer tracer counting the same hooks as the node agent
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "install-prereqs: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "install-prereqs: all of ${packages[*]} present"
fi

command -v dotnet >/dev/null || { echo "install-prereqs: the .NET SDK (dotnet) is not on PATH" >&2; exit 1; }
