#!/usr/bin/env bash
# Installs what is missing and starts LiveHost on the embedded default (room "main", built-in avatar, espeak-ng).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
exec dotnet run --project src/LiveHost.Host -c Release -- "$@"
