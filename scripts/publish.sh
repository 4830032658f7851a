#!/usr/bin/env bash
# Publishes the single static Native AOT executable to artifacts/publish/security-operator and checks that it is
# static (no ELF interpreter, no shared libraries) and that it starts.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-prereqs.sh
dotnet restore Operator.csproj --locked-mode
# Our warnings fail the build through the project (TreatWarningsAsErrors for C# and the trim/AOT analyzers,
# IlcTreatWarningsAsErrors for the AOT compiler). Not -warnaserror here: it would also fail on clang's warnings in the
# runtime's own OpenSSL shim source, which the static link compiles from the ILCompiler package.
dotnet publish Operator.csproj -c Release --no-restore -o artifacts/publish
bin=artifacts/publish/security-operator
if readelf -l "$bin" | grep -q "Requesting program interpreter"; then
  echo "publish: $bin is dynamically linked" >&2; exit 1
fi
if readelf -d "$bin" 2>/dev/null | grep -q NEEDED; then
  echo "publish: $bin needs shared libraries: $(readelf -d "$bin" | grep NEEDED)" >&2; exit 1
fi
"$bin" --version
ls -l "$bin"
