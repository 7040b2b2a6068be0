using System.Text.Json;
using Dockerbuild.Testing;

namespace Dockerbuild.IntegrationTests.Cli;

/// <summary>skopeo, the independent reader of what the CLI pushes and saves.</summary>
internal static class SkopeoTool
{
    public static async Task<JsonElement> InspectAsync(params string[] arguments)
    {
        var (exitCode, output, error) = await ExternalTool.RunAsync(Require.Executable("skopeo", "skopeo"), ["--insecure-policy", "inspect", .. arguments]);
        Assert.True(exitCode == 0, $"skopeo inspect failed: {error}");
        using var json = JsonDocument.Parse(output);
        return json.RootElement.Clone();
    }
}
