#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls exactly this). On a fresh machine it installs what it needs,
# restores in locked mode, builds every project with warnings as errors, runs all tests, and publishes the static
# AOT executable (which proves zero trim/AOT warnings and a static link), then builds and tests the image from it.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-prereqs.sh

echo "== restore (locked)"
for project in Operator.csproj Operator.Tests/Operator.Tests.csproj $(ls Operator.Benchmarks/*.csproj 2>/dev/null); do
  dotnet restore "$project" --locked-mode
done

echo "== build (warnings are errors)"
dotnet build Operator.Tests/Operator.Tests.csproj --no-restore -warnaserror -nologo -v:q
for project in $(ls Operator.Benchmarks/*.csproj 2>/dev/null); do
  dotnet build "$project" --no-restore -c Release -warnaserror -nologo -v:q
done

echo "== tests"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test Operator.Tests/Operator.Tests.csproj --no-build -nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# vstest's summary: "Passed!  - Failed: 0, Passed: 11, Skipped: 0, Total: 11, ..." -> the plain line CI reads.
summary=$(grep -E "(Passed|Failed)! +- Failed:" "$log" | tail -1 || true)
count() { sed -nE "s/.*$1: +([0-9]+).*/\1/p" <<<"$summary"; }
result="tests: $(count Passed) passed, $(count Failed) failed, $(count Skipped) skipped"
if [ "$status" -ne 0 ] || [ -z "$summary" ]; then
  echo "$result"
  exit 1
fi

echo "== publish (static Native AOT, zero warnings)"
scripts/publish.sh

echo "== image (daemonless buildah build of Dockerfile.scratch: reproducible digest, exact rootfs, runs as 65534)"
scripts/image-test.sh

echo "$result"
