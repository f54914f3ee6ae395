#!/usr/bin/python3
"""Writes a TEST FIXTURE checkpoint in exactly the format of Wav2Lip's released weights, with seeded random values.

Wav2Lip's train.py (github.com/Rudrabha/Wav2Lip) trains the generator inside nn.DataParallel and saves

    torch.save({"state_dict": model.state_dict(), "optimizer": optimizer.state_dict(),
                "global_step": step, "global_epoch": epoch}, path)

so every weight key carries the "module." prefix. This tool does the same with wav2lip_arch's generator (seeded
random weights, as wav2lip_arch.build_random) inside a real nn.DataParallel and a real Adam optimizer, so
convert_wav2lip.py can be tested on the format without the real weights. The optimizer has taken no step, so its
state holds no tensors (the released wav2lip_gan.pth also carries Adam's two moment tensors per weight, ~3x larger).

Usage: /usr/bin/python3 onnx-models/tools/make_wav2lip_checkpoint.py OUT.pth [--seed N] [--bare]
                     [--rename OLD=NEW]... [--reshape KEY]...
       --bare: save only the state dict, without the "module." prefix (the other layout convert_wav2lip.py accepts)
       --rename, --reshape: break the checkpoint on purpose (a key renamed; a tensor given another shape), for tests of
       the converter's key check. Keys are named as saved (with "module." unless --bare).
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import python_deps  # noqa: E402

python_deps.require("numpy", "torch")

import torch  # noqa: E402
from torch import nn, optim

import wav2lip_arch  # noqa: E402


def broken(state, args):
    """The state dict with the requested keys renamed and tensors reshaped (an extra leading axis of 1)."""
    for rename in args.rename:
        old, new = rename.split("=", 1)
        state[new] = state.pop(old)
    for key in args.reshape:
        state[key] = state[key].unsqueeze(0).clone()
    return state


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=wav2lip_arch.SEED)
    parser.add_argument("--bare", action="store_true")
    parser.add_argument("--rename", action="append", default=[], metavar="OLD=NEW")
    parser.add_argument("--reshape", action="append", default=[], metavar="KEY")
    args = parser.parse_args(argv)
    generator = wav2lip_arch.build_random(args.seed)
    if args.bare:
        torch.save(broken(generator.state_dict(), args), args.out)
    else:
        model = nn.DataParallel(generator)  # on a CPU-only machine it wraps without moving anything; keys get "module."
        optimizer = optim.Adam([p for p in model.parameters() if p.requires_grad], lr=1e-4)
        torch.save({"state_dict": broken(model.state_dict(), args), "optimizer": optimizer.state_dict(),
                    "global_step": 0, "global_epoch": 0}, args.out)
    print("wrote %s (%.1f MB, seed %d, %s)" % (args.out, os.path.getsize(args.out) / 1e6, args.seed,
                                              "bare state dict" if args.bare else "Wav2Lip checkpoint format"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
