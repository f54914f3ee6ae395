namespace LiveHost.Host.Tests.Faults;

/// <summary>
/// The fault suite runs after every other test of this assembly and alone: it kills processes by what they are (the
/// AAC ffmpeg child of this test process), so no other in-process host may have one, and its recovery times are
/// measured without the rest of the suite competing for the two cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultCollection
{
    public const string Name = "Faults (run alone)";
}
