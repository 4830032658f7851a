#!/usr/bin/env bash
# Lays out the image's root filesystem in artifacts/image-root from the published executable, for the final
# FROM scratch stage of Dockerfile.scratch to copy as one layer. Modes are set here (git and COPY keep what the files
# have), so both build ways (daemonless on the host, BuildKit in the SDK stage) produce the same tree:
#   /security-operator                      0755  the static Native AOT executable (scripts/publish.sh)
#   /etc/ssl/certs/ca-certificates.crt      0644  Debian's CA bundle (package ca-certificates), for TLS to registries
#   /tmp                                    1777  the only writable place (HOME=/tmp; an emptyDir in the manifests)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=artifacts/publish/security-operator
bundle=/etc/ssl/certs/ca-certificates.crt
[ -x "$bin" ] || { echo "stage-image-root: $bin is missing; run scripts/publish.sh first" >&2; exit 1; }
[ -s "$bundle" ] || { echo "stage-image-root: $bundle is missing; install Debian's ca-certificates" >&2; exit 1; }

root=artifacts/image-root
rm -rf "$root"
install -d -m 0755 "$root" "$root/etc" "$root/etc/ssl" "$root/etc/ssl/certs"
install -d -m 1777 "$root/tmp"
install -m 0755 "$bin" "$root/security-operator"
install -m 0644 "$bundle" "$root/etc/ssl/certs/ca-certificates.crt"
echo "stage-image-root: $root ready"
