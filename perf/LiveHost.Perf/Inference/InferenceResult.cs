using LiveHost.Perf.Measurement;

namespace LiveHost.Perf.Inference;

/// <summary>Everything one run of the <c>inference</c> benchmark measured.</summary>
public sealed record InferenceResult(
    DateTimeOffset StartedAt,
    string Command,
    MachineInfo Machine,
    string ExecutionProvider,
    string GpuNote,
    IReadOnlyList<ModelTiming> Models,
    FrontEndTiming MelFrontEnd,
    string FoundationSource,
    double RoomCoresWithoutModel,
    IReadOnlyList<RoomEstimate> Rooms,
    IReadOnlyList<string> Notes);
