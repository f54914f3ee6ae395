#!/usr/bin/python3
"""Wav2Lip's generator (Prajwal et al. 2020, github.com/Rudrabha/Wav2Lip, models/wav2lip.py) with SEEDED RANDOM
weights, exported to ONNX for cost measurements only. Its output is noise shaped like a face: it is not a lip-sync
model, and nothing here downloads or ships the real weights.

The layer list is the 96x96 generator of the original repository, re-stated as tables below. Module names follow
the original (face_encoder_blocks.N.M.conv_block.{0,1}, audio_encoder.N..., face_decoder_blocks..., output_block),
so a real checkpoint's state_dict (with its "module." prefix removed) would load into this module unchanged.

Contract ("wav2lip-96"): inputs "mel" [B,1,80,16] float32 (Wav2Lip mel window) and "face" [B,6,96,96] float32
(masked target face and reference face, channels stacked, values 0..1); output "output" [B,3,96,96] float32
(sigmoid, 0..1). The batch axis is dynamic.

Usage: /usr/bin/python3 onnx-models/tools/wav2lip_arch.py [OUT.onnx] [--opset N]
       default OUT: onnx-models/.generated/wav2lip-arch-random.onnx (~140 MB; gitignored, never committed)
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import python_deps  # noqa: E402

python_deps.require("numpy", "torch")

import numpy as np  # noqa: E402
import torch
from torch import nn

SEED = 0
DEFAULT_OUT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".generated", "wav2lip-arch-random.onnx"))


class ConvBnRelu(nn.Module):
    """Wav2Lip's Conv2d unit: conv, batch norm, optional identity shortcut added before the ReLU."""

    def __init__(self, cin, cout, kernel_size, stride, padding, residual=False):
        super().__init__()
        self.conv_block = nn.Sequential(nn.Conv2d(cin, cout, kernel_size, stride, padding), nn.BatchNorm2d(cout))
        self.act = nn.ReLU()
        self.residual = residual

    def forward(self, x):
        out = self.conv_block(x)
        if self.residual:
            out = out + x
        return self.act(out)


class ConvTransposeBnRelu(nn.Module):
    """Wav2Lip's Conv2dTranspose unit: transposed conv, batch norm, ReLU."""

    def __init__(self, cin, cout, kernel_size, stride, padding, output_padding=0):
        super().__init__()
        self.conv_block = nn.Sequential(
            nn.ConvTranspose2d(cin, cout, kernel_size, stride, padding, output_padding), nn.BatchNorm2d(cout))
        self.act = nn.ReLU()

    def forward(self, x):
        return self.act(self.conv_block(x))


# Each unit: (kind, cin, cout, kernel, stride, padding[, output_padding]); "C" conv unit, "R" residual conv unit
# (cin == cout, 3x3, stride 1, padding 1), "T" transposed conv unit. Spatial sizes for a 96x96 face in comments.
def _r(c):
    return ("R", c, c, 3, 1, 1)


FACE_ENCODER = [
    [("C", 6, 16, 7, 1, 3)],                                          # 96x96
    [("C", 16, 32, 3, 2, 1), _r(32), _r(32)],                         # 48x48
    [("C", 32, 64, 3, 2, 1), _r(64), _r(64), _r(64)],                 # 24x24
    [("C", 64, 128, 3, 2, 1), _r(128), _r(128)],                      # 12x12
    [("C", 128, 256, 3, 2, 1), _r(256), _r(256)],                     # 6x6
    [("C", 256, 512, 3, 2, 1), _r(512)],                              # 3x3
    [("C", 512, 512, 3, 1, 0), ("C", 512, 512, 1, 1, 0)],             # 1x1
]

# 80x16 mel -> 1x1: stride (3,1) 27x16, stride 3 9x6, stride (3,2) 3x3, 3x3 valid conv 1x1.
AUDIO_ENCODER = [
    ("C", 1, 32, 3, 1, 1), _r(32), _r(32),
    ("C", 32, 64, 3, (3, 1), 1), _r(64), _r(64),
    ("C", 64, 128, 3, 3, 1), _r(128), _r(128),
    ("C", 128, 256, 3, (3, 2), 1), _r(256),
    ("C", 256, 512, 3, 1, 0), ("C", 512, 512, 1, 1, 0),
]

# Each block's input is the previous block's output concatenated with the matching face encoder features
# (deepest first), hence the input widths 1024, 1024, 768, 512, 320, 160.
FACE_DECODER = [
    [("C", 512, 512, 1, 1, 0)],                                       # 1x1
    [("T", 1024, 512, 3, 1, 0, 0), _r(512)],                          # 3x3
    [("T", 1024, 512, 3, 2, 1, 1), _r(512), _r(512)],                 # 6x6
    [("T", 768, 384, 3, 2, 1, 1), _r(384), _r(384)],                  # 12x12
    [("T", 512, 256, 3, 2, 1, 1), _r(256), _r(256)],                  # 24x24
    [("T", 320, 128, 3, 2, 1, 1), _r(128), _r(128)],                  # 48x48
    [("T", 160, 64, 3, 2, 1, 1), _r(64), _r(64)],                     # 96x96
]


def _unit(spec):
    kind = spec[0]
    if kind == "C":
        return ConvBnRelu(*spec[1:6])
    if kind == "R":
        return ConvBnRelu(*spec[1:6], residual=True)
    if kind == "T":
        return ConvTransposeBnRelu(*spec[1:7])
    raise ValueError(kind)


class Wav2LipGenerator(nn.Module):
    def __init__(self):
        super().__init__()
        self.face_encoder_blocks = nn.ModuleList([nn.Sequential(*[_unit(u) for u in block]) for block in FACE_ENCODER])
        self.audio_encoder = nn.Sequential(*[_unit(u) for u in AUDIO_ENCODER])
        self.face_decoder_blocks = nn.ModuleList([nn.Sequential(*[_unit(u) for u in block]) for block in FACE_DECODER])
        # 64 decoder channels + 16 of the first face encoder block.
        self.output_block = nn.Sequential(ConvBnRelu(80, 32, 3, 1, 1), nn.Conv2d(32, 3, 1, 1, 0), nn.Sigmoid())

    def forward(self, mel, face):
        """mel [B,1,80,16], face [B,6,96,96] -> [B,3,96,96]. (The original also folds a time axis into the batch;
        the server batches frames itself, so only the 4-D form is exported.)"""
        skips = []
        x = face
        for block in self.face_encoder_blocks:
            x = block(x)
            skips.append(x)
        x = self.audio_encoder(mel)
        for block in self.face_decoder_blocks:
            x = torch.cat((block(x), skips.pop()), dim=1)
        return self.output_block(x)


def build_random(seed=SEED):
    """The generator with torch's default initialisation under a fixed seed, and batch-norm running statistics
    drawn at random too (mean N(0, 0.1), var U(0.5, 1.5)) so that eval-mode batch norm is not an identity."""
    torch.manual_seed(seed)
    model = Wav2LipGenerator()
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.normal_(0.0, 0.1)
                m.running_var.uniform_(0.5, 1.5)
    return model.eval()


def parameter_count(model):
    return sum(p.numel() for p in model.parameters())


def export(model, out_path, opset):
    os.makedirs(os.path.dirname(os.path.abspath(out_path)), exist_ok=True)
    mel = torch.randn(2, 1, 80, 16)
    face = torch.rand(2, 6, 96, 96)
    torch.onnx.export(
        model, (mel, face), out_path, opset_version=opset, do_constant_folding=True,
        input_names=["mel", "face"], output_names=["output"],
        dynamic_axes={"mel": {0: "batch"}, "face": {0: "batch"}, "output": {0: "batch"}})


def verify(model, out_path):
    import onnx
    onnx.checker.check_model(out_path)  # by path: works for models over 2 GB too, and loads nothing twice
    m = onnx.load(out_path, load_external_data=False)
    dims = {i.name: [d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim] for i in list(m.graph.input) + list(m.graph.output)}
    print("onnx.checker: ok; io shapes:", dims)
    try:
        import onnxruntime as ort  # noqa: F401 - optional; Debian's python has no onnxruntime
    except ImportError:
        print("onnxruntime for python not installed: torch-vs-onnx numeric comparison skipped")
        return
    sess = ort.InferenceSession(out_path, providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(1)
    mel = rng.standard_normal((3, 1, 80, 16)).astype(np.float32)
    face = rng.random((3, 6, 96, 96)).astype(np.float32)
    got = sess.run(None, {"mel": mel, "face": face})[0]
    with torch.no_grad():
        want = model(torch.from_numpy(mel), torch.from_numpy(face)).numpy()
    diff = float(np.max(np.abs(got - want)))
    print("torch vs onnxruntime: max abs diff %.2e" % diff)
    if diff > 1e-4:
        raise SystemExit("onnx output differs from torch")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", nargs="?", default=DEFAULT_OUT)
    parser.add_argument("--opset", type=int, default=13)
    args = parser.parse_args(argv)
    torch.set_num_threads(2)
    model = build_random()
    count = parameter_count(model)
    print("Wav2Lip generator (96x96), seeded random weights (seed %d): %d parameters (%.1f M)" % (SEED, count, count / 1e6))
    with torch.no_grad():
        out = model(torch.randn(1, 1, 80, 16), torch.rand(1, 6, 96, 96))
    assert tuple(out.shape) == (1, 3, 96, 96), out.shape
    started = time.time()
    export(model, args.out, args.opset)
    print("exported %s (%.1f MB) in %.1f s" % (args.out, os.path.getsize(args.out) / 1e6, time.time() - started))
    verify(model, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
