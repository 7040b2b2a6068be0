using System.Reflection;
using System.Security;
using Dockerbuild.Testing;

// One pack per test run, shared by every class that takes a PackageFeed.
[assembly: AssemblyFixture(typeof(Dockerbuild.Tasks.Tests.EndToEnd.PackageFeed))]

namespace Dockerbuild.Tasks.Tests.EndToEnd;

/// <summary>
/// The <c>Dockerbuild</c> package packed once for the test run into a private feed, with a version no
/// earlier run used, restored into a private NuGet cache: a stale package from an earlier run (or from
/// the machine's cache) can never be the one tested.
/// </summary>
public sealed class PackageFeed : IAsyncLifetime
{
    private readonly string root = System.IO.Directory.CreateTempSubdirectory("dockerbuild-feed-").FullName;

    public string Directory => Path.Combine(root, "feed");

    /// <summary>NUGET_PACKAGES for every dotnet the tests run.</summary>
    public string PackagesCache => Path.Combine(root, "packages");

    /// <summary>The packed .nupkg.</summary>
    public string Package => Path.Combine(Directory, $"Dockerbuild.{Version}.nupkg");

    public string Version { get; } = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>
    /// Writes a nuget.config into <paramref name="directory"/> that takes Dockerbuild from this feed only
    /// and anything else from nuget.org, ignoring every source a config further up names.
    /// </summary>
    public void WriteNuGetConfig(string directory) => File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <clear />
            <add key="local" value="{SecurityElement.Escape(Directory)}" />
            <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
          </packageSources>
          <packageSourceMapping>
            <clear />
            <packageSource key="local"><package pattern="Dockerbuild" /></packageSource>
            <packageSource key="nuget.org"><package pattern="*" /></packageSource>
          </packageSourceMapping>
        </configuration>
        """);

    public async ValueTask InitializeAsync()
    {
        var repository = Metadata("DockerbuildRepositoryRoot");
        var project = Path.Combine(repository, "src", "Dockerbuild.Tasks", "Dockerbuild.Tasks.csproj");
        // The test project references the package's project, so this configuration is already built.
        var result = await DotnetProcess.RunAsync(root, DotnetProcess.Environment(PackagesCache),
            "pack", project, "-c", Metadata("DockerbuildConfiguration"), "--no-build", "-o", Directory, $"-p:Version={Version}", "-nodeReuse:false");
        Assert.True(result.ExitCode == 0, "dotnet pack failed:\n" + result.Output);
        Assert.True(File.Exists(Package), "no package was written:\n" + result.Output);
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            System.IO.Directory.Delete(root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temporary feed must not fail the tests.
        }

        return ValueTask.CompletedTask;
    }

    private static string Metadata(string key) =>
        typeof(PackageFeed).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
