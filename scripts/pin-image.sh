#!/usr/bin/env bash
# Pins the image of every workload in manifests/ to a pushed digest, for the release flow (docs/deployment.md):
#   scripts/pin-image.sh registry.example.com/security-operator/security-operator@sha256:<64 hex>
# It rewrites the images: entry of manifests/kustomization.yaml (newName and digest); `kubectl apply -k manifests/`
# then deploys that exact image. A reference without a sha256 digest is refused: a tag can move, a digest cannot.
set -euo pipefail
cd "$(dirname "$0")/.."
ref=${1:-}
if ! [[ "$ref" =~ ^([a-z0-9][a-z0-9.:-]*(/[a-z0-9._-]+)+)@(sha256:[0-9a-f]{64})$ ]]; then
  echo "pin-image: '$ref' is not REGISTRY/REPOSITORY@sha256:<64 lowercase hex>" >&2
  exit 2
fi
name=${BASH_REMATCH[1]}
digest=${BASH_REMATCH[3]}
file=manifests/kustomization.yaml
sed -i -E "s|^(    newName: ).*|\1$name|; s|^(    digest: )sha256:[0-9a-f]{64}$|\1$digest|" "$file"
grep -q "newName: $name\$" "$file" && grep -q "digest: $digest\$" "$file" \
  || { echo "pin-image: $file has no images: entry to rewrite" >&2; exit 1; }
echo "pin-image: manifests pinned to $name@$digest"
