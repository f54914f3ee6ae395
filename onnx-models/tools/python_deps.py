"""Says which Python modules a LiveHost model tool needs, before it imports them, and how to install them.

Every tool here runs with Debian's /usr/bin/python3 and Debian's packages, none of which a fresh Debian 12 has:

    module  Debian package   used by
    numpy   python3-numpy    melspec.py, make_test_models.py, train_viseme.py, wav2lip_arch.py
    torch   python3-torch    train_viseme.py, wav2lip_arch.py (1.13 on Debian 12; CPU only)
    onnx    python3-onnx     make_test_models.py, train_viseme.py (ONNX export check)

`scripts/install-deps.sh --models` installs all three. A tool that finds one missing prints what to run and exits with
MISSING_EXIT_CODE, instead of a ModuleNotFoundError traceback.
"""
import importlib.util
import sys

PACKAGES = {"numpy": "python3-numpy", "torch": "python3-torch", "onnx": "python3-onnx"}
MISSING_EXIT_CODE = 3


def missing(*modules):
    """The modules (of those named) that cannot be imported."""
    return [m for m in modules if importlib.util.find_spec(m) is None]


def require(*modules):
    """Exits with a message naming the missing modules and the command that installs them, when any is missing."""
    absent = missing(*modules)
    if not absent:
        return
    packages = " ".join(PACKAGES.get(m, "python3-" + m) for m in absent)
    sys.stderr.write(
        f"{sys.argv[0]}: missing Python modules: {', '.join(absent)} (for {sys.executable}).\n"
        f"Install them with: scripts/install-deps.sh --models   (or: sudo apt-get install -y {packages})\n")
    sys.exit(MISSING_EXIT_CODE)
