using Dockerbuild.Dockerfile;
using Dockerbuild.Engine.Planning;

namespace Dockerbuild.Engine.Tests.Execution;

/// <summary>
/// <c>RUN --mount</c> forms, with BuildKit as the expectation: dockerfile2llb's dispatchRunMounts,
/// dispatchSecret and dispatchSSH, llb's defaults (secret mode 0400, SSH_AUTH_SOCK on the first ssh
/// target) and the solver's mount manager (a cache is made from its from= source on first use; an
/// optional secret or ssh socket that is not there is left out).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class RunMountTests
{
    [Fact]
    public async Task ACacheMountIsSeededFromAStagePathAndThenPersists()
    {
        using var f = await BuildFixture.CreateAsync();
        var result = await f.BuildAsync("""
            FROM busybox:test AS seed
            RUN mkdir -p /data && echo seeded > /data/s
            FROM busybox:test
            RUN --mount=type=cache,from=seed,source=/data,target=/c cat /c/s > /got && echo more > /c/added
            RUN --mount=type=cache,from=seed,source=/data,target=/c cat /c/added > /persisted
            RUN --mount=type=cache,target=/c ls /c > /unseeded
            """);

        var rootfs = await f.ExtractAsync(result);
        Assert.Equal("seeded\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "got"), TestContext.Current.CancellationToken));
        Assert.Equal("more\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "persisted"), TestContext.Current.CancellationToken));
        Assert.Equal("", await File.ReadAllTextAsync(Path.Combine(rootfs, "unseeded"), TestContext.Current.CancellationToken));
        Assert.False(File.Exists(Path.Combine(rootfs, "c", "s")));
    }

    [Fact]
    public async Task ACacheMountFromANamedContextIsSeededFromIt()
    {
        using var f = await BuildFixture.CreateAsync();
        var named = Path.Combine(f.Context, "..", "deps");
        Directory.CreateDirectory(Path.Combine(named, "pkgs"));
        await File.WriteAllTextAsync(Path.Combine(named, "pkgs", "p"), "pkg\n", TestContext.Current.CancellationToken);

        var result = await f.BuildAsync(
            "FROM busybox:test\nRUN --mount=type=cache,from=deps,source=pkgs,target=/c cat /c/p > /got\n",
            r => r with { NamedContexts = new Dictionary<string, string> { ["deps"] = named } });

        var rootfs = await f.ExtractAsync(result);
        Assert.Equal("pkg\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "got"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task BuildkitCacheMountNsSeparatesCaches()
    {
        using var f = await BuildFixture.CreateAsync();
        const string dockerfile = "FROM busybox:test\nRUN --mount=type=cache,target=/c (cat /c/n 2>/dev/null || echo none) > /seen && echo filled > /c/n\n";
        await f.BuildAsync(dockerfile, r => r with { BuildArgs = new Dictionary<string, string> { ["BUILDKIT_CACHE_MOUNT_NS"] = "one" } });

        var other = await f.BuildAsync(dockerfile, r => r with { BuildArgs = new Dictionary<string, string> { ["BUILDKIT_CACHE_MOUNT_NS"] = "two" }, NoCache = true });
        var same = await f.BuildAsync(dockerfile, r => r with { BuildArgs = new Dictionary<string, string> { ["BUILDKIT_CACHE_MOUNT_NS"] = "one" }, NoCache = true });

        Assert.Equal("none\n", await File.ReadAllTextAsync(Path.Combine(await f.ExtractAsync(other), "seen"), TestContext.Current.CancellationToken));
        Assert.Equal("filled\n", await File.ReadAllTextAsync(Path.Combine(await f.ExtractAsync(same), "seen"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ACacheMountGetsModeAndOwnerAndEverySharingModeWorks()
    {
        using var f = await BuildFixture.CreateAsync();
        var result = await f.BuildAsync("""
            FROM busybox:test
            RUN --mount=type=cache,target=/c,uid=1000,gid=50,mode=0700 stat -c '%u:%g:%a' /c > /owner
            RUN --mount=type=cache,target=/s,sharing=shared echo 1 > /s/x
            RUN --mount=type=cache,target=/s,sharing=locked cat /s/x > /locked
            RUN --mount=type=cache,target=/s,sharing=private cat /s/x > /private
            """);

        var rootfs = await f.ExtractAsync(result);
        Assert.Equal("1000:50:700\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "owner"), TestContext.Current.CancellationToken));
        Assert.Equal("1\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "locked"), TestContext.Current.CancellationToken));
        Assert.Equal("1\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "private"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ARelativeTargetIsUnderTheWorkdirAndBindFromAStageOrImageWorks()
    {
        using var f = await BuildFixture.CreateAsync();
        await File.WriteAllTextAsync(Path.Combine(f.Context, "input.txt"), "bound\n", TestContext.Current.CancellationToken);
        var result = await f.BuildAsync("""
            FROM busybox:test AS other
            RUN echo staged > /staged
            FROM busybox:test
            WORKDIR /w
            RUN --mount=type=bind,source=input.txt,target=in.txt cat /w/in.txt > /rel
            RUN --mount=type=bind,from=other,source=/staged,target=/m/staged cat /m/staged > /from-stage
            RUN --mount=type=bind,from=busybox:test,source=/etc,target=/img grep -c builder /img/passwd > /from-image
            """);

        var rootfs = await f.ExtractAsync(result);
        Assert.Equal("bound\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "rel"), TestContext.Current.CancellationToken));
        Assert.Equal("staged\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "from-stage"), TestContext.Current.CancellationToken));
        Assert.Equal("1\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "from-image"), TestContext.Current.CancellationToken));
        Assert.False(File.Exists(Path.Combine(rootfs, "w", "in.txt")));
    }

    [Fact]
    public async Task SecretsAreFilesWithMode0400OrVariablesAndOptionalOnesMayBeMissing()
    {
        using var f = await BuildFixture.CreateAsync();
        var secretFile = Path.Combine(f.Context, "..", "token");
        await File.WriteAllTextAsync(secretFile, "s3cret", TestContext.Current.CancellationToken);
        var result = await f.BuildAsync("""
            FROM busybox:test
            RUN --mount=type=secret,id=tok stat -c '%a %u' /run/secrets/tok > /file-mode
            RUN --mount=type=secret,id=tok,target=/etc/tok,uid=1000,mode=0440 stat -c '%a %u' /etc/tok > /target-mode
            RUN --mount=type=secret,id=tok,env=TOK test "$TOK" = s3cret && test ! -e /run/secrets/tok && echo ok > /env
            RUN --mount=type=secret,id=nope,env=NOPE test -z "$NOPE" && test ! -e /run/secrets/nope && echo ok > /optional
            """, r => r with { Secrets = [BuildSecret.Parse($"id=tok,src={secretFile}")] });

        var rootfs = await f.ExtractAsync(result);
        Assert.Equal("400 0\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "file-mode"), TestContext.Current.CancellationToken));
        Assert.Equal("440 1000\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "target-mode"), TestContext.Current.CancellationToken));
        Assert.Equal("ok\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "env"), TestContext.Current.CancellationToken));
        Assert.Equal("ok\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "optional"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ARequiredSecretThatIsMissingFailsOnItsLine()
    {
        using var f = await BuildFixture.CreateAsync();
        var error = await Assert.ThrowsAsync<DockerfileException>(() => f.BuildAsync("FROM busybox:test\nRUN --mount=type=secret,id=tok,required true\n"));

        Assert.StartsWith("Dockerfile:2:", error.Message, StringComparison.Ordinal);
        Assert.Contains("secret tok: not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnOptionalSshMountWithoutAgentIsLeftOutButNamesTheSocket()
    {
        using var f = await BuildFixture.CreateAsync();
        var result = await f.BuildAsync("""
            FROM busybox:test
            RUN --mount=type=ssh echo "$SSH_AUTH_SOCK" > /sock && test ! -e /run/buildkit/ssh_agent.0
            """);

        var rootfs = await f.ExtractAsync(result);
        Assert.Equal("/run/buildkit/ssh_agent.0\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "sock"), TestContext.Current.CancellationToken));
        Assert.False(Directory.Exists(Path.Combine(rootfs, "run", "buildkit")));
    }

    [Fact]
    public async Task ARequiredSshMountWithoutAgentIsBuildKitsError()
    {
        using var f = await BuildFixture.CreateAsync();
        var error = await Assert.ThrowsAsync<DockerfileException>(() => f.BuildAsync("FROM busybox:test\nRUN --mount=type=ssh,required true\n"));

        Assert.Contains("no SSH key \"default\" forwarded from the client", error.Message, StringComparison.Ordinal);
    }
}
