using Xunit;

namespace LiveHost.Rtmp.Tests;

public sealed class RtmpUrlTests
{
    [Theory]
    [InlineData("rtmp://live.example.com/app/key123", "live.example.com", 1935, "app", "key123", "rtmp://live.example.com/app")]
    [InlineData("rtmp://127.0.0.1:19350/live/main", "127.0.0.1", 19350, "live", "main", "rtmp://127.0.0.1:19350/live")]
    [InlineData("RTMP://Host:1935/a/k?sign=x&t=1", "Host", 1935, "a", "k?sign=x&t=1", "rtmp://Host/a")]
    [InlineData("rtmp://[::1]:1936/live/k", "::1", 1936, "live", "k", "rtmp://[::1]:1936/live")]
    [InlineData("rtmps://live-api-s.facebook.com/rtmp/FB-1-2", "live-api-s.facebook.com", 443, "rtmp", "FB-1-2", "rtmps://live-api-s.facebook.com/rtmp")]
    [InlineData("RTMPS://127.0.0.1:8443/live/k", "127.0.0.1", 8443, "live", "k", "rtmps://127.0.0.1:8443/live")]
    public void Parses_host_port_app_and_stream_key(string text, string host, int port, string app, string key, string tcUrl)
    {
        var url = RtmpUrl.Parse(text);
        Assert.Equal((host, port, app, key), (url.Host, url.Port, url.App, url.StreamKey));
        Assert.Equal(tcUrl, url.TcUrl);
        Assert.Equal(tcUrl + "/****", url.Masked);
        Assert.DoesNotContain(key, url.ToString(), StringComparison.Ordinal);
        Assert.Equal(text.StartsWith("rtmps", StringComparison.OrdinalIgnoreCase), url.Secure);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("http://host/app/key", "rtmp or rtmps scheme (got 'http')")]
    [InlineData("srt://host:9000", "rtmp or rtmps scheme (got 'srt')")]
    [InlineData("host/app/key", "rtmp or rtmps scheme (got 'none')")]
    [InlineData("rtmps://host", "no host or no app")]
    [InlineData("rtmp://host", "no host or no app")]
    [InlineData("rtmp:///app/key", "no host or no app")]
    [InlineData("rtmp://host/app", "no stream key")]
    [InlineData("rtmp://host/app/", "stream key must be")]
    [InlineData("rtmp://host/app/key/extra", "single non-empty path segments")]
    [InlineData("rtmp://host:0/app/key", "invalid port '0'")]
    [InlineData("rtmp://host:99999/app/key", "invalid port '99999'")]
    [InlineData("rtmp://host:abc/app/key", "invalid port 'abc'")]
    [InlineData("rtmp://user:pw@host/app/key", "credentials")]
    [InlineData("rtmp://[::1/app/key", "unterminated IPv6")]
    public void Rejects_anything_else_with_a_message_that_says_what_is_wrong(string text, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => RtmpUrl.Parse(text));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.False(RtmpUrl.TryParse(text, out _, out var message));
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }
}

public sealed class RtmpUrlMaskingTests
{
    [Theory]
    [InlineData("rtmp://h/app?auth=SECRET/key", "rtmp://h/app?auth=****/****")]
    [InlineData("rtmp://h:1936/app?auth=SECRET&sign=OTHER/key?token=KEYTOKEN", "rtmp://h:1936/app?auth=****&sign=****/****")]
    [InlineData("rtmp://h/live/stream-key-123?expires=999&sig=abcdef", "rtmp://h/live/****")]
    [InlineData("rtmp://[2001:db8::1]/live/k", "rtmp://[2001:db8::1]/live/****")]
    public void Masked_hides_the_stream_key_and_every_query_value(string text, string masked)
    {
        var url = RtmpUrl.Parse(text);
        Assert.Equal(masked, url.Masked);
        Assert.Equal(masked, url.ToString());
        foreach (var secret in new[] { "SECRET", "OTHER", "KEYTOKEN", "stream-key-123", "abcdef" })
            Assert.DoesNotContain(secret, url.Masked, StringComparison.Ordinal);
    }

    [Fact]
    public void Scrub_removes_the_url_secrets_from_a_server_message()
    {
        var url = RtmpUrl.Parse("rtmp://h/app?auth=SECRET/mykey?token=KEYTOKEN");
        var scrubbed = url.Scrub("server refused publishing: NetStream.Publish.BadName mykey?token=KEYTOKEN (auth SECRET)");
        Assert.Equal("server refused publishing: NetStream.Publish.BadName **** (auth ****)", scrubbed);
    }

    [Fact]
    public void The_tc_url_still_carries_the_app_query_the_server_needs()
    {
        Assert.Equal("rtmp://h/app?auth=SECRET", RtmpUrl.Parse("rtmp://h/app?auth=SECRET/key").TcUrl);
    }

    [Fact]
    public void Credentials_in_the_url_are_refused_without_echoing_them()
    {
        Assert.False(RtmpUrl.TryParse("rtmp://user:hunter22@h/app/key", out _, out var error));
        Assert.DoesNotContain("hunter22", error, StringComparison.Ordinal);
    }
}
