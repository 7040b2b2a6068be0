using System.Diagnostics;
using System.Text.Json;
using Dockerbuild.Testing;

namespace Dockerbuild.IntegrationTests.Cli;

/// <summary>skopeo, the independent reader of what the CLI pushes and saves.</summary>
internal static class SkopeoTool
{
    public static async Task<JsonElement> InspectAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Require.Executable("skopeo", "skopeo"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "--insecure-policy", "inspect" }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        var cancellationToken = TestContext.Current.CancellationToken;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        Assert.True(process.ExitCode == 0, $"skopeo inspect failed: {await error}");
        using var json = JsonDocument.Parse(await output);
        return json.RootElement.Clone();
    }
}
