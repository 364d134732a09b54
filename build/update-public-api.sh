#!/usr/bin/env bash
# Regenerates PublicAPI.Unshipped.txt of every shipped library (src/*, efcore/*) from the code, using the
# PublicApiAnalyzers code fix for RS0016 through `dotnet format`. Nothing has shipped yet, so the whole
# public API belongs in Unshipped: the file is reset to its header and refilled. PublicAPI.Shipped.txt is
# left alone (at a release, move the Unshipped lines there by hand).
# Usage: build/update-public-api.sh   (then review `git diff -- '*PublicAPI*.txt'`)
set -euo pipefail
cd "$(dirname "$0")/.."

projects=(src/*/*.csproj efcore/*/*.csproj)
for project in "${projects[@]}"; do
  printf '#nullable enable\n' > "$(dirname "$project")/PublicAPI.Unshipped.txt"
done
for project in "${projects[@]}"; do
  echo "Listing the public API of $project"
  dotnet format analyzers "$project" --diagnostics RS0016 --severity warn
done
