namespace LiveHost.WebRtc.Tests;

/// <summary>What /watch/{room}'s window.livehost.stats() reports (from RTCPeerConnection.getStats()).</summary>
public sealed record PlayerStats(
    double FramesDecoded, double FramesDropped, double TotalAudioEnergy, double AudioLevel, double PacketsLost,
    double? FrameWidth, double? FrameHeight, string? ConnectionState, double AudioPacketsReceived = 0, double TotalSamplesReceived = 0,
    double VideoPacketsReceived = 0);
