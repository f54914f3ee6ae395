using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace LiveHost.ControlPlane.Tests;

public sealed class AuditArgumentsTests
{
    private static string Canonical(object value, Func<string, bool>? isKey = null) =>
        AuditArguments.Canonical(JsonSerializer.SerializeToElement(value), isKey);

    [Fact]
    public void Members_are_sorted_by_name_without_whitespace_and_strings_escaped_as_rfc_8785()
    {
        var text = Canonical(new Dictionary<string, object?> { ["b"] = 1.5, ["a"] = "x\"\\\n\u0001é中", ["B"] = new[] { true, false }, ["c"] = null });

        Assert.Equal("{\"B\":[true,false],\"a\":\"x\\\"\\\\\\n\\u0001é中\",\"b\":1.5,\"c\":null}", text);
    }

    [Fact]
    public void Rtmp_stream_keys_and_query_values_are_masked_wherever_they_appear()
    {
        var text = Canonical(new { url = "rtmp://ingest.example.com/live?auth=APPSECRET/STREAMKEY123", note = "moved to rtmp://h.example/app/OTHERKEY99 today" });

        Assert.DoesNotContain("STREAMKEY123", text, StringComparison.Ordinal);
        Assert.DoesNotContain("APPSECRET", text, StringComparison.Ordinal);
        Assert.DoesNotContain("OTHERKEY99", text, StringComparison.Ordinal);
        Assert.Contains("rtmp://ingest.example.com/live?auth=****/****", text, StringComparison.Ordinal);
        Assert.Contains("rtmp://h.example/app/**** today", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Srt_passphrases_and_stream_ids_are_masked_with_every_query_value()
    {
        var text = Canonical(new { url = "srt://ingest.example.com:9000?latency=200&passphrase=SRTSECRET123&streamid=STREAMSECRET" });

        Assert.Contains("srt://ingest.example.com:9000?latency=****", text, StringComparison.Ordinal);
        Assert.Contains("passphrase=****", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Api_keys_and_members_named_like_secrets_are_masked()
    {
        var text = Canonical(new { text = "the-real-admin-key-0123456789", nested = new { access_token = "abc", Password = "hunter2", streamKey = "k" } },
            isKey: value => value == "the-real-admin-key-0123456789");

        Assert.Equal("{\"nested\":{\"Password\":\"****\",\"access_token\":\"****\",\"streamKey\":\"****\"},\"text\":\"****\"}", text);
    }

    [Fact]
    public void Arguments_over_4_KiB_keep_a_marked_head_with_their_full_length_and_hash()
    {
        var full = "{\"text\":\"" + new string('字', 100_000) + "\"}";
        var capped = AuditArguments.Cap(full);

        using var json = JsonDocument.Parse(capped);
        Assert.True(Encoding.UTF8.GetByteCount(capped) <= AuditArguments.MaxBytes);
        Assert.True(json.RootElement.GetProperty("truncated").GetBoolean());
        Assert.Equal(Encoding.UTF8.GetByteCount(full), json.RootElement.GetProperty("bytes").GetInt32());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(full))), json.RootElement.GetProperty("sha256").GetString());
        Assert.StartsWith("{\"text\":\"字字", json.RootElement.GetProperty("head").GetString(), StringComparison.Ordinal);
    }
}
