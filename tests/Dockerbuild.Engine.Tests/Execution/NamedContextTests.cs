using Dockerbuild.Engine.Tests.Runtime;

namespace Dockerbuild.Engine.Tests.Execution;

/// <summary>
/// <c>--build-context NAME=DIR</c>, with BuildKit's named local contexts as the expectation: FROM NAME
/// takes the directory as the root filesystem over an empty config (nothing inherited, PATH only);
/// COPY --from=NAME and RUN --mount from=NAME read the directory.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class NamedContextTests
{
    [Fact]
    public async Task ADirectoryNamedContextIsAFromBaseWithAnEmptyConfig()
    {
        using var f = await BuildFixture.CreateAsync();
        var named = BusyboxRootfs.Create(Path.Combine(f.Context, "..", "base-dir"));
        await File.WriteAllTextAsync(Path.Combine(named, "extra.txt"), "from the directory\n", TestContext.Current.CancellationToken);

        var result = await f.BuildAsync("FROM base\nRUN cat /extra.txt > /seen\n", r => r with { NamedContexts = new Dictionary<string, string> { ["base"] = named } });

        Assert.Null(result.Config.Config.Cmd);
        Assert.Equal(["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], result.Config.Config.Env);
        Assert.Equal(2, result.Config.RootFs.DiffIds.Count);
        var rootfs = await f.ExtractAsync(result);
        Assert.Equal("from the directory\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "seen"), TestContext.Current.CancellationToken));
        Assert.True(File.Exists(Path.Combine(rootfs, "bin", "busybox")));
        Assert.Contains(f.Events, e => e.Text == "[1/2] FROM base");
    }

    [Fact]
    public async Task AnUnchangedDirectoryBaseIsCachedAndAChangeRebuilds()
    {
        using var f = await BuildFixture.CreateAsync();
        var named = BusyboxRootfs.Create(Path.Combine(f.Context, "..", "base-dir"));
        const string dockerfile = "FROM base\nRUN cat /v > /seen\n";
        await File.WriteAllTextAsync(Path.Combine(named, "v"), "1\n", TestContext.Current.CancellationToken);
        Func<Dockerbuild.Engine.Planning.BuildRequest, Dockerbuild.Engine.Planning.BuildRequest> withBase = r => r with { NamedContexts = new Dictionary<string, string> { ["base"] = named } };

        var first = await f.BuildAsync(dockerfile, withBase);
        var again = await f.BuildAsync(dockerfile, withBase);
        Assert.Equal(0, f.LastRunCount);
        Assert.Equal(first.ManifestDigest, again.ManifestDigest);

        await File.WriteAllTextAsync(Path.Combine(named, "v"), "2\n", TestContext.Current.CancellationToken);
        var changed = await f.BuildAsync(dockerfile, withBase);
        Assert.Equal(1, f.LastRunCount);
        var rootfs = await f.ExtractAsync(changed);
        Assert.Equal("2\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "seen"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ANamedContextIsACopyAndMountSource()
    {
        using var f = await BuildFixture.CreateAsync();
        var named = Path.Combine(f.Context, "..", "named");
        Directory.CreateDirectory(Path.Combine(named, "sub"));
        await File.WriteAllTextAsync(Path.Combine(named, "sub", "n.txt"), "named\n", TestContext.Current.CancellationToken);

        var result = await f.BuildAsync("""
            FROM busybox:test
            COPY --from=extra sub/n.txt /copied
            RUN --mount=type=bind,from=extra,source=sub,target=/m cat /m/n.txt > /mounted
            """, r => r with { NamedContexts = new Dictionary<string, string> { ["extra"] = named } });

        var rootfs = await f.ExtractAsync(result);
        Assert.Equal("named\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "copied"), TestContext.Current.CancellationToken));
        Assert.Equal("named\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "mounted"), TestContext.Current.CancellationToken));
    }

    /// <summary>BuildKit reads a named local context's own .dockerignore and sends only what it keeps.</summary>
    [Fact]
    public async Task ANamedContextsOwnDockerignoreApplies()
    {
        using var f = await BuildFixture.CreateAsync();
        var named = BusyboxRootfs.Create(Path.Combine(f.Context, "..", "base-dir"));
        await File.WriteAllTextAsync(Path.Combine(named, ".dockerignore"), "secret.txt\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(named, "secret.txt"), "no\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(named, "kept.txt"), "yes\n", TestContext.Current.CancellationToken);

        var result = await f.BuildAsync("""
            FROM base
            COPY --from=base / /copy/
            RUN ls /copy > /listing
            """, r => r with { NamedContexts = new Dictionary<string, string> { ["base"] = named } });

        var rootfs = await f.ExtractAsync(result);
        Assert.False(File.Exists(Path.Combine(rootfs, "secret.txt")));
        Assert.True(File.Exists(Path.Combine(rootfs, "kept.txt")));
        Assert.False(File.Exists(Path.Combine(rootfs, "copy", "secret.txt")));
        Assert.True(File.Exists(Path.Combine(rootfs, "copy", "kept.txt")));
    }

    [Fact]
    public async Task AMissingNamedContextDirectoryIsAClearError()
    {
        using var f = await BuildFixture.CreateAsync();
        var error = await Assert.ThrowsAsync<Dockerfile.DockerfileException>(() => f.BuildAsync(
            "FROM base\n", r => r with { NamedContexts = new Dictionary<string, string> { ["base"] = "/nonexistent/dir" } }));

        Assert.StartsWith("Dockerfile:1:", error.Message, StringComparison.Ordinal);
        Assert.Contains("named build context directory /nonexistent/dir does not exist", error.Message, StringComparison.Ordinal);
    }
}
