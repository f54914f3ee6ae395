#!/usr/bin/python3
"""Numpy-only reference of Wav2Lip's audio front end (audio.py + hparams), and of LiveHost's 48k->16k resampler.

Run with /usr/bin/python3 (numpy only; no librosa, no scipy). LiveHost.Inference's C# MelSpectrogram and
MelWindowExtractor are tested against the fixture this script writes, so change both together.

Front end (Wav2Lip hparams):
  sample_rate 16000, n_fft 800, hop 200, win 800 (periodic Hann), num_mels 80, fmin 55, fmax 7600,
  preemphasis y[n] = x[n] - 0.97 x[n-1] (scipy lfilter([1,-k],[1]); x[-1] = 0),
  stft center=True with reflect padding of n_fft/2 on each side (librosa 0.7 default), magnitude (power 1),
  librosa mel filters (htk=False: Slaney mel scale, Slaney area normalisation),
  S = amp_to_db(mel) - ref_level_db, amp_to_db(x) = 20 log10(max(1e-5, x)), ref_level_db 20,
  normalize (symmetric, clipping): clip(8 * (S + 100) / 100 - 4, -4, 4).
  T = 1 + len(wav) // 200 columns; column c is centred on 16 kHz sample 200 c (80 columns per second).
  Everything is computed in float64 and returned as float32 (librosa builds its filters in float32; the difference
  is far below the 1e-3 tolerance the C# test uses).

Windows the models take ([80, 16], mel-bin major):
  Wav2Lip: video frame i at fps f -> columns [int(80 i / f), +16); Wav2Lip's own code clamps windows that run past
           the end to the last 16 columns (wav2lip_window does the same).
  Viseme:  time t -> columns [int(80 t) - 8, +16), columns outside the spectrogram filled with -4 (silence).

Resampler 48 kHz -> 16 kHz (resample_48k_to_16k): a linear-phase windowed-sinc low-pass FIR, then keep every 3rd
sample (a polyphase decimator computes only the kept outputs):
  y[m] = sum_{j=-96..96} h[j] x[3m - j], x outside the signal = 0, so y[m] is aligned with x[3m] (no delay);
  h[j] = (1/3) sinc(j / 3) * blackman193[j + 96], then h /= sum(h) (unity DC gain);
  sinc(u) = sin(pi u)/(pi u); blackman193[n] = 0.42 - 0.5 cos(2 pi n / 192) + 0.08 cos(4 pi n / 192).
  Cut-off 8 kHz (the new Nyquist), transition ~ +-1.4 kHz, stop band ~ -74 dB: Wav2Lip only looks up to 7.6 kHz.
  len(y) = ceil(len(x) / 3).

CLI: melspec.py fixture OUT_DIR   writes melspec_fixture.json (+ .f32 little-endian float32 files) into OUT_DIR.
     melspec.py wav IN.f32 OUT.f32  mel of a raw little-endian float32 16 kHz file, written [80, T].
"""
import json
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import python_deps  # noqa: E402

python_deps.require("numpy")

import numpy as np  # noqa: E402

SAMPLE_RATE = 16000
N_FFT = 800
HOP = 200
WIN = 800
NUM_MELS = 80
FMIN = 55.0
FMAX = 7600.0
PREEMPHASIS = 0.97
MIN_LEVEL_DB = -100.0
REF_LEVEL_DB = 20.0
MAX_ABS_VALUE = 4.0
MEL_COLUMNS_PER_SECOND = SAMPLE_RATE / HOP  # 80
WINDOW_COLUMNS = 16

RESAMPLE_HALF_TAPS = 96  # 193 taps at 48 kHz


# ---- librosa's Slaney mel scale (htk=False) -------------------------------------------------------------------------

def hz_to_mel(f):
    f = np.asarray(f, dtype=np.float64)
    f_sp = 200.0 / 3
    mels = f / f_sp
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = math.log(6.4) / 27.0
    return np.where(f >= min_log_hz, min_log_mel + np.log(np.maximum(f, 1e-10) / min_log_hz) / logstep, mels)


def mel_to_hz(m):
    m = np.asarray(m, dtype=np.float64)
    f_sp = 200.0 / 3
    freqs = f_sp * m
    min_log_hz = 1000.0
    min_log_mel = min_log_hz / f_sp
    logstep = math.log(6.4) / 27.0
    return np.where(m >= min_log_mel, min_log_hz * np.exp(logstep * (m - min_log_mel)), freqs)


def mel_filterbank(sr=SAMPLE_RATE, n_fft=N_FFT, n_mels=NUM_MELS, fmin=FMIN, fmax=FMAX):
    """librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax, htk=False, norm='slaney') in float64: [n_mels, 1+n_fft/2]."""
    fftfreqs = np.linspace(0, sr / 2.0, 1 + n_fft // 2)
    mel_f = mel_to_hz(np.linspace(hz_to_mel(fmin), hz_to_mel(fmax), n_mels + 2))
    fdiff = np.diff(mel_f)
    ramps = np.subtract.outer(mel_f, fftfreqs)
    weights = np.zeros((n_mels, 1 + n_fft // 2))
    for i in range(n_mels):
        lower = -ramps[i] / fdiff[i]
        upper = ramps[i + 2] / fdiff[i + 1]
        weights[i] = np.maximum(0, np.minimum(lower, upper))
    enorm = 2.0 / (mel_f[2:n_mels + 2] - mel_f[:n_mels])
    weights *= enorm[:, np.newaxis]
    return weights


# ---- front end ------------------------------------------------------------------------------------------------------

def hann_periodic(n=WIN):
    return 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n) / n)


def preemphasis(wav, k=PREEMPHASIS):
    wav = np.asarray(wav, dtype=np.float64)
    out = wav.copy()
    out[1:] -= k * wav[:-1]
    return out


def stft_magnitude(y):
    """|librosa.stft(y, n_fft=800, hop_length=200, win_length=800, center=True, pad_mode='reflect')|: [401, T]."""
    pad = N_FFT // 2
    padded = np.pad(y, pad, mode="reflect")
    t = 1 + (len(padded) - N_FFT) // HOP
    window = hann_periodic()
    frames = np.stack([padded[i * HOP:i * HOP + N_FFT] * window for i in range(t)], axis=1)
    return np.abs(np.fft.rfft(frames, axis=0))


def melspectrogram(wav16k: np.ndarray) -> np.ndarray:
    """Wav2Lip audio.melspectrogram: float32 [80, 1 + len // 200], values in [-4, 4]."""
    wav16k = np.asarray(wav16k, dtype=np.float64)
    if len(wav16k) <= N_FFT // 2:
        raise ValueError("need more than %d samples for reflect padding" % (N_FFT // 2))
    d = stft_magnitude(preemphasis(wav16k))
    mel = mel_filterbank() @ d
    s = 20.0 * np.log10(np.maximum(1e-5, mel)) - REF_LEVEL_DB
    s = np.clip((2 * MAX_ABS_VALUE) * ((s - MIN_LEVEL_DB) / (-MIN_LEVEL_DB)) - MAX_ABS_VALUE,
                -MAX_ABS_VALUE, MAX_ABS_VALUE)
    return s.astype(np.float32)


# ---- windows --------------------------------------------------------------------------------------------------------

def wav2lip_window(mel, frame_index, fps):
    start = int(MEL_COLUMNS_PER_SECOND * (frame_index / float(fps)))
    if start + WINDOW_COLUMNS > mel.shape[1]:
        return mel[:, mel.shape[1] - WINDOW_COLUMNS:]
    return mel[:, start:start + WINDOW_COLUMNS]


def centered_window(mel, t_seconds):
    """Viseme model input: 16 columns starting at int(80 t) - 8, -4 outside the spectrogram."""
    start = int(MEL_COLUMNS_PER_SECOND * t_seconds) - WINDOW_COLUMNS // 2
    out = np.full((NUM_MELS, WINDOW_COLUMNS), -MAX_ABS_VALUE, dtype=np.float32)
    for j in range(WINDOW_COLUMNS):
        c = start + j
        if 0 <= c < mel.shape[1]:
            out[:, j] = mel[:, c]
    return out


# ---- resampler ------------------------------------------------------------------------------------------------------

def resample_filter():
    n = 2 * RESAMPLE_HALF_TAPS + 1
    j = np.arange(n) - RESAMPLE_HALF_TAPS
    blackman = 0.42 - 0.5 * np.cos(2 * np.pi * np.arange(n) / (n - 1)) + 0.08 * np.cos(4 * np.pi * np.arange(n) / (n - 1))
    h = (1.0 / 3.0) * np.sinc(j / 3.0) * blackman
    return h / h.sum()


def resample_48k_to_16k(wav48k: np.ndarray) -> np.ndarray:
    """Windowed-sinc decimation by 3 (see module doc): float32, ceil(len / 3) samples, y[m] aligned with x[3m]."""
    x = np.asarray(wav48k, dtype=np.float64)
    h = resample_filter()
    d = RESAMPLE_HALF_TAPS
    padded = np.concatenate([np.zeros(d), x, np.zeros(d)])
    out_len = (len(x) + 2) // 3
    y = np.empty(out_len)
    for m in range(out_len):
        # padded[3m + d - j] for j = -d..d is padded[3m .. 3m + 2d] reversed.
        seg = padded[3 * m:3 * m + 2 * d + 1]
        y[m] = np.dot(h, seg[::-1])
    return y.astype(np.float32)


# ---- fixture --------------------------------------------------------------------------------------------------------

def test_signal_48k(seconds=1.0, seed=1234):
    """Deterministic: a 100 Hz -> 7 kHz log chirp at 0.5, a 440 Hz tone at 0.2 for the middle third, white noise at
    0.02 (numpy default_rng(seed)), and 50 ms of silence at the start (exercises the -4 floor)."""
    n = int(48000 * seconds)
    t = np.arange(n) / 48000.0
    f0, f1 = 100.0, 7000.0
    k = (f1 / f0) ** (1.0 / seconds)
    phase = 2 * np.pi * f0 * (k ** t - 1) / math.log(k)
    x = 0.5 * np.sin(phase)
    mid = (t > seconds / 3) & (t < 2 * seconds / 3)
    x[mid] += 0.2 * np.sin(2 * np.pi * 440 * t[mid])
    x += 0.02 * np.random.default_rng(seed).standard_normal(n)
    x[: int(0.05 * 48000)] = 0.0
    return x.astype(np.float32)


def write_f32(path, arr):
    np.ascontiguousarray(arr, dtype="<f4").tofile(path)


def write_fixture(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    wav48 = test_signal_48k()
    wav16 = resample_48k_to_16k(wav48)
    mel = melspectrogram(wav16)
    write_f32(os.path.join(out_dir, "melspec_wav48k.f32"), wav48)
    write_f32(os.path.join(out_dir, "melspec_wav16k.f32"), wav16)
    write_f32(os.path.join(out_dir, "melspec_mel.f32"), mel)
    header = {
        "description": "TEST FIXTURE written by onnx-models/tools/melspec.py fixture: Wav2Lip mel front end reference",
        "wav48k": {"file": "melspec_wav48k.f32", "shape": [len(wav48)], "dtype": "float32-le"},
        "wav16k": {"file": "melspec_wav16k.f32", "shape": [len(wav16)], "dtype": "float32-le",
                   "note": "resample_48k_to_16k(wav48k)"},
        "mel": {"file": "melspec_mel.f32", "shape": list(mel.shape), "dtype": "float32-le",
                "note": "melspectrogram(wav16k), row-major [num_mels, T]"},
        "params": {"sample_rate": SAMPLE_RATE, "n_fft": N_FFT, "hop": HOP, "win": WIN, "num_mels": NUM_MELS,
                   "fmin": FMIN, "fmax": FMAX, "preemphasis": PREEMPHASIS, "min_level_db": MIN_LEVEL_DB,
                   "ref_level_db": REF_LEVEL_DB, "max_abs_value": MAX_ABS_VALUE,
                   "resample_half_taps": RESAMPLE_HALF_TAPS},
    }
    with open(os.path.join(out_dir, "melspec_fixture.json"), "w") as f:
        json.dump(header, f, indent=2)
        f.write("\n")
    print("wrote %s: wav48k %d, wav16k %d, mel %s (min %.3f max %.3f)"
          % (out_dir, len(wav48), len(wav16), mel.shape, mel.min(), mel.max()))


def _self_check():
    # The Slaney scale is linear below 1 kHz and continuous there.
    assert abs(hz_to_mel(1000.0) - 15.0) < 1e-12
    assert abs(mel_to_hz(hz_to_mel(3000.0)) - 3000.0) < 1e-9
    # The resampler passes a 1 kHz tone with unit gain and stops 10 kHz.
    t = np.arange(4800) / 48000.0
    y = resample_48k_to_16k(np.sin(2 * np.pi * 1000 * t))[200:-200]
    assert abs(np.sqrt(2 * np.mean(y.astype(np.float64) ** 2)) - 1.0) < 1e-3
    y = resample_48k_to_16k(np.sin(2 * np.pi * 10000 * t))[200:-200]
    assert np.max(np.abs(y)) < 1e-3


def main(argv):
    _self_check()
    if len(argv) == 3 and argv[1] == "fixture":
        write_fixture(argv[2])
    elif len(argv) == 4 and argv[1] == "wav":
        mel = melspectrogram(np.fromfile(argv[2], dtype="<f4"))
        write_f32(argv[3], mel)
        print("wrote %s %s" % (argv[3], mel.shape))
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
