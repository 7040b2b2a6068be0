using Dockerbuild.Engine.Execution;
using Dockerbuild.Engine.Planning;
using Dockerbuild.Oci;

namespace Dockerbuild.Engine.Tests.Execution;

/// <summary>
/// Whole builds with real runc on busybox:test. Expected configs and history strings are BuildKit's
/// (dockerfile2llb's dispatch functions and what `docker buildx build` writes), not our output.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ImageBuilderTests
{
    [Fact]
    public async Task MetadataInstructionsSetTheConfigAsBuildKitDoes()
    {
        using var f = await BuildFixture.CreateAsync();
        var result = await f.BuildAsync("""
            FROM busybox:test
            ENV A=b C="d e"
            LABEL org.test=one "two words"=x
            EXPOSE 80 53/udp
            USER 1000:1000
            VOLUME /data
            STOPSIGNAL SIGTERM
            SHELL ["/bin/sh", "-xc"]
            CMD echo hi
            MAINTAINER someone
            ONBUILD RUN echo child
            """);

        var config = result.Config.Config;
        Assert.Equal(["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "A=b", "C=d e"], config.Env);
        Assert.Equal("one", config.Labels!["org.test"]);
        Assert.Equal("x", config.Labels!["two words"]);
        Assert.Equal(["53/udp", "80/tcp"], config.ExposedPorts!.Order(StringComparer.Ordinal));
        Assert.Equal("1000:1000", config.User);
        Assert.Equal(["/data"], config.Volumes);
        Assert.Equal("SIGTERM", config.StopSignal);
        Assert.Equal(["/bin/sh", "-xc"], config.Shell);
        Assert.Equal(["/bin/sh", "-xc", "echo hi"], config.Cmd);
        Assert.True(config.ArgsEscaped);
        Assert.Equal(["RUN echo child"], config.OnBuild);
        Assert.Equal("someone", result.Config.Author);

        var history = result.Config.History!.Skip(1).ToList();
        Assert.All(history, h => Assert.True(h.EmptyLayer));
        Assert.Equal(
            ["ENV A=b C=d e", "LABEL org.test=one two words=x", "EXPOSE map[53/udp:{} 80/tcp:{}]", "USER 1000:1000", "VOLUME [/data]",
             "STOPSIGNAL SIGTERM", "SHELL [/bin/sh -xc]", "CMD [\"/bin/sh\" \"-xc\" \"echo hi\"]", "MAINTAINER someone"],
            history.Select(h => h.CreatedBy));
        Assert.Single(result.Config.RootFs.DiffIds);
    }

    [Fact]
    public async Task EntrypointResetsTheInheritedCmdButKeepsOneSetInTheStage()
    {
        using var f = await BuildFixture.CreateAsync();
        var reset = await f.BuildAsync("FROM busybox:test\nENTRYPOINT [\"echo\"]\n");
        Assert.Null(reset.Config.Config.Cmd);
        Assert.Equal(["echo"], reset.Config.Config.Entrypoint);
        Assert.Equal("ENTRYPOINT [\"echo\"]", reset.Config.History![^1].CreatedBy);

        var kept = await f.BuildAsync("FROM busybox:test\nCMD [\"hi\"]\nENTRYPOINT [\"echo\"]\n");
        Assert.Equal(["hi"], kept.Config.Config.Cmd);
    }

    [Fact]
    public async Task RunSeesBuildArgsAndEarlierRunsAndItsFilesLandInLayers()
    {
        using var f = await BuildFixture.CreateAsync();
        var result = await f.BuildAsync("""
            FROM busybox:test
            ARG FOO
            RUN echo "$FOO" > /foo.txt
            RUN cat /foo.txt > /copy.txt && mkdir -p /app
            WORKDIR /app
            WORKDIR sub
            """, r => r with { BuildArgs = new Dictionary<string, string> { ["FOO"] = "bar" } });

        Assert.DoesNotContain(result.Config.Config.Env!, e => e.StartsWith("FOO=", StringComparison.Ordinal));
        Assert.Equal("/app/sub", result.Config.Config.WorkingDir);
        var history = result.Config.History!;
        Assert.Equal("ARG FOO", history[1].CreatedBy);
        Assert.Equal("RUN |1 FOO=bar /bin/sh -c echo \"$FOO\" > /foo.txt # buildkit", history[2].CreatedBy);
        Assert.False(history[2].EmptyLayer);
        Assert.Equal("WORKDIR /app", history[4].CreatedBy);
        Assert.True(history[4].EmptyLayer); // /app exists already: nothing changes
        Assert.Equal("WORKDIR /app/sub", history[5].CreatedBy);
        Assert.False(history[5].EmptyLayer);
        Assert.Equal(history.Count(h => !h.EmptyLayer), result.Config.RootFs.DiffIds.Count);

        var rootfs = await f.ExtractAsync(result);
        Assert.Equal("bar\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "foo.txt"), TestContext.Current.CancellationToken));
        Assert.Equal("bar\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "copy.txt"), TestContext.Current.CancellationToken));
        Assert.True(Directory.Exists(Path.Combine(rootfs, "app", "sub")));
    }

    [Fact]
    public async Task FailingRunNamesTheLineTheExitCodeAndTheOutput()
    {
        using var f = await BuildFixture.CreateAsync();
        var error = await Assert.ThrowsAsync<BuildStepException>(() => f.BuildAsync("FROM busybox:test\nENV X=1\nRUN echo about to fail && exit 7\n"));

        Assert.Contains("Dockerfile:3", error.Message, StringComparison.Ordinal);
        Assert.Contains("exit code: 7", error.Message, StringComparison.Ordinal);
        Assert.Equal(7, error.ExitCode);
        Assert.Contains("about to fail", error.OutputTail);
    }

    [Fact]
    public async Task TargetBuildsOnlyTheStagesItNeedsAndAStageCanBeABase()
    {
        using var f = await BuildFixture.CreateAsync();
        var result = await f.BuildAsync("""
            FROM busybox:test AS base
            RUN echo base > /base.txt
            FROM base AS app
            RUN cat /base.txt > /app.txt
            FROM busybox:test AS unrelated
            RUN exit 1
            """, r => r with { Target = "app" });

        Assert.Equal(2, f.LastRunCount);
        Assert.DoesNotContain(f.Events, e => e.Text.Contains("[unrelated", StringComparison.Ordinal));
        Assert.Contains(f.Events, e => e.Kind == BuildEventKind.Started && e.Text == "[app 2/2] RUN cat /base.txt > /app.txt");
        var rootfs = await f.ExtractAsync(result);
        Assert.Equal("base\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "app.txt"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task RebuildIsCachedWithoutRunningAndABuildArgChangeMisses()
    {
        using var f = await BuildFixture.CreateAsync();
        const string dockerfile = "FROM busybox:test\nARG V=1\nRUN echo $V > /v\nRUN echo done > /done\n";
        var first = await f.BuildAsync(dockerfile);
        Assert.Equal(2, f.LastRunCount);
        Assert.Contains(f.Events, e => e.Kind == BuildEventKind.Started && e.Text == "[3/4] RUN echo 1 > /v"); // BuildKit's processCmdEnv

        var second = await f.BuildAsync(dockerfile);
        Assert.Equal(0, f.LastRunCount);
        Assert.Equal(first.ManifestDigest, second.ManifestDigest);
        Assert.Contains(f.Events, e => e.Kind == BuildEventKind.Cached);

        await f.BuildAsync(dockerfile, r => r with { BuildArgs = new Dictionary<string, string> { ["V"] = "2" } });
        Assert.Equal(2, f.LastRunCount);

        await f.BuildAsync(dockerfile, r => r with { NoCache = true });
        Assert.Equal(2, f.LastRunCount);
    }

    [Fact]
    public async Task SourceDateEpochGivesTheSameManifestInTwoStores()
    {
        const string dockerfile = "FROM busybox:test\nRUN echo hello > /hello && mkdir /d\nENV A=b\nWORKDIR /w\n";
        var digests = new List<Digest>();
        for (var i = 0; i < 2; i++)
        {
            using var f = await BuildFixture.CreateAsync();
            if (i == 1)
            {
                await f.BuildAsync(dockerfile); // results without the epoch must not be taken for the build with it
            }

            var result = await f.BuildAsync(dockerfile, r => r with { BuildArgs = new Dictionary<string, string> { ["SOURCE_DATE_EPOCH"] = "1700000000" } });
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), result.Config.Created);
            digests.Add(result.ManifestDigest);
            await Task.Delay(1100, TestContext.Current.CancellationToken); // a second later, so unclamped times would differ
        }

        Assert.Equal(digests[0], digests[1]);
    }

    [Fact]
    public async Task SecretsReachRunButNotLayersOrHistory()
    {
        using var f = await BuildFixture.CreateAsync();
        var secretFile = Path.Combine(f.Context, "..", "token");
        await File.WriteAllTextAsync(secretFile, "s3cr3t-value", TestContext.Current.CancellationToken);
        var result = await f.BuildAsync(
            "FROM busybox:test\nRUN --mount=type=secret,id=tok wc -c < /run/secrets/tok > /len\n",
            r => r with { Secrets = [BuildSecret.Parse($"id=tok,src={secretFile}")] });

        var rootfs = await f.ExtractAsync(result);
        Assert.Equal("12", (await File.ReadAllTextAsync(Path.Combine(rootfs, "len"), TestContext.Current.CancellationToken)).Trim());
        Assert.False(Directory.Exists(Path.Combine(rootfs, "run", "secrets")));
        var manifest = await f.Store.Blobs.ReadJsonAsync<ImageManifest>(result.ManifestDigest, TestContext.Current.CancellationToken);
        var paths = await f.LayerPathsAsync(manifest.Value.Layers[^1]);
        Assert.DoesNotContain(paths, p => p.Contains("secrets", StringComparison.Ordinal));
        Assert.DoesNotContain("s3cr3t", result.Config.History![^1].CreatedBy!, StringComparison.Ordinal);
        foreach (var file in Directory.EnumerateFiles(rootfs, "*", SearchOption.AllDirectories).Where(p => !p.EndsWith("busybox", StringComparison.Ordinal)))
        {
            if (new FileInfo(file).LinkTarget is null)
            {
                Assert.DoesNotContain("s3cr3t", await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task AForeignPlatformWithoutAnEmulatorFailsAtItsFirstRun()
    {
        using var f = await BuildFixture.CreateAsync();
        using var binfmt = new Dockerbuild.Testing.TempDirectory("dockerbuild-binfmt-");
        f.BinfmtDirectory = binfmt.Path;

        // No RUN, no emulation needed: BuildKit stamps the asked-for platform on the image.
        var copied = await f.BuildAsync("FROM busybox:test\nCOPY Dockerfile /\n", r => r with { Platform = "linux/arm64" });
        Assert.Equal("arm64", copied.Config.Architecture);

        var error = await Assert.ThrowsAsync<Dockerbuild.Dockerfile.DockerfileException>(() => f.BuildAsync("FROM busybox:test\nRUN true\n", r => r with { Platform = "linux/arm64" }));
        Assert.StartsWith("Dockerfile:2", error.Message, StringComparison.Ordinal);
        Assert.Contains("platform linux/arm64 is not supported: only linux/amd64 builds natively and no emulator for arm64 is registered", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FromPlatformIsExpandedAndAForeignOneNeedsAnEmulator()
    {
        using var f = await BuildFixture.CreateAsync();
        var result = await f.BuildAsync("FROM --platform=$BUILDPLATFORM busybox:test\nARG TARGETPLATFORM\nRUN echo $TARGETPLATFORM > /p\n");
        var rootfs = await f.ExtractAsync(result);
        Assert.Equal("linux/amd64\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "p"), TestContext.Current.CancellationToken));
        Assert.Equal("amd64", result.Config.Architecture);

        using var binfmt = new Dockerbuild.Testing.TempDirectory("dockerbuild-binfmt-");
        f.BinfmtDirectory = binfmt.Path;
        var error = await Assert.ThrowsAsync<Dockerbuild.Dockerfile.DockerfileException>(() => f.BuildAsync("FROM busybox:test\nFROM --platform=linux/arm64 busybox:test AS other\nRUN true\n"));
        Assert.StartsWith("Dockerfile:3", error.Message, StringComparison.Ordinal);
        Assert.Contains("linux/arm64 is not supported", error.Message, StringComparison.Ordinal);
    }
}
