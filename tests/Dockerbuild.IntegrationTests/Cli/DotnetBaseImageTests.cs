using Dockerbuild.Testing;

namespace Dockerbuild.IntegrationTests.Cli;

/// <summary>
/// eng/base-image.sh, the local stand-in for mcr.microsoft.com/dotnet/aspnet that the samples and the
/// MSBuild package's tests build on: imported into a store, it runs this machine's .NET runtimes with
/// the environment and user of Microsoft's image.
/// </summary>
public sealed class DotnetBaseImageTests
{
    [Fact]
    public async Task TheImportedImageRunsTheHostsRuntimesWithMicrosoftsEnvironmentAndUser()
    {
        var image = await DotnetBaseImage.GetAsync();
        using var cli = new DockerbuildProcess();
        await image.ImportAsync(cli.Root, $"dotnet {Path.Combine(AppContext.BaseDirectory, "dockerbuild.dll")}");

        // The host's own list is the expectation: the image carries exactly the SDK's shared runtimes.
        var hostRuntimes = (await ExternalTool.OutputAsync(Require.Executable("dotnet", "dotnet-sdk"), "--list-runtimes"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ')[0] + " " + line.Split(' ')[1])
            .Where(runtime => runtime.EndsWith(" " + image.DotnetVersion, StringComparison.Ordinal) || runtime.EndsWith(" " + image.AspnetVersion, StringComparison.Ordinal));
        var inImage = (await cli.RunAsync("run", "--rm", DotnetBaseImage.LocalName, "dotnet", "--list-runtimes")).Succeeded().Lines;
        Assert.Equal(
            hostRuntimes.Select(r => $"{r} [/usr/share/dotnet/shared/{r.Split(' ')[0]}]").Order(StringComparer.Ordinal),
            inImage.Order(StringComparer.Ordinal));

        // Microsoft's runtime-deps/runtime/aspnet Dockerfiles: these ENV, and a non-root user 'app' with APP_UID.
        var env = (await cli.RunAsync("run", "--rm", "localhost/dotnet/runtime:10.0", "sh", "-c", "env; id app")).Succeeded().Lines;
        Assert.Contains("APP_UID=1654", env);
        Assert.Contains("ASPNETCORE_HTTP_PORTS=8080", env);
        Assert.Contains("DOTNET_RUNNING_IN_CONTAINER=true", env);
        Assert.Contains($"DOTNET_VERSION={image.DotnetVersion}", env);
        Assert.Contains($"ASPNET_VERSION={image.AspnetVersion}", env);
        Assert.Contains("uid=1654(app) gid=1654(app) groups=1654(app)", env);

        // A second import finds the store up to date and leaves the image as it is.
        var id = (await cli.RunAsync("images", "-q", "--no-trunc", DotnetBaseImage.LocalName)).Succeeded().Out;
        await image.ImportAsync(cli.Root, $"dotnet {Path.Combine(AppContext.BaseDirectory, "dockerbuild.dll")}");
        Assert.Equal(id, (await cli.RunAsync("images", "-q", "--no-trunc", DotnetBaseImage.LocalName)).Succeeded().Out);
    }
}
