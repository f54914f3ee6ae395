using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace LiveHost.WebRtc.Ice.Tests;

public sealed class IceLiteAgentTests
{
    private static readonly IceCredentials BrowserCredentials = new("CXkd", "5nBJS8UY8H2k5mB/1fmDYq+k");
    private static readonly IPEndPoint Browser = new(IPAddress.Parse("192.168.1.20"), 54321);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));

    private IceLiteAgent NewAgent(TimeSpan? consentTimeout = null)
        => new(BrowserCredentials, _time, new IceLiteOptions { ConsentTimeout = consentTimeout ?? TimeSpan.FromSeconds(30) });

    [Fact]
    public void GeneratedCredentials_AreIceCharsOfRequiredLengthAndDiffer()
    {
        var a = IceCredentials.Generate();
        var b = IceCredentials.Generate();

        Assert.True(IceCredentials.IsValid(a.Ufrag, 4));
        Assert.True(IceCredentials.IsValid(a.Password, 22));
        Assert.True(a.Ufrag.Length >= 4 && a.Password.Length >= 22);
        Assert.NotEqual(a.Password, b.Password);
        Assert.DoesNotContain(a.Password, a.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc", "5nBJS8UY8H2k5mB/1fmDYq+k")]
    [InlineData("ab:d", "5nBJS8UY8H2k5mB/1fmDYq+k")]
    [InlineData("abcd", "tooShortPassword")]
    public void Credentials_OutsideRfc8839Grammar_AreRefused(string ufrag, string password)
        => Assert.Throws<ArgumentException>(() => new IceCredentials(ufrag, password));

    [Fact]
    public void NominatingCheck_SignedWithOurPassword_IsAnsweredAndSelectsTheSource()
    {
        var agent = NewAgent();
        byte[] request = BrowserCheck.Build(agent.Local.Ufrag, BrowserCredentials.Ufrag, agent.Local.Password);
        var response = new byte[IceLiteAgent.MinResponseBufferSize];

        var result = agent.Handle(request, Browser, response, out int length);

        Assert.Equal(IceResult.Nominated, result);
        Assert.Equal(Browser, agent.SelectedRemote);
        Assert.Equal(_time.GetUtcNow(), agent.LastConsent);
        Assert.True(StunMessage.TryParse(response.AsSpan(0, length), out var answer));
        Assert.Equal(StunMessageType.BindingSuccessResponse, answer.MessageType);
        Assert.Equal(request.AsSpan(8, 12).ToArray(), answer.TransactionId.ToArray());
        Assert.True(answer.TryGetXorMappedAddress(out var mapped));
        Assert.Equal(Browser, mapped);
        Assert.True(answer.VerifyMessageIntegrity(Encoding.UTF8.GetBytes(agent.Local.Password)));
        Assert.False(answer.VerifyMessageIntegrity(Encoding.UTF8.GetBytes(BrowserCredentials.Password)));
        Assert.True(answer.VerifyFingerprint());
    }

    [Fact]
    public void NominatingCheck_AnsweredInPlaceInTheRequestBuffer_StillNominates()
    {
        var agent = NewAgent();
        byte[] request = BrowserCheck.Build(agent.Local.Ufrag, BrowserCredentials.Ufrag, agent.Local.Password);
        var buffer = new byte[256];
        request.CopyTo(buffer, 0);

        var result = agent.Handle(buffer.AsSpan(0, request.Length), Browser, buffer, out int length);

        Assert.Equal(IceResult.Nominated, result);
        Assert.True(StunMessage.TryParse(buffer.AsSpan(0, length), out var answer));
        Assert.Equal(request.AsSpan(8, 12).ToArray(), answer.TransactionId.ToArray());
        Assert.True(answer.VerifyMessageIntegrity(Encoding.UTF8.GetBytes(agent.Local.Password)));
    }

    [Fact]
    public void DefaultOptions_GiveConsentThirtySeconds()
    {
        var agent = new IceLiteAgent(BrowserCredentials, _time);
        agent.Handle(BrowserCheck.Build(agent.Local.Ufrag, BrowserCredentials.Ufrag, agent.Local.Password), Browser, new byte[256], out _);

        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.False(agent.IsConsentExpired);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(agent.IsConsentExpired);
    }

    [Fact]
    public void NonPositiveConsentTimeout_IsRefused()
        => Assert.Throws<ArgumentOutOfRangeException>(() => NewAgent(TimeSpan.Zero));

    [Fact]
    public void CheckWithoutUseCandidate_IsAnsweredButSelectsNothing()
    {
        var agent = NewAgent();
        byte[] request = BrowserCheck.Build(agent.Local.Ufrag, BrowserCredentials.Ufrag, agent.Local.Password, useCandidate: false);

        var result = agent.Handle(request, Browser, new byte[256], out int length);

        Assert.Equal(IceResult.Validated, result);
        Assert.True(length > 0);
        Assert.Null(agent.SelectedRemote);
        Assert.NotNull(agent.LastConsent);
    }

    [Fact]
    public void LaterNominationFromAnotherAddress_MovesTheSelection()
    {
        var agent = NewAgent();
        var other = new IPEndPoint(IPAddress.Parse("2001:db8::7"), 40000);
        agent.Handle(BrowserCheck.Build(agent.Local.Ufrag, BrowserCredentials.Ufrag, agent.Local.Password), Browser, new byte[256], out _);

        var result = agent.Handle(BrowserCheck.Build(agent.Local.Ufrag, BrowserCredentials.Ufrag, agent.Local.Password), other, new byte[256], out _);

        Assert.Equal(IceResult.Nominated, result);
        Assert.Equal(other, agent.SelectedRemote);
    }

    [Fact]
    public void SelectedRemote_IsACopy_NotTheCallersReusedEndpoint()
    {
        var agent = NewAgent();
        var reused = new IPEndPoint(IPAddress.Parse("10.0.0.1"), 1000);
        agent.Handle(BrowserCheck.Build(agent.Local.Ufrag, BrowserCredentials.Ufrag, agent.Local.Password), reused, new byte[256], out _);

        reused.Port = 2000;

        Assert.Equal(1000, agent.SelectedRemote!.Port);
    }

    [Fact]
    public void CheckSignedWithTheBrowsersPassword_Gets401AndSelectsNothing()
    {
        var agent = NewAgent();
        byte[] request = BrowserCheck.Build(agent.Local.Ufrag, BrowserCredentials.Ufrag, BrowserCredentials.Password);
        var response = new byte[256];

        var result = agent.Handle(request, Browser, response, out int length);

        Assert.Equal(IceResult.Unauthorized, result);
        Assert.Null(agent.SelectedRemote);
        Assert.Null(agent.LastConsent);
        Assert.True(StunMessage.TryParse(response.AsSpan(0, length), out var answer));
        Assert.Equal(StunMessageType.BindingErrorResponse, answer.MessageType);
        Assert.True(answer.TryGetErrorCode(out int code, out _));
        Assert.Equal(401, code);
        Assert.False(answer.HasMessageIntegrity);
        Assert.True(answer.VerifyFingerprint());
    }

    [Theory]
    [InlineData("wrong:CXkd")]
    [InlineData("{0}:XXXX")]
    [InlineData("{0}")]
    public void CheckWithWrongUsername_IsNotAnsweredAndSelectsNothing(string usernameFormat)
    {
        var agent = NewAgent();
        string username = string.Format(System.Globalization.CultureInfo.InvariantCulture, usernameFormat, agent.Local.Ufrag);
        byte[] request = BrowserCheck.Build(agent.Local.Ufrag, BrowserCredentials.Ufrag, agent.Local.Password, usernameOverride: username);

        var result = agent.Handle(request, Browser, new byte[256], out int length);

        Assert.Equal(IceResult.UnknownUsername, result);
        Assert.Equal(0, length);
        Assert.Null(agent.SelectedRemote);
    }

    [Fact]
    public void CheckWithoutMessageIntegrity_Gets400()
    {
        var agent = NewAgent();
        byte[] request = BrowserCheck.Build(agent.Local.Ufrag, BrowserCredentials.Ufrag, agent.Local.Password, withIntegrity: false);
        var response = new byte[256];

        var result = agent.Handle(request, Browser, response, out int length);

        Assert.Equal(IceResult.BadRequest, result);
        Assert.True(StunMessage.TryParse(response.AsSpan(0, length), out var answer));
        Assert.True(answer.TryGetErrorCode(out int code, out _));
        Assert.Equal(400, code);
        Assert.Null(agent.SelectedRemote);
    }

    [Fact]
    public void CheckWithoutFingerprint_IsIgnored()
    {
        var agent = NewAgent();
        byte[] request = BrowserCheck.Build(agent.Local.Ufrag, BrowserCredentials.Ufrag, agent.Local.Password, withFingerprint: false);

        Assert.Equal(IceResult.Ignored, agent.Handle(request, Browser, new byte[256], out int length));
        Assert.Equal(0, length);
    }

    [Fact]
    public void PeerClaimingControlledToo_Gets487SignedWithOurPassword()
    {
        var agent = NewAgent();
        byte[] request = BrowserCheck.Build(agent.Local.Ufrag, BrowserCredentials.Ufrag, agent.Local.Password, controlled: true);
        var response = new byte[256];

        var result = agent.Handle(request, Browser, response, out int length);

        Assert.Equal(IceResult.RoleConflict, result);
        Assert.True(StunMessage.TryParse(response.AsSpan(0, length), out var answer));
        Assert.True(answer.TryGetErrorCode(out int code, out _));
        Assert.Equal(487, code);
        Assert.True(answer.VerifyMessageIntegrity(Encoding.UTF8.GetBytes(agent.Local.Password)));
        Assert.Null(agent.SelectedRemote);
    }

    [Fact]
    public void Rfc5769Request_ForAnotherSession_IsNotAnswered()
    {
        var agent = NewAgent();
        Assert.Equal(IceResult.UnknownUsername, agent.Handle(Rfc5769Vectors.Request, Browser, new byte[256], out int length));
        Assert.Equal(0, length);
    }

    [Fact]
    public void BindingIndicationAndResponses_AreIgnored()
    {
        var agent = NewAgent();
        var buffer = new byte[64];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingIndication, new byte[12]);
        writer.AddFingerprint();

        Assert.Equal(IceResult.Ignored, agent.Handle(writer.WrittenSpan, Browser, new byte[256], out _));
        Assert.Equal(IceResult.Ignored, agent.Handle(Rfc5769Vectors.Ipv4Response, Browser, new byte[256], out _));
    }

    [Fact]
    public void TryGetLocalUfrag_ReadsTheServerPartOfUsername()
    {
        byte[] request = BrowserCheck.Build("srvU", "brwU", "irrelevant-password-1234");

        Assert.True(IceLiteAgent.TryGetLocalUfrag(request, out var ufrag));
        Assert.Equal("srvU", Encoding.UTF8.GetString(ufrag));
        Assert.False(IceLiteAgent.TryGetLocalUfrag(Rfc5769Vectors.Ipv4Response, out _));
    }

    [Fact]
    public void Consent_ExpiresAfterTimeoutWithoutChecks_AndEachValidCheckRefreshesIt()
    {
        var agent = NewAgent(TimeSpan.FromSeconds(30));
        agent.Handle(BrowserCheck.Build(agent.Local.Ufrag, BrowserCredentials.Ufrag, agent.Local.Password), Browser, new byte[256], out _);

        _time.Advance(TimeSpan.FromSeconds(25));
        Assert.False(agent.IsConsentExpired);
        agent.Handle(BrowserCheck.Build(agent.Local.Ufrag, BrowserCredentials.Ufrag, agent.Local.Password, useCandidate: false), Browser, new byte[256], out _);
        Assert.Equal(_time.GetUtcNow(), agent.LastConsent);

        _time.Advance(TimeSpan.FromSeconds(25));
        Assert.False(agent.IsConsentExpired); // 50 s since the first check, 25 s since the refresh
        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.True(agent.IsConsentExpired);
    }

    [Fact]
    public void Consent_IsNotRefreshedByRejectedChecks()
    {
        var agent = NewAgent(TimeSpan.FromSeconds(10));
        agent.Handle(BrowserCheck.Build(agent.Local.Ufrag, BrowserCredentials.Ufrag, agent.Local.Password), Browser, new byte[256], out _);
        _time.Advance(TimeSpan.FromSeconds(8));

        agent.Handle(BrowserCheck.Build(agent.Local.Ufrag, BrowserCredentials.Ufrag, "wrongPasswordWrongPassword"), Browser, new byte[256], out _);
        _time.Advance(TimeSpan.FromSeconds(3));

        Assert.True(agent.IsConsentExpired);
    }

    [Fact]
    public void Consent_ForASessionThatNeverConnects_ExpiresFromCreation()
    {
        var agent = NewAgent(TimeSpan.FromSeconds(30));
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(agent.IsConsentExpired);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(agent.IsConsentExpired);
        Assert.Null(agent.LastConsent);
    }

    [Fact]
    public void Handle_ValidCheck_AllocatesNothingOnceSelected()
    {
        var agent = NewAgent();
        byte[] request = BrowserCheck.Build(agent.Local.Ufrag, BrowserCredentials.Ufrag, agent.Local.Password);
        var response = new byte[256];
        for (int i = 0; i < 100; i++)
        {
            agent.Handle(request, Browser, response, out _); // warm up JIT, HMAC provider and the selection copy
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            agent.Handle(request, Browser, response, out _);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }
}
