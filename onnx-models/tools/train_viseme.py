#!/usr/bin/python3
"""Trains LiveHost's audio-to-viseme model on the espeak-ng corpus that VisemeDataset wrote, and exports it.

Model contract (viseme-v1): input "mel" [B,1,80,16] float32 = 16 columns of Wav2Lip's mel spectrogram (80 columns
a second, onnx-models/tools/melspec.py) centred on time t: columns int(80 t) - 8 .. int(80 t) + 7, columns outside
the signal set to -4. Output "logits" [B,15] in LiveHost.Speech.Viseme order. Label: the viseme of the last phoneme
mark at or before t (Silence before the first mark and after the end of the audio).

Each utterance is padded with PAD_SECONDS of digital silence on both sides before resampling, as the server's
audio is silent between lines; those frames are labelled Silence.

Run with /usr/bin/python3 (Debian's torch 1.13, numpy, onnx). CPU only, fixed seeds, deterministic algorithms.
  /usr/bin/python3 onnx-models/tools/train_viseme.py [--data onnx-models/.data/viseme-corpus]
        [--out onnx-models/viseme] [--steps N] [--batch N] [--seed N]
"""
import argparse
import hashlib
import json
import multiprocessing
import os
import platform
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import python_deps  # noqa: E402

python_deps.require("numpy", "torch", "onnx")

import numpy as np  # noqa: E402
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import melspec  # noqa: E402  (the reference front end; LiveHost.Inference's C# is tested against it)

VISEMES = ["Silence", "PP", "FF", "TH", "DD", "KK", "CH", "SS", "NN", "RR", "AA", "E", "I", "O", "U"]
NUM_CLASSES = len(VISEMES)
SR_IN = 48000
PAD_SECONDS = 0.3
PAD_IN = int(PAD_SECONDS * SR_IN)
COLS = melspec.WINDOW_COLUMNS          # 16
HALF = COLS // 2                       # 8 columns before t
FLOOR = -melspec.MAX_ABS_VALUE         # -4
TRAIN_FPS = 100
EVAL_FPS = 25
FEATURE_VERSION = 2                    # bump when the features below change


# ---- front end ------------------------------------------------------------------------------------------------------

def resample_48k_to_16k_fast(x):
    """melspec.resample_48k_to_16k computed as one strided matrix product (the reference loops in Python)."""
    x = np.asarray(x, dtype=np.float64)
    h = melspec.resample_filter()
    d = melspec.RESAMPLE_HALF_TAPS
    padded = np.concatenate([np.zeros(d), x, np.zeros(d + 3)])
    out_len = (len(x) + 2) // 3
    view = np.lib.stride_tricks.as_strided(padded, shape=(out_len, 2 * d + 1), strides=(3 * padded.strides[0], padded.strides[0]))
    return (view @ h[::-1]).astype(np.float32)


_MEL_BASIS = None


def melspectrogram_fast(wav16k):
    """melspec.melspectrogram with a cached filter bank and a strided frame view (same arithmetic, float64)."""
    global _MEL_BASIS
    if _MEL_BASIS is None:
        _MEL_BASIS = melspec.mel_filterbank()
    y = melspec.preemphasis(wav16k)
    pad = melspec.N_FFT // 2
    padded = np.pad(y, pad, mode="reflect")
    t = 1 + (len(padded) - melspec.N_FFT) // melspec.HOP
    frames = np.lib.stride_tricks.as_strided(padded, shape=(t, melspec.N_FFT), strides=(melspec.HOP * padded.strides[0], padded.strides[0]))
    mag = np.abs(np.fft.rfft(frames * melspec.hann_periodic(), axis=1)).T
    s = 20.0 * np.log10(np.maximum(1e-5, _MEL_BASIS @ mag)) - melspec.REF_LEVEL_DB
    a = melspec.MAX_ABS_VALUE
    return np.clip((2 * a) * ((s - melspec.MIN_LEVEL_DB) / (-melspec.MIN_LEVEL_DB)) - a, -a, a).astype(np.float32)


def check_fast_front_end():
    """The fast versions must match melspec.py, the reference the C# front end is tested against."""
    rng = np.random.default_rng(7)
    x = (rng.standard_normal(9601) * 0.3).astype(np.float32)
    x[:2000] = 0
    a = melspec.resample_48k_to_16k(x)
    b = resample_48k_to_16k_fast(x)
    assert a.shape == b.shape and float(np.max(np.abs(a - b))) < 1e-6, "fast resampler differs from melspec.py"
    ma, mb = melspec.melspectrogram(a), melspectrogram_fast(a)
    assert ma.shape == mb.shape and float(np.max(np.abs(ma - mb))) < 1e-4, "fast mel differs from melspec.py"


def labels_at(times_s, offsets, visemes, n_samples):
    """Viseme at each time (seconds from the start of the unpadded utterance audio)."""
    pos = times_s * SR_IN
    idx = np.searchsorted(offsets, pos, side="right") - 1       # last mark at or before t (ties: the later mark)
    out = np.where(idx >= 0, visemes[np.maximum(idx, 0)], 0)
    out[(pos < 0) | (pos >= n_samples)] = 0
    return out.astype(np.int64)


def window_starts(times_padded_s):
    """Column where each centred window starts, in the padded utterance's own spectrogram (may be negative)."""
    return np.array([int(melspec.MEL_COLUMNS_PER_SECOND * t) - HALF for t in times_padded_s], dtype=np.int64)


def load_features(data_dir, cache_path, workers=2):
    manifest_path = os.path.join(data_dir, "utterances.jsonl")
    with open(manifest_path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    if os.path.exists(cache_path):
        cached = np.load(cache_path, allow_pickle=False)
        if str(cached["digest"]) == digest and int(cached["version"]) == FEATURE_VERSION:
            print("features: cached %s" % cache_path)
            meta = json.loads(str(cached["meta"]))
            return cached["mel"], meta
    check_fast_front_end()
    records = [json.loads(line) for line in open(manifest_path, encoding="utf-8")]
    mels, meta = [], []
    column = 0
    started = time.time()
    with multiprocessing.Pool(workers) as pool:
        blocks = pool.imap(_utterance_features, [os.path.join(data_dir, r["audio"]) for r in records], chunksize=8)
        for i, (r, (block, columns)) in enumerate(zip(records, blocks)):
            mels.append(block)
            meta.append({"id": r["id"], "split": r["split"], "language": r["language"], "voice": r["voice"],
                         "rate": r["rate"], "sentence": r["sentence"], "samples": r["samples"],
                         "columns": columns, "base": column,
                         "offsets": [m[0] for m in r["marks"]], "visemes": [m[2] for m in r["marks"]]})
            column += block.shape[0]
            if (i + 1) % 500 == 0:
                print("features: %d/%d utterances, %.0f s" % (i + 1, len(records), time.time() - started), flush=True)
    mel_all = np.concatenate(mels, axis=0)
    np.savez(cache_path, mel=mel_all, meta=json.dumps(meta), digest=digest, version=FEATURE_VERSION)
    print("features: %d utterances, %d columns in %.0f s" % (len(meta), mel_all.shape[0], time.time() - started))
    return mel_all, meta


def _utterance_features(audio_path):
    """Padded utterance -> time-major mel with HALF floor columns each side, so any centred window is a slice."""
    pcm = np.fromfile(audio_path, dtype="<i2").astype(np.float32) / 32768.0
    padded = np.concatenate([np.zeros(PAD_IN, np.float32), pcm, np.zeros(PAD_IN, np.float32)])
    mel = melspectrogram_fast(resample_48k_to_16k_fast(padded))      # [80, T]
    block = np.full((mel.shape[1] + 2 * HALF, melspec.NUM_MELS), FLOOR, np.float32)
    block[HALF:HALF + mel.shape[1]] = mel.T
    return block, int(mel.shape[1])


def build_windows(meta, split, fps):
    """(global start column, label, language index) of every frame at fps over the padded utterances of a split."""
    starts, labels, langs = [], [], []
    for u in meta:
        if u["split"] != split:
            continue
        padded_seconds = (u["samples"] + 2 * PAD_IN) / SR_IN
        n = int(np.ceil(padded_seconds * fps))
        t = np.arange(n) / float(fps)
        local = window_starts(t)                               # relative to the padded spectrogram's column 0
        starts.append(u["base"] + HALF + local)                # + HALF: the floor columns stored before it
        offsets = np.asarray(u["offsets"], dtype=np.float64)
        order = np.argsort(offsets, kind="stable")
        labels.append(labels_at(t - PAD_SECONDS, offsets[order], np.asarray(u["visemes"])[order], u["samples"]))
        langs.append(np.full(n, 0 if u["language"] == "en" else 1))
    return np.concatenate(starts), np.concatenate(labels), np.concatenate(langs)


def gather(mel_all, starts):
    idx = starts[:, None] + np.arange(COLS)[None, :]           # [B,16]
    w = mel_all[idx]                                            # [B,16,80]
    return torch.from_numpy(np.ascontiguousarray(w.transpose(0, 2, 1)))[:, None]   # [B,1,80,16]


# ---- model ----------------------------------------------------------------------------------------------------------

class VisemeNet(nn.Module):
    """A small time-convolution net: the 80 mel bins are channels, the 16 columns are time."""

    def __init__(self):
        super().__init__()

        def block(cin, cout, stride):
            return nn.Sequential(nn.Conv1d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm1d(cout), nn.ReLU())

        # 16 -> 16 -> 8 -> 4 time steps; about 0.6 M multiply-adds a window.
        self.features = nn.Sequential(block(80, 64, 1), block(64, 96, 2), block(96, 128, 2))
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(0.1), nn.Linear(128 * 4, 96), nn.ReLU(), nn.Linear(96, NUM_CLASSES))

    def forward(self, mel):
        x = mel.reshape(mel.shape[0], 80, COLS)
        return self.head(self.features(x))


# ---- evaluation -----------------------------------------------------------------------------------------------------

def predict(model, mel_all, starts, batch=4096):
    model.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(starts), batch):
            out.append(model(gather(mel_all, starts[i:i + batch])).numpy())
    return np.concatenate(out)


def metrics(logits, labels, majority):
    pred = logits.argmax(1)
    top2 = np.argsort(-logits, axis=1)[:, :2]
    speech = labels != 0
    conf = np.zeros((NUM_CLASSES, NUM_CLASSES), np.int64)
    np.add.at(conf, (labels, pred), 1)
    recall = {VISEMES[c]: (round(float(conf[c, c] / conf[c].sum()), 4) if conf[c].sum() else None) for c in range(NUM_CLASSES)}
    return {
        "frames": int(len(labels)),
        "accuracy": round(float((pred == labels).mean()), 4),
        "top2_accuracy": round(float((top2 == labels[:, None]).any(1).mean()), 4),
        "accuracy_excluding_silence": round(float((pred[speech] == labels[speech]).mean()), 4),
        "majority_baseline_accuracy": round(float((labels == majority).mean()), 4),
        "silence_frames_fraction": round(float((~speech).mean()), 4),
        "per_class_recall": recall,
        "confusion": conf.tolist(),
    }


def confusion_highlights(conf, top=8):
    conf = np.asarray(conf)
    pairs = []
    for t in range(NUM_CLASSES):
        total = conf[t].sum()
        for p in range(NUM_CLASSES):
            if t != p and conf[t, p] > 0:
                pairs.append((int(conf[t, p]), VISEMES[t], VISEMES[p], round(float(conf[t, p] / total), 3)))
    pairs.sort(reverse=True)
    return [{"true": t, "predicted": p, "frames": n, "fraction_of_true": f} for n, t, p, f in pairs[:top]]


# ---- main -----------------------------------------------------------------------------------------------------------

def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.normpath(os.path.join(here, ".."))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=os.path.join(root, ".data", "viseme-corpus"))
    parser.add_argument("--out", default=os.path.join(root, "viseme"))
    parser.add_argument("--cache", default=os.path.join(root, ".data", "viseme-features.npz"), help="feature cache (.npz)")
    parser.add_argument("--steps", type=int, default=1500)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--threads", type=int, default=1,
                        help="torch CPU threads; 1 is faster for this small net and the result is bit-identical for a given count")
    args = parser.parse_args(argv)

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.use_deterministic_algorithms(True)
    rng = np.random.default_rng(args.seed)

    mel_all, meta = load_features(args.data, args.cache)
    tr_starts, tr_labels, _ = build_windows(meta, "train", TRAIN_FPS)
    ho_starts, ho_labels, ho_langs = build_windows(meta, "heldout", EVAL_FPS)
    ho100_starts, ho100_labels, _ = build_windows(meta, "heldout", TRAIN_FPS)
    train_sentences = {(u["language"], u["sentence"]) for u in meta if u["split"] == "train"}
    held_sentences = {(u["language"], u["sentence"]) for u in meta if u["split"] == "heldout"}
    assert not (train_sentences & held_sentences), "a held-out sentence is also in training"
    counts = np.bincount(tr_labels, minlength=NUM_CLASSES)
    majority = int(counts.argmax())
    print("train windows (%d fps): %d; held-out windows (%d fps): %d; majority class %s (%.1f%%)"
          % (TRAIN_FPS, len(tr_labels), EVAL_FPS, len(ho_labels), VISEMES[majority], 100 * counts[majority] / counts.sum()))

    model = VisemeNet()
    params = sum(p.numel() for p in model.parameters())
    print("model: %d parameters" % params)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=args.steps, pct_start=0.1)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=0.05)

    started = time.time()
    order = rng.permutation(len(tr_labels))
    cursor = 0
    model.train()
    for step in range(args.steps):
        if cursor + args.batch > len(order):
            order = rng.permutation(len(tr_labels))
            cursor = 0
        idx = order[cursor:cursor + args.batch]
        cursor += args.batch
        x = gather(mel_all, tr_starts[idx])
        # Small level jitter: espeak's loudness varies little, but real mixes do (mel is log, so this is a gain).
        x = torch.clamp(x + torch.from_numpy(rng.uniform(-0.4, 0.4, (len(idx), 1, 1, 1)).astype(np.float32)), -4, 4)
        y = torch.from_numpy(tr_labels[idx])
        loss = loss_fn(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if (step + 1) % 500 == 0:
            print("step %d/%d loss %.3f  %.0f s" % (step + 1, args.steps, loss.item(), time.time() - started), flush=True)
    train_seconds = time.time() - started
    epochs = args.steps * args.batch / len(tr_labels)

    model.eval()
    logits = predict(model, mel_all, ho_starts)
    report_eval = {"overall": metrics(logits, ho_labels, majority)}
    for li, lang in enumerate(["en", "zh"]):
        m = ho_langs == li
        report_eval[lang] = metrics(logits[m], ho_labels[m], majority)
    report_eval["overall_100fps"] = {k: v for k, v in metrics(predict(model, mel_all, ho100_starts), ho100_labels, majority).items()
                                     if k not in ("confusion", "per_class_recall")}
    tr_logits = predict(model, mel_all, tr_starts[::4])
    train_acc = round(float((tr_logits.argmax(1) == tr_labels[::4]).mean()), 4)

    # Latency: one window at a time, one thread, as the server calls it per video frame.
    torch.set_num_threads(1)
    one = gather(mel_all, ho_starts[:1])
    runs = []
    with torch.no_grad():
        for _ in range(50):
            model(one)
        # Best of 10 runs of 100 calls: the least disturbed by other work on a shared machine.
        for _ in range(10):
            t0 = time.perf_counter()
            for _ in range(100):
                model(one)
            runs.append((time.perf_counter() - t0) / 100 * 1000)
    latency_ms = min(runs)
    torch.set_num_threads(args.threads)

    os.makedirs(args.out, exist_ok=True)
    onnx_path = os.path.join(args.out, "viseme-v1.onnx")
    torch.onnx.export(model, torch.zeros(2, 1, 80, COLS), onnx_path, opset_version=13, do_constant_folding=True,
                      input_names=["mel"], output_names=["logits"],
                      dynamic_axes={"mel": {0: "batch"}, "logits": {0: "batch"}})
    import onnx
    onnx_model = onnx.load(onnx_path)
    onnx.checker.check_model(onnx_model)
    onnx_model.doc_string = ("LiveHost viseme-v1: mel [B,1,80,16] (Wav2Lip mel, 16 columns centred on t) -> logits [B,15] "
                             "in LiveHost.Speech.Viseme order (%s). Trained on espeak-ng speech by onnx-models/tools/train_viseme.py."
                             % ",".join(VISEMES))
    onnx.save(onnx_model, onnx_path)
    onnx_bytes = os.path.getsize(onnx_path)
    with open(onnx_path, "rb") as f:
        onnx_sha = hashlib.sha256(f.read()).hexdigest()
    # Reference outputs for a C# test of the exported file: three held-out windows and their logits.
    probe_idx = np.array([0, len(ho_starts) // 3, 2 * len(ho_starts) // 3])
    probe_x = gather(mel_all, ho_starts[probe_idx])
    with torch.no_grad():
        probe_y = model(probe_x).numpy()

    summary = json.load(open(os.path.join(args.data, "summary.json")))
    utt = lambda split, lang=None: sum(1 for u in meta if u["split"] == split and (lang is None or u["language"] == lang))
    secs = lambda split, lang=None: round(sum(u["samples"] for u in meta if u["split"] == split and (lang is None or u["language"] == lang)) / SR_IN, 1)
    report = {
        "model": {"file": "viseme-v1.onnx", "bytes": onnx_bytes, "sha256": onnx_sha, "parameters": params, "opset": 13,
                  "inputs": {"mel": ["batch", 1, 80, 16]}, "outputs": {"logits": ["batch", NUM_CLASSES]},
                  "classes": VISEMES, "torch_cpu_latency_ms_per_window_1_thread": round(latency_ms, 3),
                  "latency_note": "torch eager, batch 1, best of 10 runs of 100 calls"},
        "dataset": {
            "corpus_summary": summary,
            "utterances": {s: {"all": utt(s), "en": utt(s, "en"), "zh": utt(s, "zh")} for s in ("train", "heldout")},
            "speech_seconds": {s: {"all": secs(s), "en": secs(s, "en"), "zh": secs(s, "zh")} for s in ("train", "heldout")},
            "sentences": {"train": len(train_sentences), "heldout": len(held_sentences), "overlap": 0},
            "pad_seconds_each_side": PAD_SECONDS,
            "train_windows": int(len(tr_labels)), "train_fps": TRAIN_FPS,
            "heldout_windows": int(len(ho_labels)), "eval_fps": EVAL_FPS,
            "train_class_counts": {VISEMES[c]: int(counts[c]) for c in range(NUM_CLASSES)},
        },
        "training": {"seed": args.seed, "steps": args.steps, "batch": args.batch, "epochs": round(epochs, 2), "lr": args.lr,
                     "optimizer": "AdamW(wd=1e-4) + OneCycleLR", "loss": "cross-entropy, label smoothing 0.05",
                     "augmentation": "uniform level shift +-0.4 on the normalized mel, clamped to [-4,4]",
                     "threads": args.threads, "seconds": round(train_seconds, 1), "train_accuracy_25pct_subsample": train_acc,
                     "torch": torch.__version__, "numpy": np.__version__, "python": platform.python_version(),
                     "machine": platform.machine()},
        "heldout": report_eval,
        "confusion_highlights": confusion_highlights(report_eval["overall"]["confusion"]),
        "majority_class": VISEMES[majority],
        "probe": {"note": "held-out windows and the trained model's logits, for a test of the exported ONNX file",
                  "mel": probe_x.numpy().round(6).reshape(3, -1).tolist(), "logits": probe_y.round(6).tolist()},
        "commands": [
            "onnx-models/tools/train-viseme.sh",
            "dotnet build -c Release onnx-models/tools/VisemeDataset",
            "dotnet onnx-models/tools/VisemeDataset/bin/Release/net10.0/VisemeDataset.dll --corpus onnx-models/tools/corpus "
            "--out onnx-models/.data/viseme-corpus --en-sentences 1200 --zh-sentences 1200 --takes 2 --heldout 0.15 --seed 20261125",
            "/usr/bin/python3 onnx-models/tools/train_viseme.py --steps %d --batch %d --lr %g --seed %d --threads %d"
            % (args.steps, args.batch, args.lr, args.seed, args.threads),
        ],
    }
    with open(os.path.join(args.out, "viseme-v1.report.json"), "w") as f:
        json.dump(report, f, indent=1)
        f.write("\n")
    with open(os.path.join(args.out, "REPORT.md"), "w") as f:
        f.write(render_markdown(report))
    o = report_eval["overall"]
    print("held-out @%dfps: accuracy %.3f (majority %.3f), top-2 %.3f, excluding silence %.3f; en %.3f zh %.3f; %.0f s training; %d bytes"
          % (EVAL_FPS, o["accuracy"], o["majority_baseline_accuracy"], o["top2_accuracy"], o["accuracy_excluding_silence"],
             report_eval["en"]["accuracy"], report_eval["zh"]["accuracy"], train_seconds, onnx_bytes))
    return 0


def render_markdown(r):
    ho = r["heldout"]
    ds = r["dataset"]
    lines = [
        "# viseme-v1: audio-to-viseme model, trained on espeak-ng speech",
        "",
        "Written by `onnx-models/tools/train_viseme.py`; regenerate everything with `onnx-models/tools/train-viseme.sh`.",
        "Numbers are from held-out **sentences** (never seen in training, in any voice), synthesized by the same",
        "espeak-ng voices as training. They say nothing about real human speech, which was never tested.",
        "",
        "## Model",
        "",
        "- `viseme-v1.onnx`: %d bytes, %d parameters, opset %d, sha256 `%s`" % (
            r["model"]["bytes"], r["model"]["parameters"], r["model"]["opset"], r["model"]["sha256"]),
        "- input `mel` [batch,1,80,16]: Wav2Lip mel columns int(80 t)-8 .. int(80 t)+7 (-4 outside the signal); "
        "output `logits` [batch,15] in `LiveHost.Speech.Viseme` order: %s" % ", ".join(r["model"]["classes"]),
        "- torch CPU latency, one window, one thread (eager torch, best of 10 runs of 100 calls): %.3f ms" % r["model"]["torch_cpu_latency_ms_per_window_1_thread"],
        "",
        "## Data",
        "",
        "| split | utterances (en / zh) | speech seconds (en / zh) | sentences |",
        "|---|---|---|---|",
    ]
    for s in ("train", "heldout"):
        u, sec = ds["utterances"][s], ds["speech_seconds"][s]
        lines.append("| %s | %d (%d / %d) | %.0f (%.0f / %.0f) | %d |" % (s, u["all"], u["en"], u["zh"], sec["all"], sec["en"], sec["zh"], ds["sentences"][s]))
    cs = ds["corpus_summary"]
    lines += [
        "",
        "Sentences come from seeded templates over word lists (`tools/corpus/`); voices en-us, en-gb, en-us-f, cmn, cmn-f;",
        "each sentence spoken %d times in different voices, rates drawn from %s wpm, pitch from %s. Each utterance is padded with"
        % (cs["takes"], cs["rates"], cs["pitches"]),
        "%.1f s of silence on both sides. Training windows: %d (every 1/%d s); held-out windows: %d (every 1/%d s, the video rate)."
        % (ds["pad_seconds_each_side"], ds["train_windows"], ds["train_fps"], ds["heldout_windows"], ds["eval_fps"]),
        "Held-out sentences share the training vocabulary and templates, so this measures generalisation to new",
        "word sequences and timings, not to new words.",
        "",
        "## Held-out results (%d fps)" % ds["eval_fps"],
        "",
        "| | frames | accuracy | top-2 | accuracy excl. Silence | majority baseline (%s) |" % r["majority_class"],
        "|---|---|---|---|---|---|",
    ]
    for k in ("overall", "en", "zh"):
        m = ho[k]
        lines.append("| %s | %d | %.3f | %.3f | %.3f | %.3f |" % (k, m["frames"], m["accuracy"], m["top2_accuracy"],
                                                            m["accuracy_excluding_silence"], m["majority_baseline_accuracy"]))
    m100 = ho["overall_100fps"]
    lines += [
        "",
        "At 100 fps on the same held-out utterances: accuracy %.3f, top-2 %.3f, excluding Silence %.3f."
        % (m100["accuracy"], m100["top2_accuracy"], m100["accuracy_excluding_silence"]),
        "",
        "Per-class recall (held-out, overall / en / zh):",
        "",
        "| viseme | overall | en | zh |",
        "|---|---|---|---|",
    ]
    fmt = lambda v: "-" if v is None else "%.3f" % v
    for c in r["model"]["classes"]:
        lines.append("| %s | %s | %s | %s |" % (c, fmt(ho["overall"]["per_class_recall"][c]), fmt(ho["en"]["per_class_recall"][c]),
                                               fmt(ho["zh"]["per_class_recall"][c])))
    lines += ["", "Most frequent confusions (true -> predicted):", ""]
    for h in r["confusion_highlights"]:
        lines.append("- %s -> %s: %d frames (%.1f%% of %s)" % (h["true"], h["predicted"], h["frames"], 100 * h["fraction_of_true"], h["true"]))
    t = r["training"]
    lines += [
        "",
        "## Training",
        "",
        "- seed %d, %d steps of batch %d (%.2f epochs over the %d fps windows), %s, %s" % (
            t["seed"], t["steps"], t["batch"], t["epochs"], ds["train_fps"], t["optimizer"], t["loss"]),
        "- augmentation: %s" % t["augmentation"],
        "- %.0f s of training on %d CPU threads (torch %s, numpy %s, python %s); training-set accuracy (every 4th window) %.3f" % (
            t["seconds"], t["threads"], t["torch"], t["numpy"], t["python"], t["train_accuracy_25pct_subsample"]),
        "- dataset seed %d (VisemeDataset `--seed`)" % cs["seed"],
        "",
        "## Commands",
        "",
        "```",
    ] + r["commands"] + ["```", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
