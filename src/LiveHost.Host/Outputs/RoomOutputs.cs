using LiveHost.ControlPlane;
using LiveHost.Encoding;
using LiveHost.Engine.Options;
using LiveHost.Media;
using LiveHost.Engine.Rooms;
using LiveHost.Host.Rooms;
using LiveHost.Rtmp;

namespace LiveHost.Host.Outputs;

/// <summary>REST-managed outputs over each room's <see cref="RtmpOutputSet"/>; the kind comes from <see cref="OutputKinds"/>.</summary>
public sealed class RoomOutputs(LiveRooms rooms, LiveHostMetrics metrics) : IRoomOutputs
{
    public IReadOnlyList<OutputState> List(string room) => Find(room).ListOutputs();

    public OutputState Add(string room, AddOutputRequest request)
    {
        var live = Find(room);
        var url = request.Url ?? "";
        if (OutputKinds.Of(url, out var kindError) is null) throw Invalid(kindError);
        if (!RtmpUrl.TryParse(url, out var target, out var error)) throw Invalid(error);
        var trust = RtmpTlsTrust.System;
        if (request.TrustedCa is { } ca && !RtmpTlsTrust.TryFromPem(ca, out trust, out var caError)) throw Invalid(caError);
        if (OutputPresets.Refusal(request.Preset, live.EncodeProfile, target.Secure) is { } refusal) throw Invalid(refusal);
        if (live.StoppedReason is { } stopped) throw StoppedRoom(room, stopped);
        RtmpOutputInfo info;
        try
        {
            info = live.Outputs.Add(url, trust, request.Preset);
        }
        catch (ObjectDisposedException)
        {
            // Stopped between the check and the add: nothing was added, and nothing will publish this room again.
            throw StoppedRoom(room, live.StoppedReason ?? "the room is shutting down");
        }
        catch (ArgumentException refused)
        {
            // A host outputs may not reach (OutputAddressRefusedException), said as the policy says it; nothing is added.
            throw Invalid(refused.Message);
        }
        return LiveRoom.ToState(info);
    }

    public bool Remove(string room, string id)
    {
        if (!Find(room).Outputs.Remove(id)) return false;
        metrics.OutputRemoved(room, id);
        return true;
    }

    public OutputState? Pause(string room, string id) => Find(room).Outputs.Pause(id) is { } info ? LiveRoom.ToState(info) : null;

    public OutputState? Resume(string room, string id) => Find(room).Outputs.Resume(id) is { } info ? LiveRoom.ToState(info) : null;

    /// <summary>A configured output's trusted CA and preset, as messages naming the setting (<paramref name="at"/>); empty when fine.</summary>
    public static IEnumerable<string> ValidateConfigured(OutputOptions output, RtmpUrl url, MediaFormat format, EncoderOptions encoder, string at)
    {
        if (output.TrustedCa is { } ca)
        {
            if (!RtmpTlsTrust.TryFromPem(ca, out _, out var error)) yield return $"{at}:TrustedCa: {error}";
            else if (!url.Secure) yield return $"{at}:TrustedCa: trustedCa applies to rtmps:// outputs only; this URL is rtmp:// (no TLS)";
        }
        if (OutputPresets.Refusal(output.Preset, RoomEncodeProfile.Of(format, encoder), url.Secure) is { } refusal) yield return $"{at}:Preset: {refusal}";
    }

    private static CommandRejectedException Invalid(string message) => new(RejectionCode.InvalidInput, message);

    private static CommandRejectedException StoppedRoom(string room, string reason) =>
        new(RejectionCode.Unavailable, $"room '{room}' is stopped and takes no outputs: {reason}");

    private LiveRoom Find(string room) =>
        rooms.All.FirstOrDefault(r => r.Name == room) ?? throw new CommandRejectedException(RejectionCode.UnknownRoom, $"unknown room '{room}'");
}
