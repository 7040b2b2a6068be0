using Dockerbuild.Engine.Execution;
using Dockerbuild.Engine.Planning;

namespace Dockerbuild.Engine.Tests.Execution;

/// <summary>Cache keys over what a step reads, and builds sharing one store.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CacheAndConcurrencyTests
{
    [Fact]
    public async Task ABindMountedContextFileIsPartOfTheRunsKey()
    {
        using var f = await BuildFixture.CreateAsync();
        const string dockerfile = "FROM busybox:test\nRUN --mount=type=bind,source=in.txt,target=/in.txt cat /in.txt > /out\n";
        await File.WriteAllTextAsync(Path.Combine(f.Context, "in.txt"), "one\n", TestContext.Current.CancellationToken);
        await f.BuildAsync(dockerfile);
        await f.BuildAsync(dockerfile);
        Assert.Equal(0, f.LastRunCount);

        await File.WriteAllTextAsync(Path.Combine(f.Context, "in.txt"), "two\n", TestContext.Current.CancellationToken);
        var result = await f.BuildAsync(dockerfile);
        Assert.Equal(1, f.LastRunCount);
        var rootfs = await f.ExtractAsync(result);
        Assert.Equal("two\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "out"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ProxyBuildArgsReachRunWithoutChangingTheKey()
    {
        using var f = await BuildFixture.CreateAsync();
        const string dockerfile = "FROM busybox:test\nRUN echo \"$HTTP_PROXY\" > /proxy\n";
        var result = await f.BuildAsync(dockerfile, r => r with { BuildArgs = new Dictionary<string, string> { ["HTTP_PROXY"] = "http://one:3128" } });
        var rootfs = await f.ExtractAsync(result);
        Assert.Equal("http://one:3128\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "proxy"), TestContext.Current.CancellationToken));
        Assert.DoesNotContain("one:3128", result.Config.History![^1].CreatedBy!, StringComparison.Ordinal);

        await f.BuildAsync(dockerfile, r => r with { BuildArgs = new Dictionary<string, string> { ["HTTP_PROXY"] = "http://two:3128" } });
        Assert.Equal(0, f.LastRunCount);
    }

    [Fact]
    public async Task NoCacheFilterRebuildsOnlyTheNamedStage()
    {
        using var f = await BuildFixture.CreateAsync();
        const string dockerfile = "FROM busybox:test AS deps\nRUN echo deps > /deps\nFROM deps AS app\nRUN echo app > /app\n";
        await f.BuildAsync(dockerfile);
        await f.BuildAsync(dockerfile, r => r with { NoCacheFilter = ["app"] });
        Assert.Equal(1, f.LastRunCount);
    }

    [Fact]
    public async Task WorkdirIsOwnedByTheNamedUser()
    {
        using var f = await BuildFixture.CreateAsync();
        var result = await f.BuildAsync("FROM busybox:test\nUSER builder\nWORKDIR /work/dir\n");

        var manifest = await f.Store.Blobs.ReadJsonAsync<Oci.ImageManifest>(result.ManifestDigest, TestContext.Current.CancellationToken);
        await using var blob = await f.Store.Blobs.OpenBlobAsync(manifest.Value.Layers[^1].Digest, TestContext.Current.CancellationToken);
        await using var tar = new System.IO.Compression.GZipStream(blob, System.IO.Compression.CompressionMode.Decompress);
        using var reader = new System.Formats.Tar.TarReader(tar);
        var entries = new Dictionary<string, (int Uid, int Gid, System.Formats.Tar.TarEntryType Type)>();
        while (await reader.GetNextEntryAsync(cancellationToken: TestContext.Current.CancellationToken) is { } entry)
        {
            entries[entry.Name.TrimEnd('/')] = (entry.Uid, entry.Gid, entry.EntryType);
        }

        Assert.Equal((1000, 1000), (entries["work"].Uid, entries["work"].Gid));
        Assert.Equal((1000, 1000), (entries["work/dir"].Uid, entries["work/dir"].Gid));
        Assert.Equal(2, entries.Count);
    }

    [Fact]
    public async Task ConcurrentBuildsOnOneStoreBothSucceed()
    {
        using var f = await BuildFixture.CreateAsync();
        await File.WriteAllTextAsync(Path.Combine(f.Context, "Dockerfile"), "FROM busybox:test\nRUN echo same > /same\nRUN echo $RANDOM > /random\n", TestContext.Current.CancellationToken);
        var request = new BuildRequest { ContextDirectory = f.Context };
        var builds = Enumerable.Range(0, 3).Select(_ => new ImageBuilder(f.Store).BuildAsync(request, TestContext.Current.CancellationToken));
        var results = await Task.WhenAll(builds);

        foreach (var result in results)
        {
            var rootfs = await f.ExtractAsync(result);
            Assert.Equal("same\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "same"), TestContext.Current.CancellationToken));
        }

        var cached = await new ImageBuilder(f.Store).BuildAsync(request, TestContext.Current.CancellationToken);
        Assert.Contains(cached.ManifestDigest, results.Select(r => r.ManifestDigest));
    }

    [Fact]
    public async Task IndependentStagesBuildAtTheSameTime()
    {
        using var f = await BuildFixture.CreateAsync();
        // Each stage's RUN waits (up to 10 s) for the other's mark in a shared cache mount: built one
        // after the other, the first would give up and fail; built in parallel, they meet.
        const string meet = "for i in $(seq 200); do [ -e /r/{0} ] && break; sleep 0.05; done; [ -e /r/{0} ]";
        var result = await f.BuildAsync($"""
            FROM busybox:test AS a
            RUN --mount=type=cache,id=rendezvous,target=/r touch /r/a && {string.Format(System.Globalization.CultureInfo.InvariantCulture, meet, "b")} && echo a > /a
            FROM busybox:test AS b
            RUN --mount=type=cache,id=rendezvous,target=/r touch /r/b && {string.Format(System.Globalization.CultureInfo.InvariantCulture, meet, "a")} && echo b > /b
            FROM scratch
            COPY --from=a /a /a
            COPY --from=b /b /b
            """);

        Assert.Equal(2, f.LastRunCount);
        var rootfs = await f.ExtractAsync(result);
        Assert.Equal("a\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "a"), TestContext.Current.CancellationToken));
        Assert.Equal("b\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "b"), TestContext.Current.CancellationToken));
    }
}
