using Dockerbuild.Dockerfile;
using Dockerbuild.Dockerfile.Instructions;
using Dockerbuild.Dockerfile.Syntax;
using Dockerbuild.Engine.Execution;
using Dockerbuild.Engine.Planning;
using Dockerbuild.Engine.Tests.Runtime;
using Dockerbuild.Oci;

namespace Dockerbuild.Engine.Tests.Execution;

/// <summary>
/// InvalidBaseImagePlatform, which BuildKit reports while building once a FROM's image is resolved: the image
/// is a single-platform one for another architecture than the stage builds for (its --platform, else the
/// target). The stages here only set metadata, so no emulator is needed to build them.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BaseImagePlatformCheckTests
{
    private const string Arm64Image = "busybox:arm64-config";

    [Fact]
    public async Task ABaseForAnotherArchitectureIsReportedAtItsFrom()
    {
        using var f = await FixtureAsync();

        await f.BuildAsync($"FROM busybox:test AS ok\nENV A=1\n\nFROM {Arm64Image}\nCOPY --from=ok /bin/sh /sh\n", r => r with { Platform = "linux/amd64" });
        var warning = Assert.Single(f.Events, e => e.Kind == BuildEventKind.CheckWarning);
        // As BuildKit prints it (docker buildx's "1 warning found" list).
        Assert.Equal($"InvalidBaseImagePlatform: Base image {Arm64Image} was pulled with platform \"linux/arm64\", expected \"linux/amd64\" for current build (line 4)", warning.Text);

        // FROM --platform sets what is expected, whatever the target; the name carries ARGs expanded.
        f.Events.Clear();
        await f.BuildAsync("ARG TAG=test\nFROM --platform=linux/arm64 busybox:${TAG} AS arm64\nENV A=1\n", r => r with { Platform = "linux/amd64" });
        warning = Assert.Single(f.Events, e => e.Kind == BuildEventKind.CheckWarning);
        Assert.Equal("InvalidBaseImagePlatform: Base image busybox:test was pulled with platform \"linux/amd64\", expected \"linux/arm64\" for current build (line 2)", warning.Text);

        f.Events.Clear();
        await f.BuildAsync($"FROM --platform=linux/arm64 {Arm64Image} AS arm64\nENV A=1\nFROM busybox:test\nCOPY --from=arm64 /bin/sh /sh\n");
        Assert.DoesNotContain(f.Events, e => e.Kind == BuildEventKind.CheckWarning);

        await f.BuildAsync($"# check=skip=InvalidBaseImagePlatform\nFROM {Arm64Image}\nENV A=1\n", r => r with { Platform = "linux/amd64" });
        Assert.DoesNotContain(f.Events, e => e.Kind == BuildEventKind.CheckWarning);
    }

    /// <summary>BuildKit resolves an image named by COPY --from or RUN --mount from= as a stage of its own, checked at that line.</summary>
    [Fact]
    public async Task ImagesReadByCopyFromAndRunMountsAreCheckedWhereTheyAreNamed()
    {
        using var f = await FixtureAsync();
        var expected = $"InvalidBaseImagePlatform: Base image {Arm64Image} was pulled with platform \"linux/arm64\", expected \"linux/amd64\" for current build";

        await f.BuildAsync($"FROM busybox:test\nCOPY --from={Arm64Image} /bin/sh /sh-arm\n", r => r with { Platform = "linux/amd64" });
        Assert.Equal(expected + " (line 2)", Assert.Single(f.Events, e => e.Kind == BuildEventKind.CheckWarning).Text);

        f.Events.Clear();
        await f.BuildAsync($"FROM busybox:test\nENV A=1\nRUN --mount=from={Arm64Image},target=/m test -e /m/bin/sh\n", r => r with { Platform = "linux/amd64" });
        Assert.Equal(expected + " (line 3)", Assert.Single(f.Events, e => e.Kind == BuildEventKind.CheckWarning).Text);
    }

    /// <summary>
    /// Without any --platform, BuildKit's autoDetectPlatform makes a base's own platform the stage's when the
    /// worker runs it (natively or through QEMU): then nothing is reported. Only without an emulator is it.
    /// </summary>
    [Fact]
    public async Task WithoutAnyPlatformABaseTheMachineCanEmulateIsAdoptedSilently()
    {
        using var f = await FixtureAsync();
        using var binfmt = await BinfmtAsync(f, aarch64: false);
        var dockerfile = $"FROM {Arm64Image}\nENV A=1\n";

        await f.BuildAsync(dockerfile);
        var warning = Assert.Single(f.Events, e => e.Kind == BuildEventKind.CheckWarning);
        Assert.Equal($"InvalidBaseImagePlatform: Base image {Arm64Image} was pulled with platform \"linux/arm64\", expected \"linux/amd64\" for current build (line 1)", warning.Text);

        await RegisterAarch64Async(binfmt);
        f.Events.Clear();
        await f.BuildAsync(dockerfile);
        Assert.DoesNotContain(f.Events, e => e.Kind == BuildEventKind.CheckWarning);

        // An explicit --platform leaves nothing to detect.
        await f.BuildAsync(dockerfile, r => r with { Platform = "linux/amd64" });
        Assert.Single(f.Events, e => e.Kind == BuildEventKind.CheckWarning);
    }

    /// <summary>
    /// BuildKit's resolveBaseImage adopts the detected platform for the stage, and finalizeResultImage leaves the
    /// base's platform in the config unless --platform was given; TARGETARCH is a global arg of the implicit
    /// (native) target in every stage. An explicit --platform keeps amd64 and reports the base.
    /// </summary>
    [Fact]
    public async Task WithoutAnyPlatformTheImageIsForTheAdoptedBasesPlatform()
    {
        using var f = await FixtureAsync();
        using var binfmt = await BinfmtAsync(f, aarch64: true);
        var dockerfile = $"FROM {Arm64Image}\nARG TARGETARCH\nLABEL target=$TARGETARCH\n";

        var implicitBuild = await f.BuildAsync(dockerfile);
        Assert.Equal(("linux", "arm64", "amd64"), (implicitBuild.Config.Os, implicitBuild.Config.Architecture, implicitBuild.Config.Config.Labels?["target"]));
        Assert.DoesNotContain(f.Events, e => e.Kind == BuildEventKind.CheckWarning);

        var explicitBuild = await f.BuildAsync(dockerfile, r => r with { Platform = "linux/amd64" });
        Assert.Equal(("linux", "amd64", "amd64"), (explicitBuild.Config.Os, explicitBuild.Config.Architecture, explicitBuild.Config.Config.Labels?["target"]));
        Assert.Equal(
            $"InvalidBaseImagePlatform: Base image {Arm64Image} was pulled with platform \"linux/arm64\", expected \"linux/amd64\" for current build (line 1)",
            Assert.Single(f.Events, e => e.Kind == BuildEventKind.CheckWarning).Text);
    }

    [Fact]
    public async Task AMultiPlatformBuildReportsThePlatformsTheBaseDoesNotServe()
    {
        using var f = await FixtureAsync();

        // busybox:test is amd64 only: the arm64 image of the index is built from it, as BuildKit does, with a warning.
        await f.BuildAsync("FROM busybox:test\nENV A=1\n", r => r with { Platform = "linux/amd64,linux/arm64", Tags = ["multi:1"] });

        var warning = Assert.Single(f.Events, e => e.Kind == BuildEventKind.CheckWarning);
        Assert.Equal("InvalidBaseImagePlatform: Base image busybox:test was pulled with platform \"linux/amd64\", expected \"linux/arm64\" for current build (line 1)", warning.Text);
    }

    [Fact]
    public async Task CheckErrorFailsBeforeBuildingAndTheCheckOnlyPathSeesLocalBases()
    {
        using var f = await FixtureAsync();
        var dockerfile = $"# check=error=true\nFROM {Arm64Image}\nRUN touch /x\n";

        var error = await Assert.ThrowsAsync<BuildException>(() => f.BuildAsync(dockerfile, r => r with { Platform = "linux/amd64" }));
        Assert.Equal("lint violation found for rules: InvalidBaseImagePlatform", error.Message);
        Assert.Equal(0, f.LastRunCount);

        // What `dotnet build` checks without building: the base is in the local store, so its platform is known.
        var syntax = DockerfileParser.Parse(dockerfile, "Dockerfile");
        var request = new BuildRequest { ContextDirectory = f.Context, Platform = "linux/amd64" };
        var finding = Assert.Single(await LocalBuildChecks.RunAsync(syntax, DockerfileBinder.Bind(syntax), request, f.Store, TestContext.Current.CancellationToken));
        Assert.Equal(("InvalidBaseImagePlatform", 2, true), (finding.RuleName, finding.Span.StartLine, finding.IsError));
        Assert.Empty(await LocalBuildChecks.RunAsync(syntax, DockerfileBinder.Bind(syntax), request with { Platform = "linux/arm64" }, f.Store, TestContext.Current.CancellationToken));
    }

    /// <summary>A binfmt_misc directory of the fixture's own, enabled, with QEMU's aarch64 entry or none.</summary>
    private static async Task<Dockerbuild.Testing.TempDirectory> BinfmtAsync(BuildFixture f, bool aarch64)
    {
        var binfmt = new Dockerbuild.Testing.TempDirectory("dockerbuild-binfmt-");
        f.BinfmtDirectory = binfmt.Path;
        await File.WriteAllTextAsync(binfmt.Combine("status"), "enabled\n", TestContext.Current.CancellationToken);
        if (aarch64)
        {
            await RegisterAarch64Async(binfmt);
        }

        return binfmt;
    }

    /// <summary>qemu-user-static's aarch64 registration, with the F flag the engine needs.</summary>
    private static Task RegisterAarch64Async(Dockerbuild.Testing.TempDirectory binfmt) => File.WriteAllTextAsync(
        binfmt.Combine("qemu-aarch64"),
        "enabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\nflags: POF\noffset 0\nmagic 7f454c460201010000000000000000000200b700\nmask ffffffffffffff00fffffffffffffffffeffffff\n",
        TestContext.Current.CancellationToken);

    /// <summary>
    /// BuildKit's converter resolves the images COPY --from and RUN --mount from= name before solving anything,
    /// so under check=error=true their platform fails the build before the RUN ahead of them runs.
    /// </summary>
    [Fact]
    public async Task CheckErrorFailsBeforeAnyStepOnImagesReadByCopyFromAndRunMounts()
    {
        using var f = await FixtureAsync();

        foreach (var reader in new[] { $"COPY --from={Arm64Image} /bin/sh /sh", $"RUN --mount=from={Arm64Image},target=/m test -e /m/bin/sh" })
        {
            var error = await Assert.ThrowsAsync<BuildException>(() => f.BuildAsync($"# check=error=true\nFROM busybox:test\nRUN touch /marker\n{reader}\n", r => r with { Platform = "linux/amd64" }));
            Assert.Equal("lint violation found for rules: InvalidBaseImagePlatform", error.Message);
            Assert.Equal(0, f.LastRunCount);
        }
    }

    /// <summary>A base the store does not hold is pulled up front under check=error=true, so its platform fails the build before any step.</summary>
    [Fact]
    public async Task CheckErrorPullsAMissingBaseBeforeAnyStep()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var registry = await Dockerbuild.Testing.Registry.RegistryServer.StartAsync(cancellationToken: ct);
        using var client = new Dockerbuild.Oci.Registry.RegistryClient(new Dockerbuild.Oci.Registry.RegistryClientOptions { CertificatesDirectory = registry.CertsDirectory });
        var name = $"{registry.Host}/base/arm64";
        using (var source = await FixtureAsync())
        {
            var local = await source.Store.OpenImageAsync(Arm64Image, cancellationToken: ct);
            await client.PushImageAsync(ImageReference.Parse(name), ["1"], new Dockerbuild.Oci.Registry.RegistryManifest(MediaTypes.OciManifest, local.Manifest.Bytes), source.Store.Blobs, null, null, ct);
        }

        using var f = await BuildFixture.CreateAsync(withBusybox: false);
        f.Registry = client;
        var error = await Assert.ThrowsAsync<BuildException>(() => f.BuildAsync($"# check=error=true\nFROM {name}:1\nRUN touch /marker\n", r => r with { Platform = "linux/amd64" }));
        Assert.Equal("lint violation found for rules: InvalidBaseImagePlatform", error.Message);
        Assert.Equal(0, f.LastRunCount);
    }

    /// <summary>busybox:test (amd64) and the same files under a config that says arm64.</summary>
    private static async Task<BuildFixture> FixtureAsync()
    {
        var f = await BuildFixture.CreateAsync();
        var rootfs = BusyboxRootfs.Create(Path.Combine(f.Context, "..", "busybox-arm64-config"));
        await BusyboxImage.AddAsync(f.Store, rootfs, Arm64Image, new Platform("linux", "arm64"));
        return f;
    }
}
