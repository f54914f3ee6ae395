using LiveHost.ControlPlane.Comments;
using Microsoft.Extensions.Configuration;

namespace LiveHost.ControlPlane.Tests.Comments;

public sealed class CommentOptionsTests
{
    [Fact]
    public void The_shipped_appsettings_json_says_exactly_what_the_comment_defaults_are()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "LiveHost.sln"))) root = root.Parent!;
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(root.FullName, "src", "LiveHost.Host", "appsettings.json")).Build();
        var shipped = configuration.GetSection(CommentOptions.SectionName).Get<CommentOptions>()!;
        var defaults = new CommentOptions();

        foreach (var property in typeof(CommentOptions).GetProperties())
        {
            var (d, s) = (property.GetValue(defaults), property.GetValue(shipped));
            if (d is List<string> list) Assert.Equal(list, (List<string>)s!);
            else Assert.True(Equals(d, s), $"Comments:{property.Name}: default {d}, appsettings.json {s}");
        }
    }

    [Theory]
    [InlineData("MaxTextLength", "0", "Comments:MaxTextLength is 0; use 1 to 5000")]
    [InlineData("PerAddressPerMinute", "-3", "Comments:PerAddressPerMinute is -3; use 1 to 100000")]
    [InlineData("MinInterval", "02:00:00", "Comments:MinInterval is 02:00:00; use 00:00:00 to 01:00:00")]
    [InlineData("SuggestThreshold", "1.5", "Comments:SuggestThreshold is 1.5; use 0 to 1")]
    public void A_bad_setting_is_named_with_its_allowed_range(string name, string value, string message)
    {
        var options = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [name] = value }).Build().Get<CommentOptions>()!;

        var result = new CommentOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(message, result.FailureMessage);
    }
}
