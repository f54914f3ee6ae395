#!/usr/bin/env bash
# Rebuilds the viseme model end to end: synthesizes the espeak-ng corpus with LiveHost's own synthesizer
# (onnx-models/tools/VisemeDataset), then trains and exports onnx-models/viseme/viseme-v1.onnx with its report.
# Needs the .NET 10 SDK, espeak-ng (libespeak-ng.so.1) and Debian's python3-torch, python3-numpy, python3-onnx.
# Every step is seeded: the corpus is byte-identical from run to run; training is deterministic for a given
# thread count (train_viseme.py --threads, default 1; other counts sum in another order).
# Extra arguments go to train_viseme.py (e.g. --steps N).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
data="$repo/onnx-models/.data/viseme-corpus"

dotnet build -c Release "$here/VisemeDataset" -v q -nologo
rm -rf "$data" "$repo/onnx-models/.data/viseme-features.npz"
dotnet "$here/VisemeDataset/bin/Release/net10.0/VisemeDataset.dll" \
    --corpus "$here/corpus" --out "$data" --en-sentences 1200 --zh-sentences 1200 --takes 2 --heldout 0.15 --seed 20261125
/usr/bin/python3 "$here/train_viseme.py" --data "$data" --out "$repo/onnx-models/viseme" --seed 1234 "$@"
# The exported file in ONNX Runtime (what the server runs) against torch's logits, plus its latency.
dotnet "$here/VisemeDataset/bin/Release/net10.0/VisemeDataset.dll" check-onnx \
    "$repo/onnx-models/viseme/viseme-v1.onnx" "$repo/onnx-models/viseme/viseme-v1.report.json"
