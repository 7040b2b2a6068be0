using System.Reflection;
using System.Runtime.InteropServices;
using Dockerbuild.Testing;

namespace Dockerbuild.IntegrationTests.Cli;

/// <summary>
/// The tool as it ships: packed as .NET 10 RID-specific tool packages (the top-level package and the
/// native linux-x64 one, compiled ahead of time), installed by <c>dotnet tool install</c> from a private
/// feed, and run. One pack and one install (about a minute: the native compilation), then a few
/// commands, each checked against the JIT-compiled tool the other tests run.
/// </summary>
public sealed class ToolPackageTests
{
    [Fact]
    public async Task TheInstalledToolIsANativeExecutableThatParsesAndBuildsAsTheJitCompiledOneDoes()
    {
        if (RuntimeInformation.OSArchitecture != Architecture.X64)
        {
            Assert.Skip("the native tool package is built for linux-x64 only (elsewhere the framework-dependent one installs)");
        }

        // Native AOT links with clang (eng/install-deps.sh installs it, with zlib1g-dev).
        Require.Executable("clang", "clang");
        using var temp = new TempDirectory("dockerbuild-tool-");
        var version = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Guid.NewGuid().ToString("N")[..8]}";
        var feed = temp.Combine("feed");
        var project = Path.Combine(Metadata("DockerbuildRepositoryRoot"), "src", "Dockerbuild.Cli", "Dockerbuild.Cli.csproj");
        // Built under a private artifacts path: the repository's bin/ and obj/, which other test runs build into, stay untouched.
        string[] pack = ["pack", project, "-c", Metadata("DockerbuildConfiguration"), "--artifacts-path", temp.Combine("artifacts"),
            "-o", feed, $"-p:Version={version}", "-nodeReuse:false"];
        foreach (var runtime in new[] { "linux-x64", null })
        {
            var packed = await DotnetProcess.RunAsync(temp.Path, DotnetProcess.Environment(), runtime is null ? pack : [.. pack, "-r", runtime]);
            Assert.True(packed.ExitCode == 0, $"dotnet pack {runtime} failed:\n{packed.Output}");
        }

        Assert.True(File.Exists(Path.Combine(feed, $"dockerbuild.{version}.nupkg")), "no top-level package");
        Assert.True(File.Exists(Path.Combine(feed, $"dockerbuild.linux-x64.{version}.nupkg")), "no linux-x64 package");

        var tools = temp.Combine("tools");
        var installed = await DotnetProcess.RunAsync(temp.Path, DotnetProcess.Environment(temp.Combine("packages")),
            "tool", "install", "--tool-path", tools, "--add-source", feed, "dockerbuild", "--version", version);
        Assert.True(installed.ExitCode == 0, "dotnet tool install failed:\n" + installed.Output);
        var executable = Path.Combine(tools, "dockerbuild");
        var header = new byte[4];
        await using (var file = File.OpenRead(executable))
        {
            await file.ReadExactlyAsync(header, TestContext.Current.CancellationToken);
        }

        Assert.Equal("\u007fELF"u8.ToArray(), header);

        using var native = new DockerbuildProcess { Executable = executable };
        using var jit = new DockerbuildProcess { Executable = null };
        Assert.StartsWith(version + "+", (await native.RunAsync("--version")).Succeeded().Out, StringComparison.Ordinal);

        var context = Path.Combine(native.Home, "context");
        Directory.CreateDirectory(context);
        await File.WriteAllTextAsync(Path.Combine(context, "hello.txt"), "hello\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), """
            FROM scratch
            RUN --network=none --mount=type=cache,target=/c,sharing=locked true
            COPY --chmod=644 hello.txt /hello.txt

            """, TestContext.Current.CancellationToken);
        var dockerfile = Path.Combine(context, "Dockerfile");
        Assert.Equal((await jit.RunAsync("parse", dockerfile)).Succeeded().Out, (await native.RunAsync("parse", dockerfile)).Succeeded().Out);

        // The build itself (no RUN: no runtime needed), reproducible, so both tools must make the same image.
        await File.WriteAllTextAsync(dockerfile, "FROM scratch\nCOPY --chmod=644 hello.txt /hello.txt\n", TestContext.Current.CancellationToken);
        var ids = new List<string>();
        foreach (var cli in new[] { native, jit })
        {
            cli.Environment["SOURCE_DATE_EPOCH"] = "1700000000";
            var iid = Path.Combine(cli.Home, "iid");
            (await cli.RunAsync("build", "-q", "-t", "hello:1", "--iidfile", iid, context)).Succeeded();
            ids.Add(await File.ReadAllTextAsync(iid, TestContext.Current.CancellationToken));
        }

        Assert.StartsWith("sha256:", ids[0], StringComparison.Ordinal);
        Assert.Equal(ids[1], ids[0]);
        Assert.Contains("hello.txt", (await native.RunAsync("history", "--no-trunc", "hello:1")).Succeeded().Out, StringComparison.Ordinal);
    }

    private static string Metadata(string key) =>
        typeof(ToolPackageTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
