using System.Text.Json;
using Dockerbuild.Testing;
using Dockerbuild.Testing.Registry;

namespace Dockerbuild.Oci.Tests.Registry;

/// <summary>Runs skopeo, the independent reader of what we push, against a test registry.</summary>
internal static class Skopeo
{
    /// <summary>The flags that let skopeo reach <paramref name="registry"/>: its CA (or no TLS) and its credentials.</summary>
    public static string[] RegistryFlags(RegistryServer registry, string prefix = "") =>
    [
        .. registry.Options.Tls ? new[] { $"--{prefix}cert-dir", Path.GetDirectoryName(registry.CaCertificatePath)! } : [$"--{prefix}tls-verify=false"],
        .. registry.Options.Auth == RegistryAuthMode.Anonymous ? Array.Empty<string>() : [$"--{prefix}creds", $"{registry.Username}:{registry.Password}"],
    ];

    public static async Task<JsonElement> InspectAsync(RegistryServer registry, string reference, bool raw = false)
    {
        var output = await RunAsync(["inspect", .. raw ? new[] { "--raw" } : [], .. RegistryFlags(registry), $"docker://{reference}"]);
        using var json = JsonDocument.Parse(output);
        return json.RootElement.Clone();
    }

    public static async Task<string> RunAsync(params string[] arguments)
    {
        var (exitCode, output, error) = await ExternalTool.RunAsync(Require.Executable("skopeo", "skopeo"), ["--insecure-policy", .. arguments]);
        var shown = arguments.Select((a, i) => i > 0 && arguments[i - 1].EndsWith("creds", StringComparison.Ordinal) ? "***" : a);
        Assert.True(exitCode == 0, $"skopeo {string.Join(' ', shown)} failed: {error}");
        return output;
    }
}
