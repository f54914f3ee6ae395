using System.Net;
using System.Text;

namespace LiveHost.WebRtc.Ice;

/// <summary>
/// The server side of ICE for one viewer session, in the lite form (RFC 8445 §2.5): we publish one host candidate,
/// never send checks, always stay controlled, and only answer the browser's checks. The browser (controlling, full
/// ICE) decides; we send media to the source of the latest valid check that carried USE-CANDIDATE.
/// </summary>
/// <remarks>
/// Request handling, in the order the RFCs ask for it:
/// <code>
///  datagram -> STUN framing ok? -> Binding request? -> FINGERPRINT valid?         (else Ignored, no answer)
///           -> USERNAME and MESSAGE-INTEGRITY present?                          (else 400)
///           -> USERNAME == "localUfrag:remoteUfrag"?                            (else UnknownUsername, no answer)
///           -> MESSAGE-INTEGRITY verifies with our password?                    (else 401)
///           -> peer not claiming controlled as well?                            (else 487, signed)
///           -> success (XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY, FINGERPRINT); USE-CANDIDATE selects the source
/// </code>
/// Consent (RFC 7675): every valid check from the selected address (or any valid check before one is selected)
/// refreshes consent; once <see cref="IceLiteOptions.ConsentTimeout"/> passes without one, the caller must stop
/// sending. Until the first valid check the timeout counts from construction, so a session that never connects
/// also expires.
/// Threading: <see cref="Handle"/> is called by one receive loop; <see cref="SelectedRemote"/>, <see cref="LastConsent"/>
/// and <see cref="IsConsentExpired"/> may be read from any thread.
/// </remarks>
public sealed class IceLiteAgent
{
    /// <summary>The smallest response buffer <see cref="Handle"/> accepts; any answer it writes fits.</summary>
    public const int MinResponseBufferSize = 128;

    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _consentTimeout;
    private readonly byte[] _expectedUsername;
    private readonly byte[] _localKey;
    private readonly long _createdTimestamp;
    private IPEndPoint? _selectedRemote;
    private long _lastConsentTimestamp;
    private long _lastConsentUtcTicks;

    /// <summary>Creates the agent with fresh random local credentials.</summary>
    public IceLiteAgent(IceCredentials remote, TimeProvider timeProvider, IceLiteOptions? options = null)
        : this(IceCredentials.Generate(), remote, timeProvider, options)
    {
    }

    /// <summary>Creates the agent with given local credentials (for tests, or when the SDP answer was built first).</summary>
    public IceLiteAgent(IceCredentials local, IceCredentials remote, TimeProvider timeProvider, IceLiteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options ??= new IceLiteOptions();
        if (options.ConsentTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ConsentTimeout, "ConsentTimeout must be positive.");
        }

        Local = local;
        Remote = remote;
        _timeProvider = timeProvider;
        _consentTimeout = options.ConsentTimeout;
        // RFC 8445 §7.2.2: the browser's checks carry USERNAME "<our ufrag>:<its ufrag>", signed with OUR password.
        _expectedUsername = Encoding.UTF8.GetBytes(local.Ufrag + ":" + remote.Ufrag);
        _localKey = Encoding.UTF8.GetBytes(local.Password);
        _createdTimestamp = timeProvider.GetTimestamp();
    }

    /// <summary>Our ufrag and password, as published in the SDP answer.</summary>
    public IceCredentials Local { get; }

    /// <summary>The browser's ufrag and password, from its offer.</summary>
    public IceCredentials Remote { get; }

    /// <summary>Where to send media: the source of the latest valid nominating check; null until the browser nominates.</summary>
    public IPEndPoint? SelectedRemote => Volatile.Read(ref _selectedRemote);

    /// <summary>When consent was last refreshed by a valid check; null before the first one.</summary>
    public DateTimeOffset? LastConsent
    {
        get
        {
            long ticks = Interlocked.Read(ref _lastConsentUtcTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>True once no valid check has arrived for the consent timeout: stop sending and end the session.</summary>
    public bool IsConsentExpired
    {
        get
        {
            long last = Interlocked.Read(ref _lastConsentTimestamp);
            return _timeProvider.GetElapsedTime(last == 0 ? _createdTimestamp : last) > _consentTimeout;
        }
    }

    /// <summary>
    /// Reads the local ufrag ("ours" part of USERNAME) from a Binding request without validating it, so a shared-port
    /// receive loop can route the first check from an unknown address to the right session.
    /// </summary>
    public static bool TryGetLocalUfrag(ReadOnlySpan<byte> packet, out ReadOnlySpan<byte> localUfrag)
    {
        localUfrag = default;
        if (!StunMessage.TryParse(packet, out var message) || message.MessageType != StunMessageType.BindingRequest
            || !message.TryGetUsername(out var username))
        {
            return false;
        }

        int colon = username.IndexOf((byte)':');
        if (colon <= 0)
        {
            return false;
        }

        localUfrag = username.Slice(0, colon);
        return true;
    }

    /// <summary>
    /// Handles one datagram that <see cref="PacketClassifier"/> called STUN. When the result is an "answered" one,
    /// <paramref name="response"/> holds <paramref name="responseLength"/> bytes to send back to <paramref name="remote"/>;
    /// otherwise <paramref name="responseLength"/> is 0. Never throws for any content of <paramref name="request"/>,
    /// and allocates only when the selected address changes. <paramref name="response"/> may be the same buffer as
    /// <paramref name="request"/> (answering in place).
    /// </summary>
    public IceResult Handle(ReadOnlySpan<byte> request, IPEndPoint remote, Span<byte> response, out int responseLength)
    {
        ArgumentNullException.ThrowIfNull(remote);
        if (response.Length < MinResponseBufferSize)
        {
            throw new ArgumentException($"The response buffer must hold at least {MinResponseBufferSize} bytes.", nameof(response));
        }

        responseLength = 0;
        if (!StunMessage.TryParse(request, out var message)
            || message.MessageType != StunMessageType.BindingRequest
            || !message.VerifyFingerprint())
        {
            // RFC 8445 §7.3 / RFC 8489 §7.3: ICE checks always carry FINGERPRINT; anything else is not ours to answer.
            return IceResult.Ignored;
        }

        if (!message.TryGetUsername(out var username) || !message.HasMessageIntegrity)
        {
            responseLength = WriteError(response, message.TransactionId, 400, "Bad Request"u8, signed: false);
            return IceResult.BadRequest;
        }

        if (!username.SequenceEqual(_expectedUsername))
        {
            // Not ours (another session on the shared port, or an old ufrag): answering would only help a prober.
            return IceResult.UnknownUsername;
        }

        if (!message.VerifyMessageIntegrity(_localKey))
        {
            // RFC 8489 §9.1.3: 401 without MESSAGE-INTEGRITY, since we cannot prove who we are to an unverified peer.
            responseLength = WriteError(response, message.TransactionId, 401, "Unauthorized"u8, signed: false);
            return IceResult.Unauthorized;
        }

        if (message.TryGetIceControlled(out _))
        {
            // RFC 8445 §7.3.1.1: both sides controlled. A lite agent cannot take the controlling role, so the full
            // agent must switch: answer 487 whatever the tie-breakers say.
            responseLength = WriteError(response, message.TransactionId, 487, "Role Conflict"u8, signed: true);
            return IceResult.RoleConflict;
        }

        // Read everything from the request before writing: the caller may answer in place (response aliasing request).
        bool nominated = message.HasUseCandidate;
        var writer = new StunMessageWriter(response, StunMessageType.BindingSuccessResponse, message.TransactionId);
        writer.AddXorMappedAddress(remote.Address, remote.Port);
        writer.AddMessageIntegrity(_localKey);
        writer.AddFingerprint();
        responseLength = writer.Length;

        var selected = Volatile.Read(ref _selectedRemote);
        bool fromSelected = selected is not null && selected.Port == remote.Port && selected.Address.Equals(remote.Address);
        if (nominated && !fromSelected)
        {
            // Copy: callers commonly reuse one IPEndPoint per receive, and the selection must not move with it.
            Volatile.Write(ref _selectedRemote, new IPEndPoint(remote.Address, remote.Port));
            fromSelected = true;
        }

        if (fromSelected || selected is null)
        {
            Interlocked.Exchange(ref _lastConsentTimestamp, _timeProvider.GetTimestamp());
            Interlocked.Exchange(ref _lastConsentUtcTicks, _timeProvider.GetUtcNow().UtcTicks);
        }

        return nominated ? IceResult.Nominated : IceResult.Validated;
    }

    private int WriteError(Span<byte> response, ReadOnlySpan<byte> transactionId, int code, ReadOnlySpan<byte> reason, bool signed)
    {
        var writer = new StunMessageWriter(response, StunMessageType.BindingErrorResponse, transactionId);
        writer.AddErrorCode(code, reason);
        if (signed)
        {
            writer.AddMessageIntegrity(_localKey);
        }

        writer.AddFingerprint();
        return writer.Length;
    }
}
