using Xunit;

namespace Dockerbuild.Testing;

/// <summary>
/// The local .NET base image of eng/base-image.sh (Debian bookworm minbase + this machine's .NET
/// runtimes, with the ENV of mcr.microsoft.com/dotnet/aspnet), for tests that build or run .NET apps
/// where no internet registry is reachable. The script runs once per test process; its tarball is
/// cached across runs (first build: about a minute with debootstrap), and concurrent processes wait
/// on its lock. Needs debootstrap and root: a skip locally, a failure under CI=true.
/// </summary>
public sealed record DotnetBaseImage(string TarPath, string DiffId, string DotnetVersion, string AspnetVersion, string ImageName)
{
    private static readonly Lazy<Task<DotnetBaseImage>> Built = new(BuildAsync);

    /// <summary>The tag the script gives the imported image (another holds the same image as <c>localhost/dotnet/runtime:10.0</c>).</summary>
    public const string LocalName = "localhost/dotnet/aspnet:10.0";

    /// <summary>The cached rootfs tarball; builds it on first use.</summary>
    public static async Task<DotnetBaseImage> GetAsync()
    {
        Require.Executable("debootstrap", "debootstrap");
        if (!string.Equals(Environment.UserName, "root", StringComparison.Ordinal) && Require.Which("sudo") is null)
        {
            Require.Fail("eng/base-image.sh needs root or sudo for debootstrap.");
        }

        return await Built.Value.ConfigureAwait(false);
    }

    /// <summary>
    /// Imports the image into the store at <paramref name="storeRoot"/> under <see cref="LocalName"/>
    /// (and the other local names) with <paramref name="dockerbuild"/> (a command line, e.g.
    /// <c>dotnet /path/dockerbuild.dll</c>), then pushes it to each of <paramref name="pushTo"/>.
    /// </summary>
    public async Task ImportAsync(string storeRoot, string dockerbuild, params string[] pushTo)
    {
        var result = await RunScriptAsync(["--root", storeRoot, .. pushTo.SelectMany(r => new[] { "--push", r })], dockerbuild).ConfigureAwait(false);
        Assert.True(result.ExitCode == 0, $"eng/base-image.sh --root {storeRoot} failed ({result.ExitCode}): {result.Stderr}");
    }

    private static async Task<DotnetBaseImage> BuildAsync()
    {
        var result = await RunScriptAsync(["--no-import"], dockerbuild: null).ConfigureAwait(false);
        Assert.True(result.ExitCode == 0, $"eng/base-image.sh failed ({result.ExitCode}): {result.Stderr}");
        var values = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        return new DotnetBaseImage(values["tar"], values["diff_id"], values["dotnet_version"], values["aspnet_version"], values["image"]);
    }

    private static async Task<ToolResult> RunScriptAsync(string[] arguments, string? dockerbuild)
    {
        var script = Path.Combine(RepositoryRoot(), "eng", "base-image.sh");
        var bash = Require.Executable("bash", "bash");
        // The script reads DOCKERBUILD for the CLI; an empty value makes it build the repository's own.
        var command = $"DOCKERBUILD='{dockerbuild ?? ""}' exec '{script}' {string.Join(' ', arguments.Select(a => $"'{a}'"))}";
        return await ExternalTool.RunAsync(bash, ["-c", command]).ConfigureAwait(false);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "eng", "base-image.sh")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("eng/base-image.sh was not found above " + AppContext.BaseDirectory);
    }
}
