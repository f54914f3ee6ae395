using LiveHost.Perf.Measurement;

namespace LiveHost.Perf.Inference;

/// <summary>One model at one batch size: calls made, frames per second of wall time, and per-call latency.</summary>
public sealed record ModelTiming(string Model, int Batch, int Calls, double WallSeconds, double FramesPerSecond, Distribution LatencyMs, double ProcessCpuCores);

/// <summary>The mel front end (48 kHz audio to one [80, 16] window) per video frame, single-threaded.</summary>
public sealed record FrontEndTiming(int Frames, Distribution MicrosecondsPerFrame);

/// <summary>How many 25 fps rooms the CPU could drive with a model, and the arithmetic behind it.</summary>
public sealed record RoomEstimate(string Model, int Batch, double InferenceCoreMsPerFrame, double RoomCoresWithoutModel, double CoresPerRoom, double Rooms, string Arithmetic);
