using LiveHost.ControlPlane.Llm;
using LiveHost.ControlPlane.Tests.Comments;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace LiveHost.ControlPlane.Tests.Llm;

public sealed class LlmOptionsTests
{
    [Fact]
    public void The_defaults_leave_the_model_off_and_pass_validation()
    {
        var options = new LlmOptions();

        var result = new LlmOptionsValidator(new ConfigurationBuilder().Build()).Validate(null, options);

        Assert.False(options.Enabled);
        Assert.True(result.Succeeded);
    }

    [Fact]
    public void The_shipped_appsettings_json_says_exactly_what_the_llm_defaults_are()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "LiveHost.sln"))) root = root.Parent!;
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(root.FullName, "src", "LiveHost.Host", "appsettings.json")).Build();
        var section = configuration.GetSection(LlmOptions.SectionName);
        var shipped = section.Get<LlmOptions>()!;
        var defaults = new LlmOptions();

        Assert.True(section.Exists());
        foreach (var property in typeof(LlmOptions).GetProperties())
        {
            Assert.True(Equals(property.GetValue(defaults), property.GetValue(shipped)), $"Llm:{property.Name}: default {property.GetValue(defaults)}, appsettings.json {property.GetValue(shipped)}");
        }
    }

    [Theory]
    [InlineData("Llm:BaseUrl", "ftp://models.local/v1", "Llm:BaseUrl 'ftp://models.local/v1' is not an absolute http(s) URL")]
    [InlineData("Llm:BaseUrl", "localhost:11434", "is not an absolute http(s) URL")]
    [InlineData("Llm:Model", "", "Llm:Model is empty")]
    [InlineData("Llm:FirstTokenTimeout", "00:00:00", "Llm:FirstTokenTimeout is 00:00:00; use 00:00:00.1000000 to 00:05:00")]
    [InlineData("Llm:BreakAfterFailures", "0", "Llm:BreakAfterFailures is 0; use 1 to 1000")]
    [InlineData("Llm:AnswersPerMinute", "-1", "Llm:AnswersPerMinute is -1; use 0 to 600")]
    [InlineData("Llm:Temperature", "3", "Llm:Temperature is 3; use 0 to 2")]
    [InlineData("Rooms:main:Llm:Mode", "always", "Rooms:main:Llm:Mode is 'always'; use off, review or auto")]
    [InlineData("Rooms:main:Llm:Ask", "sometimes", "Rooms:main:Llm:Ask is 'sometimes'; use unmatched (comments no FAQ entry answers) or always")]
    public void A_bad_setting_is_named_with_what_is_allowed(string key, string value, string message)
    {
        var values = new Dictionary<string, string?> { ["Llm:BaseUrl"] = "http://127.0.0.1:11434/v1", ["Llm:Model"] = "qwen2.5", [key] = value };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var options = configuration.GetSection(LlmOptions.SectionName).Get<LlmOptions>()!;

        var result = new LlmOptionsValidator(configuration).Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(message, result.FailureMessage);
    }

    [Fact]
    public async Task The_host_refuses_to_start_with_a_bad_setting_and_names_it()
    {
        var settings = new Dictionary<string, string?> { ["Llm:BaseUrl"] = "http://127.0.0.1:11434/v1", ["Rooms:main:Llm:Mode"] = "sometimes" };

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => CommentHost.StartAsync(settings));

        Assert.Contains("Llm:Model is empty", refused.Message);
        Assert.Contains("Rooms:main:Llm:Mode is 'sometimes'", refused.Message);
    }
}
