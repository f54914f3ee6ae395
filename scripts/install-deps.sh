#!/usr/bin/env bash
# Installs the Debian packages LiveHost needs, only those missing. Safe to run again.
set -euo pipefail
# The server needs ffmpeg (AAC), libx264 (H.264, loaded in process), espeak-ng, Flite (libflite1: libflite and its CMU
# voice libraries slt, awb, rms, kal16; flite1-dev: the headers), libsrt (SRT outputs) and the CJK fonts; the tests also
# start nginx-rtmp (and nginx's stream module as the RTMPS TLS front), a headless chromium, a WHIP endpoint on python3-aiortc,
# coturn as the TURN/STUN server WHIP pushes gather candidates from, and their own PostgreSQL (initdb in a temp folder on
# loopback: the store tests run on SQLite and on PostgreSQL) and redis-server (started by the cluster tests on loopback).
packages=(ffmpeg libx264-164 espeak-ng libespeak-ng1 libflite1 flite1-dev libsrt1.5-gnutls fonts-noto-cjk)
[ "${1:-}" = "--test" ] && packages+=(nginx libnginx-mod-rtmp libnginx-mod-stream chromium python3-aiortc coturn postgresql redis-server)
# --models: the Python the model tools in onnx-models/tools run on (Debian's /usr/bin/python3): numpy, torch, onnx.
[[ " $* " == *" --models "* ]] && packages+=(python3-numpy python3-torch python3-onnx)
# --perf: Janus 1.1.2, run beside LiveHost by `perf ... fanout-vs-janus` (the benchmark writes its configuration and starts it).
[[ " $* " == *" --perf "* ]] && packages+=(janus)
# The Wav2Lip converter's test (convert_wav2lip.py on a generated checkpoint) needs the same three.
[[ " $* " == *" --test "* ]] && packages+=(python3-numpy python3-torch python3-onnx)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  # Debian's nginx package would start a system-wide server on port 80; LiveHost's tests start their own.
  DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v dotnet >/dev/null || { echo "the .NET 10 SDK is required (dotnet on PATH)"; exit 1; }
