#!/usr/bin/python3
"""Converts an official Wav2Lip checkpoint (wav2lip.pth or wav2lip_gan.pth from github.com/Rudrabha/Wav2Lip) into a
LiveHost "wav2lip-96" ONNX model, and checks ONNX Runtime's output against torch's on probe inputs.

    /usr/bin/python3 onnx-models/tools/convert_wav2lip.py --checkpoint wav2lip_gan.pth --out wav2lip_gan.onnx [--fp16]

The checkpoint is what Wav2Lip's train.py saves: a dict whose "state_dict" holds the generator's weights under keys
with DataParallel's "module." prefix ("optimizer", "global_step" and "global_epoch" are ignored). A bare state dict,
with or without the prefix, is accepted too. It is unpickled with a restricted unpickler (only torch's tensor and
storage rebuilders and OrderedDict may be named; torch 1.13's weights_only loader refuses the floats in the optimizer
state), so a crafted file cannot run code. Its keys must match wav2lip_arch.Wav2LipGenerator exactly
(missing, unexpected and wrongly shaped keys are all listed, and nothing is written); only batch-norm
"num_batches_tracked" counters, which inference never reads, may be absent.

Output: OUT (inputs "mel" [B,1,80,16] and "face" [B,6,96,96], output "output" [B,3,96,96], float32, batch axis dynamic,
opset 13; with --fp16 the weights and activations are float16 and the inputs and outputs stay float32), and
OUT.probe.json: seeded probe inputs (batch 3) with torch's float32 output, which the check below and LiveHost's C#
check (VisemeDataset check-wav2lip OUT OUT.probe.json) compare ONNX Runtime against.

The ONNX Runtime check: Python's onnxruntime when installed (Debian has no package for it); otherwise LiveHost's own
C# runtime path (LiveHost.Inference's Wav2LipModel through the batching runner) via
`dotnet run --project onnx-models/tools/VisemeDataset -- check-wav2lip` when dotnet is on PATH. --ort-check none skips
it (the probe file is still written, to run the check later).

Exit codes: 0 converted and checked (or check skipped), 1 ONNX Runtime differs from torch beyond the tolerance (the
files are kept for inspection), 2 bad arguments or checkpoint (nothing written), 3 a Python module is not installed, 4 no ONNX
Runtime to check with (the files are written; run the printed command).
"""
import argparse
import base64
import io
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
import types

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import python_deps  # noqa: E402

python_deps.require("numpy", "torch", "onnx")

import numpy as np  # noqa: E402
import torch

import onnx_fp16  # noqa: E402
import wav2lip_arch  # noqa: E402

TOLERANCE_FP32 = 1e-4
TOLERANCE_FP16 = 2e-2
PROBE_BATCH = 3
PROBE_SEED = 13
PROBE_FORMAT = "livehost-wav2lip-probe-1"
PREFIX = "module."
LIST_AT_MOST = 12


class CheckpointError(Exception):
    """The checkpoint cannot be used; the message says why."""


class RestrictedUnpickler(pickle.Unpickler):
    """Unpickles tensors and plain containers only: any other global a pickle names is refused, so loading a
    checkpoint cannot import or call arbitrary code."""

    def find_class(self, module, name):
        allowed = ((module == "collections" and name == "OrderedDict")
                   or (module == "torch._utils" and name in ("_rebuild_tensor", "_rebuild_tensor_v2", "_rebuild_parameter"))
                   or (module == "torch" and name.endswith("Storage")))
        if not allowed:
            raise pickle.UnpicklingError("refusing to load %s.%s: a Wav2Lip checkpoint holds tensors and plain values only" % (module, name))
        return super().find_class(module, name)


# The pickle module with its Unpickler restricted. torch 1.13 ignores torch.load's pickle_module argument unless
# weights_only is set (it falls back to torch.serialization's own "pickle"), so load_state_dict also swaps that in.
restricted_pickle = types.ModuleType("restricted_pickle")
restricted_pickle.__dict__.update({k: v for k, v in pickle.__dict__.items() if not k.startswith("__")})
restricted_pickle.Unpickler = RestrictedUnpickler
restricted_pickle.load = lambda file, **kwargs: RestrictedUnpickler(file, **kwargs).load()
restricted_pickle.loads = lambda data, **kwargs: RestrictedUnpickler(io.BytesIO(data), **kwargs).load()


def restricted_torch_load(path):
    serialization = torch.serialization
    saved = serialization.pickle
    serialization.pickle = restricted_pickle
    try:
        return torch.load(path, map_location="cpu", pickle_module=restricted_pickle)
    finally:
        serialization.pickle = saved


def load_state_dict(path):
    """The generator's weights from an official checkpoint or a bare state dict, "module." prefix removed."""
    if not os.path.isfile(path):
        raise CheckpointError("checkpoint %s does not exist" % path)
    try:
        loaded = restricted_torch_load(path)
    except Exception as e:  # noqa: BLE001 - torch raises many kinds (pickle, zip, unsupported global)
        raise CheckpointError("cannot read %s as a torch checkpoint: %s" % (path, str(e).splitlines()[0] if str(e) else type(e).__name__))
    if not isinstance(loaded, dict):
        raise CheckpointError("%s holds a %s, not a dict: expected Wav2Lip's {'state_dict': ...} or a state dict" % (path, type(loaded).__name__))
    state = loaded["state_dict"] if "state_dict" in loaded else loaded
    if not isinstance(state, dict) or not state:
        raise CheckpointError("%s: 'state_dict' is empty or not a dict" % path)
    non_tensors = [k for k, v in state.items() if not torch.is_tensor(v)]
    if non_tensors:
        raise CheckpointError("%s: not a state dict (entries that are not tensors: %s)" % (path, _names(non_tensors)))
    return {(k[len(PREFIX):] if k.startswith(PREFIX) else k): v for k, v in state.items()}


def _names(keys):
    keys = sorted(keys)
    shown = ", ".join(keys[:LIST_AT_MOST])
    return shown + (" ... (%d in all)" % len(keys) if len(keys) > LIST_AT_MOST else "")


def check_keys(model, state):
    """Strict: every key of the architecture present with its shape, nothing extra. Raises CheckpointError listing all problems."""
    expected = model.state_dict()
    missing = [k for k in expected if k not in state and not k.endswith("num_batches_tracked")]
    unexpected = [k for k in state if k not in expected]
    shapes = ["%s %s (expected %s)" % (k, tuple(state[k].shape), tuple(v.shape))
              for k, v in expected.items() if k in state and tuple(state[k].shape) != tuple(v.shape)]
    problems = []
    if missing:
        problems.append("missing keys: " + _names(missing))
    if unexpected:
        problems.append("unexpected keys: " + _names(unexpected))
    if shapes:
        problems.append("wrong shapes: " + _names(shapes))
    if problems:
        raise CheckpointError("the checkpoint does not match Wav2Lip's 96x96 generator (wav2lip_arch.py): " + "; ".join(problems))


def load_generator(path):
    state = load_state_dict(path)
    model = wav2lip_arch.Wav2LipGenerator()
    check_keys(model, state)
    for key, value in model.state_dict().items():
        if key not in state:  # only num_batches_tracked may be absent (check_keys)
            state[key] = torch.zeros_like(value)
    model.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in state.items()}, strict=True)
    return model.eval()


def probe_inputs():
    rng = np.random.default_rng(PROBE_SEED)
    mel = (rng.standard_normal((PROBE_BATCH, 1, 80, 16)) * 2 - 2).astype(np.float32)  # roughly Wav2Lip's -4..4 range
    face = rng.random((PROBE_BATCH, 6, 96, 96)).astype(np.float32)
    face[:, :3, 48:, :] = 0  # the masked target's lower half, as the host feeds it
    return mel, face


def _b64(array):
    return base64.b64encode(np.ascontiguousarray(array, dtype="<f4").tobytes()).decode("ascii")


def write_probe(path, mel, face, want, precision, tolerance):
    import json
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"format": PROBE_FORMAT, "batch": PROBE_BATCH, "precision": precision, "tolerance": tolerance,
                   "torch": torch.__version__, "mel": _b64(mel), "face": _b64(face), "output": _b64(want)}, f)


def ort_check_python(out, mel, face, want, tolerance):
    """Max abs difference by Python's onnxruntime, or None when it is not installed."""
    try:
        import onnxruntime as ort
    except ImportError:
        return None
    session = ort.InferenceSession(out, providers=["CPUExecutionProvider"])
    got = session.run(None, {"mel": mel, "face": face})[0]
    diff = float(np.max(np.abs(got - want)))
    print("torch vs onnxruntime (python, CPU), batch %d: max abs diff %.2e (tolerance %.0e)" % (PROBE_BATCH, diff, tolerance))
    return diff


def dotnet_check_command(out, probe):
    project = os.path.join(HERE, "VisemeDataset")
    return ["dotnet", "run", "-c", "Release", "--project", project, "--", "check-wav2lip", out, probe]


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checkpoint", required=True, help="wav2lip.pth / wav2lip_gan.pth (official format) or a bare state dict")
    parser.add_argument("--out", required=True, help="the ONNX file to write")
    parser.add_argument("--fp16", action="store_true", help="float16 weights and activations (for GPUs); inputs and outputs stay float32")
    parser.add_argument("--opset", type=int, default=13)
    parser.add_argument("--ort-check", choices=["auto", "python", "dotnet", "none"], default="auto",
                        help="how to run ONNX Runtime on the probe (auto: python's onnxruntime, else LiveHost's C# check)")
    args = parser.parse_args(argv)
    if not args.out.endswith(".onnx"):
        parser.error("--out must name a .onnx file")
    torch.set_num_threads(2)

    started = time.time()
    try:
        model = load_generator(args.checkpoint)
    except CheckpointError as e:
        sys.stderr.write("%s: %s\n" % (os.path.basename(sys.argv[0]), e))
        return 2
    print("loaded %s: %d tensors, %.1f M parameters (%.1f s)" % (
        args.checkpoint, len(model.state_dict()), wav2lip_arch.parameter_count(model) / 1e6, time.time() - started))

    out_dir = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(out_dir, exist_ok=True)
    started = time.time()
    with tempfile.TemporaryDirectory(dir=out_dir) as scratch:
        fp32 = os.path.join(scratch, "fp32.onnx")
        wav2lip_arch.export(model, fp32, args.opset)
        if args.fp16:
            import onnx
            onnx.save(onnx_fp16.to_fp16(onnx.load(fp32)), args.out)
        else:
            shutil.move(fp32, args.out)
    precision = "fp16" if args.fp16 else "fp32"
    tolerance = TOLERANCE_FP16 if args.fp16 else TOLERANCE_FP32
    print("exported %s (%s, %.1f MB, opset %d, dynamic batch) in %.1f s" % (args.out, precision, os.path.getsize(args.out) / 1e6, args.opset, time.time() - started))

    mel, face = probe_inputs()
    with torch.no_grad():
        want = model(torch.from_numpy(mel), torch.from_numpy(face)).numpy()
    probe = args.out + ".probe.json"
    write_probe(probe, mel, face, want, precision, tolerance)
    print("wrote %s (torch %s output on %d seeded probe inputs)" % (probe, torch.__version__, PROBE_BATCH))

    if args.ort_check == "none":
        print("onnxruntime check skipped (--ort-check none); run: " + " ".join(dotnet_check_command(args.out, probe)))
        return 0
    if args.ort_check in ("auto", "python"):
        diff = ort_check_python(args.out, mel, face, want, tolerance)
        if diff is not None:
            return 0 if diff <= tolerance else _mismatch(diff, tolerance)
        print("onnxruntime for python is not installed (Debian has no package for it)")
        if args.ort_check == "python":
            return 4
    command = dotnet_check_command(args.out, probe)
    if shutil.which("dotnet") is None:
        print("no dotnet on PATH either: the model is NOT checked. Run later: " + " ".join(command))
        return 4
    print("checking with LiveHost's C# ONNX Runtime path: " + " ".join(command))
    code = subprocess.call(command)
    return 0 if code == 0 else (1 if code == 1 else 4)


def _mismatch(diff, tolerance):
    sys.stderr.write("onnxruntime's output differs from torch's by %.2e (> %.0e)\n" % (diff, tolerance))
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
