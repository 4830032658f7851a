#!/usr/bin/env bash
# Builds the security-operator image without a container daemon, as CI does here: publish the static executable on
# the host (scripts/publish.sh), lay out its root filesystem (scripts/stage-image-root.sh), then `buildah bud` with the
# vfs storage driver and chroot isolation (no overlay mounts, no user namespaces, no daemon) and --timestamp 0, so the
# same executable always gives the same image digest. Writes an OCI image layout and the manifest digest:
#   artifacts/image/oci            OCI layout, tag = the version (push it with skopeo, docs/deployment.md)
#   artifacts/image/digest         sha256:... of the image manifest
# Usage: scripts/build-image.sh [--no-publish]   (--no-publish: use artifacts/publish as it is, e.g. right after
# scripts/publish.sh in scripts/test.sh). Needs root (buildah's vfs storage writes files owned by root).
set -euo pipefail
cd "$(dirname "$0")/.."

publish=1
for arg in "$@"; do
  case "$arg" in
    --no-publish) publish=0 ;;
    *) echo "build-image: unknown argument '$arg' (usage: scripts/build-image.sh [--no-publish])" >&2; exit 2 ;;
  esac
done

scripts/install-prereqs.sh
if [ "$publish" -eq 1 ]; then scripts/publish.sh; fi
scripts/stage-image-root.sh

out=artifacts/image
version=$(sed -nE 's|.*<Version>([^<]+)</Version>.*|\1|p' Operator.csproj | head -1)
# Storage of our own under artifacts/: never the machine's /var/lib/containers, so builds of other checkouts and
# leftovers of earlier runs cannot leak into this image. Wiped on every run.
storage=$out/storage
rm -rf "$storage" "$out/oci" "$out/digest"
mkdir -p "$storage"
buildah=(buildah --root "$PWD/$storage/root" --runroot "$PWD/$storage/run" --storage-driver vfs)
trap '"${buildah[@]}" rm --all >/dev/null 2>&1 || true' EXIT

# --timestamp 0: image and history created at the epoch and every file in the layer stamped 0, so the digest depends on
# the files only. --omit-history: no build-host facts in the config. --identity-label=false: no buildah version label.
"${buildah[@]}" bud --quiet --isolation chroot --timestamp 0 --omit-history --identity-label=false --no-cache \
  --build-arg ROOTFS_FROM=host -f Dockerfile.scratch -t "localhost/security-operator:$version" artifacts/ >/dev/null

"${buildah[@]}" push --quiet --digestfile "$out/digest" "localhost/security-operator:$version" "oci:$out/oci:$version"
rm -rf "$storage"
echo "build-image: $out/oci:$version $(cat "$out/digest")"
