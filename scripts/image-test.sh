#!/usr/bin/env bash
# Tests the image built by scripts/build-image.sh from the executable already in artifacts/publish:
#   1. two builds from fresh storage give the same manifest digest (reproducible);
#   2. the unpacked root filesystem (umoci unpack) holds exactly the expected files, owners and modes;
#   3. the image config runs as 65534:65534 with HOME=/tmp, working directory /tmp and the binary as entrypoint;
#   4. from the unpacked copy, chrooted as uid/gid 65534, the binary answers --version and --sbom, and --role webhook
#      (--kubeconfig none, a throwaway certificate made here with openssl) serves /healthz on the metrics port and on
#      the HTTPS port, then stops cleanly on SIGTERM;
#   5. the image is at most 25 MB (compressed layers + config, as pulled; the uncompressed size is printed too).
# Needs root (buildah vfs storage, umoci unpack with real owners, chroot). Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "image-test: needs root (buildah vfs storage, umoci unpack, chroot)" >&2; exit 1; }

fail() { echo "image-test: FAIL: $*" >&2; exit 1; }
max_bytes=25000000   # the issue's target: image size <= 25 MB
version=$(sed -nE 's|.*<Version>([^<]+)</Version>.*|\1|p' Operator.csproj | head -1)

scripts/build-image.sh --no-publish
first=$(cat artifacts/image/digest)
scripts/build-image.sh --no-publish
second=$(cat artifacts/image/digest)
[ "$first" = "$second" ] || fail "two builds of the same executable gave different digests: $first and $second"
echo "image-test: reproducible digest $first"

work=$(mktemp -d /tmp/image-test.XXXXXX)
pid=
mounts=()
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  local i
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[$i]}" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

umoci unpack --image "artifacts/image/oci:$version" "$work/bundle" >/dev/null
rootfs=$work/bundle/rootfs

# 2. Exactly these entries: mode, numeric owner, path.
expected='drwxr-xr-x 0:0 .
drwxr-xr-x 0:0 ./etc
drwxr-xr-x 0:0 ./etc/ssl
drwxr-xr-x 0:0 ./etc/ssl/certs
-rw-r--r-- 0:0 ./etc/ssl/certs/ca-certificates.crt
-rwxr-xr-x 0:0 ./security-operator
drwxrwxrwt 0:0 ./tmp'
actual=$(cd "$rootfs" && find . -printf '%M %U:%G %p\n' | LC_ALL=C sort -k3)
if [ "$actual" != "$expected" ]; then
  diff <(echo "$expected") <(echo "$actual") >&2 || true
  fail "the image's root filesystem differs from the expected file list (- expected, + found)"
fi
cmp -s "$rootfs/security-operator" artifacts/publish/security-operator || fail "/security-operator is not the published executable"
echo "image-test: root filesystem holds exactly $(echo "$expected" | wc -l) entries"

# 3. The runtime config umoci derived from the image config.
config=$(tr -d ' \t\n' < "$work/bundle/config.json")
for want in '"uid":65534' '"gid":65534' '"HOME=/tmp"' '"cwd":"/tmp"' '"args":["/security-operator"]' \
            '"SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"'; do
  grep -qF "$want" <<<"$config" || fail "image config lacks $want (config.json: $config)"
done

# 4. Run from the unpacked copy as 65534, with the image's environment and nothing else. A container runtime mounts
# /proc and a /dev with the standard device nodes into every container (OCI runtime spec, Linux defaults; umoci's
# config.json lists them); the runtime reads /dev/urandom (Guid.NewGuid for request activities), so do the same here.
mkdir "$rootfs/proc" "$rootfs/dev"
mount -t proc proc "$rootfs/proc" && mounts+=("$rootfs/proc")
mount -t tmpfs -o nosuid,mode=755,size=64k tmpfs "$rootfs/dev" && mounts+=("$rootfs/dev")
for node in null zero full random urandom tty; do
  touch "$rootfs/dev/$node"
  mount --bind "/dev/$node" "$rootfs/dev/$node" && mounts+=("$rootfs/dev/$node")
done
as_nobody=(env -i HOME=/tmp SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt "$(command -v chroot)" --userspec=65534:65534 "$rootfs")
version_out=$("${as_nobody[@]}" /security-operator --version) || fail "--version failed in the chroot"
grep -q "$version" <<<"$version_out" || fail "--version does not name version $version: $version_out"
grep -qi "static" <<<"$version_out" || fail "--version does not report the linkage: $version_out"
echo "image-test: --version as 65534 in the unpacked image: $(head -1 <<<"$version_out")"
# The SBOM embedded at build time survives trimming and Native AOT (supply-chain/sbom.targets).
sbom_out=$("${as_nobody[@]}" /security-operator --sbom) || fail "--sbom failed in the chroot"
grep -q '"specVersion": "1.5"' <<<"$sbom_out" || fail "--sbom did not print a CycloneDX 1.5 document: $(head -c 300 <<<"$sbom_out")"
echo "image-test: --sbom prints $(grep -c '"purl"' <<<"$sbom_out") components"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$rootfs/tmp/tls.key" -out "$rootfs/tmp/tls.crt" 2>/dev/null
chown 65534:65534 "$rootfs/tmp/tls.key" "$rootfs/tmp/tls.crt"
chmod 0400 "$rootfs/tmp/tls.key"

free_port() {  # a loopback port nobody listens on
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    ss -Hltn "sport = :$port" | grep -q . || { echo "$port"; return; }
  done
}
metrics_port=$(free_port)
https_port=$(free_port)
[ "$https_port" != "$metrics_port" ] || https_port=$(free_port)
"${as_nobody[@]}" /security-operator --role webhook --kubeconfig none \
  --tls-cert-file /tmp/tls.crt --tls-key-file /tmp/tls.key \
  --listen "127.0.0.1:$https_port" --metrics-address "127.0.0.1:$metrics_port" >"$work/webhook.log" 2>&1 &
pid=$!

healthy=
for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$metrics_port/healthz" >"$work/healthz" 2>/dev/null; then healthy=1; break; fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.3
done
[ -n "$healthy" ] || { cat "$work/webhook.log" >&2; fail "the webhook did not serve /healthz on 127.0.0.1:$metrics_port"; }
# The HTTPS listener starts after the operational one: give it the same time.
tls_healthy=
for _ in $(seq 1 100); do
  if curl -fsS --cacert "$rootfs/tmp/tls.crt" "https://127.0.0.1:$https_port/healthz" >/dev/null 2>"$work/curl.err"; then tls_healthy=1; break; fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.3
done
[ -n "$tls_healthy" ] || { cat "$work/webhook.log" "$work/curl.err" >&2; fail "the webhook did not serve https://127.0.0.1:$https_port/healthz"; }
echo "image-test: --role webhook as 65534 serves /healthz ($(cat "$work/healthz")) on metrics and HTTPS ports"

kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=
[ "$status" -eq 0 ] || { cat "$work/webhook.log" >&2; fail "the webhook exited with $status on SIGTERM (want 0)"; }

# 5. Size as a registry stores it (compressed layers + config) and unpacked.
index=artifacts/image/oci/index.json
manifest_digest=$(grep -oE 'sha256:[0-9a-f]{64}' "$index" | head -1)
manifest=artifacts/image/oci/blobs/sha256/${manifest_digest#sha256:}
stored=$(( $(grep -oE '"size": *[0-9]+' "$manifest" | grep -oE '[0-9]+$' | paste -sd+) ))
unpacked=$(( $(stat -c %s "$rootfs/security-operator") + $(stat -c %s "$rootfs/etc/ssl/certs/ca-certificates.crt") ))
echo "image-test: image size $stored bytes compressed ($(numfmt --to=iec "$stored")), $unpacked bytes unpacked ($(numfmt --to=iec "$unpacked"))"
[ "$stored" -le "$max_bytes" ] || fail "image is $stored bytes, above the 25 MB target"
echo "image-test: passed"
