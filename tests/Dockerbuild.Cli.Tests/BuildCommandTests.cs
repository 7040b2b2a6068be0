using System.Diagnostics;
using Dockerbuild.Testing;

namespace Dockerbuild.Cli.Tests;

/// <summary>
/// <c>dockerbuild build</c> as a user runs it: a separate process (the store root comes from
/// DOCKERBUILD_ROOT, which must not leak into other tests), real runc, BuildKit's plain progress format.
/// </summary>
public sealed class BuildCommandTests : IDisposable
{
    private readonly TempDirectory root = new("dockerbuild-cli-build-");

    public void Dispose() => root.Dispose();

    [Fact]
    public async Task BuildsPrintsStepsThenCachedStepsAndWritesTheImageId()
    {
        var context = await ContextAsync("RUN [\"/bin/busybox\", \"echo\", \"hello from run\"]");
        var iid = root.Combine("iid");

        var (code, _, error) = await RunAsync("build", "--progress=plain", "-t", "cli/test:1", "--iidfile", iid, context);
        Assert.True(code == 0, error);
        Assert.Contains("#2 [2/3] COPY busybox /bin/busybox", error, StringComparison.Ordinal);
        Assert.Contains("#3 [3/3] RUN [\"/bin/busybox\", \"echo\", \"hello from run\"]", error, StringComparison.Ordinal);
        Assert.Matches(@"#3 \d+\.\d{3} hello from run", error);
        Assert.Matches(@"#3 DONE \d+\.\ds", error);
        Assert.Contains("naming to docker.io/cli/test:1 done", error, StringComparison.Ordinal);

        var (again, id, secondError) = await RunAsync("build", "-q", context);
        Assert.Equal(0, again);
        Assert.Equal(await File.ReadAllTextAsync(iid, TestContext.Current.CancellationToken), id.Trim());
        Assert.Empty(secondError);

        var (plain, _, cachedError) = await RunAsync("build", "--progress=plain", context);
        Assert.Equal(0, plain);
        Assert.Contains("#3 CACHED", cachedError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFailingRunExitsNonZeroWithTheLineAndOutput()
    {
        var context = await ContextAsync("RUN [\"/bin/busybox\", \"sh\", \"-c\", \"echo oops; exit 3\"]");

        var (code, _, error) = await RunAsync("build", context);
        Assert.Equal(1, code);
        Assert.Contains("ERROR: Dockerfile:3: process \"/bin/busybox sh -c echo oops; exit 3\" did not complete successfully: exit code: 3", error, StringComparison.Ordinal);
        Assert.Contains("oops", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AContextTarOnStdinBuildsTheSameImageAsTheDirectory()
    {
        var context = await ContextAsync("RUN [\"/bin/busybox\", \"true\"]");
        var (_, fromDirectory, _) = await RunAsync("build", "-q", context);
        using var tar = new MemoryStream();
        await System.Formats.Tar.TarFile.CreateFromDirectoryAsync(context, tar, includeBaseDirectory: false, TestContext.Current.CancellationToken);

        var (code, fromStdin, error) = await RunAsync(tar.ToArray(), "build", "-q", "-");
        Assert.True(code == 0, error);
        Assert.Equal(fromDirectory, fromStdin);
    }

    [Fact]
    public async Task AutoProgressWithoutATerminalIsPlainAndTtyEndsWithTheFinishedFrame()
    {
        var context = await ContextAsync("RUN [\"/bin/busybox\", \"echo\", \"tty line\"]\nCMD echo hi");

        var (code, _, plain) = await RunAsync("build", context);
        Assert.True(code == 0, plain);
        Assert.Contains("#1 [1/4] FROM scratch", plain, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', plain);
        Assert.EndsWith("\n 1 warning found:\n - JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals (line 4)\n", plain, StringComparison.Ordinal);

        var (ttyCode, _, tty) = await RunAsync("build", "--progress=tty", "--no-cache", context);
        Assert.True(ttyCode == 0, tty);
        Assert.Contains("\u001b[2K[+] Building ", tty, StringComparison.Ordinal);
        var final = tty[tty.LastIndexOf("[+] Building", StringComparison.Ordinal)..];
        Assert.Matches(@"^\[\+\] Building \d+\.\ds \(5/5\) FINISHED\n", final);
        Assert.Matches(@" => \[3/4\] RUN \[""/bin/busybox"", ""echo"", ""tty line""\] +\d+\.\ds\n", final);
        Assert.Contains(" 1 warning found:", final, StringComparison.Ordinal);
        Assert.Contains(" => => writing image sha256:", final, StringComparison.Ordinal);
        Assert.DoesNotContain("#1 ", tty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInsecureRunNeedsAllow()
    {
        var context = await ContextAsync("RUN --security=insecure [\"/bin/busybox\", \"true\"]");

        var (refused, _, error) = await RunAsync("build", context);
        Assert.Equal(1, refused);
        Assert.Contains("security.insecure is not allowed", error, StringComparison.Ordinal);

        var (allowed, _, output) = await RunAsync("build", "--allow", "security.insecure", context);
        Assert.True(allowed == 0, output);

        var (invalid, _, usage) = await RunAsync("build", "--allow", "nope", context);
        Assert.NotEqual(0, invalid);
        Assert.Contains("invalid entitlement: nope", usage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMultiPlatformBuildNamesTheIndexAsImageIdInIidfileMetadataAndLayout()
    {
        var ct = TestContext.Current.CancellationToken;
        var context = await CopyOnlyContextAsync();
        var (iid, metadataPath, layout) = (root.Combine("iid"), root.Combine("metadata.json"), root.Combine("layout"));

        // Repeated flags and a comma-separated list add up, as in buildx.
        var (code, _, error) = await RunAsync("build", "--progress=plain", "--platform", "linux/amd64,linux/arm64", "--platform", "linux/arm/v7",
            "-t", "multi:1", "--iidfile", iid, "--metadata-file", metadataPath, "-o", $"type=oci,dest={layout}", context);
        Assert.True(code == 0, error);
        Assert.Contains("[linux/arm64 2/2] COPY a.txt /a.txt", error, StringComparison.Ordinal);
        Assert.Contains("[linux/arm/v7 2/2] COPY a.txt /a.txt", error, StringComparison.Ordinal);

        // buildx's image ID for several platforms is the index digest, and BuildKit reports no config digest for an index.
        var id = await File.ReadAllTextAsync(iid, ct);
        Assert.Matches("^sha256:[0-9a-f]{64}$", id);
        Assert.Contains($"#0 DONE manifest list {id}", error, StringComparison.Ordinal);
        var metadata = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(metadataPath, ct))!.AsObject();
        Assert.Equal(id, (string)metadata["containerimage.digest"]!);
        Assert.False(metadata.ContainsKey("containerimage.config.digest"));
        Assert.Equal("application/vnd.oci.image.index.v1+json", (string)metadata["containerimage.descriptor"]!["mediaType"]!);
        Assert.Equal(id, (string)metadata["containerimage.descriptor"]!["digest"]!);

        var index = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(layout, "index.json"), ct))!;
        var entry = Assert.Single(index["manifests"]!.AsArray())!;
        Assert.Equal(id, (string)entry["digest"]!);
        var children = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(layout, "blobs", "sha256", id["sha256:".Length..]), ct))!["manifests"]!.AsArray();
        Assert.Equal(["amd64", "arm64", "arm"], children.Select(c => (string)c!["platform"]!["architecture"]!));
        Assert.Equal("v7", (string)children[2]!["platform"]!["variant"]!);
    }

    [Fact]
    public async Task ADockerArchiveOfSeveralPlatformsIsOneErrorAsInBuildx()
    {
        var context = await CopyOnlyContextAsync();

        var (code, _, error) = await RunAsync("build", "--platform", "linux/amd64", "--platform", "linux/arm64", "-o", $"type=docker,dest={root.Combine("image.tar")}", context);
        Assert.Equal(1, code);
        Assert.Equal("ERROR: docker exporter does not currently support exporting manifest lists", error.Trim());
        Assert.False(File.Exists(root.Combine("image.tar")));
    }

    /// <summary>A Dockerfile that only copies a file into scratch: it builds for any platform without an emulator.</summary>
    private async Task<string> CopyOnlyContextAsync()
    {
        var context = root.Combine("context");
        Directory.CreateDirectory(context);
        await File.WriteAllTextAsync(Path.Combine(context, "a.txt"), "a\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), "FROM scratch\nCOPY a.txt /a.txt\n", TestContext.Current.CancellationToken);
        return context;
    }

    /// <summary>A context holding busybox and a Dockerfile that copies it into scratch, then <paramref name="run"/>.</summary>
    private async Task<string> ContextAsync(string run)
    {
        Require.Executable("runc", "runc");
        var busybox = Require.Executable("busybox", "busybox-static");
        var context = root.Combine("context");
        Directory.CreateDirectory(context);
        File.Copy(busybox, Path.Combine(context, "busybox"));
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), $"FROM scratch\nCOPY busybox /bin/busybox\n{run}\n", TestContext.Current.CancellationToken);
        return context;
    }

    private Task<(int Code, string Out, string Err)> RunAsync(params string[] args) => RunAsync(null, args);

    private async Task<(int Code, string Out, string Err)> RunAsync(byte[]? stdin, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "dockerbuild.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOCKERBUILD_ROOT"] = root.Combine("store");
        using var process = Process.Start(start)!;
        if (stdin is not null)
        {
            await process.StandardInput.BaseStream.WriteAsync(stdin, TestContext.Current.CancellationToken);
            process.StandardInput.Close();
        }

        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output, await error);
    }
}
