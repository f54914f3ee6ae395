namespace LiveHost.Media;

/// <summary>The AAC AudioSpecificConfig (ISO 14496-3) of a room's current audio encode.</summary>
public sealed record AacConfig(byte[] AudioSpecificConfig, int SampleRate, int Channels);
