using Dockerbuild.Engine.Tests.Runtime;
using Dockerbuild.Oci;
using Dockerbuild.Oci.Layout;
using Dockerbuild.Testing;

namespace Dockerbuild.Engine.Tests.Execution;

/// <summary>
/// <c>--platform linux/arm64</c> on an amd64 machine, as BuildKit builds it with QEMU registered in
/// binfmt_misc: RUN executes the arm64 base's programs through the emulator under runc.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class EmulatedPlatformTests
{
    private const string Dockerfile = """
        FROM busybox:arm64
        RUN uname -m > /arch
        ARG TARGETPLATFORM TARGETOS TARGETARCH TARGETVARIANT BUILDPLATFORM BUILDARCH
        RUN echo "$TARGETPLATFORM|$TARGETOS|$TARGETARCH|$TARGETVARIANT|$BUILDPLATFORM|$BUILDARCH" > /args

        """;

    [Fact]
    public async Task AnArm64BuildRunsThroughQemuAndIsAnArm64Image()
    {
        var ct = TestContext.Current.CancellationToken;
        await QemuEmulation.RequireAsync("aarch64");
        using var f = await BuildFixture.CreateAsync(withBusybox: false);
        var rootfs = Path.Combine(f.Context, "..", "busybox-arm64");
        await DebianPackage.ExtractAsync("busybox-static", "arm64", rootfs);
        foreach (var applet in (string[])["sh", "uname", "cat"])
        {
            File.CreateSymbolicLink(Path.Combine(rootfs, "bin", applet), "busybox");
        }

        Directory.CreateDirectory(Path.Combine(rootfs, "etc"));
        await File.WriteAllTextAsync(Path.Combine(rootfs, "etc", "passwd"), BusyboxRootfs.Passwd, ct);
        await BusyboxImage.AddAsync(f.Store, rootfs, "busybox:arm64", new Platform("linux", "arm64"));
        var layoutDir = Path.Combine(f.Context, "..", "layout");

        var result = await f.BuildAsync(Dockerfile, r => r with { Platform = "linux/arm64", Tags = ["app:arm64"], Outputs = [$"type=oci,dest={layoutDir}"] });

        var built = await f.ExtractAsync(result);
        Assert.Equal("aarch64\n", await File.ReadAllTextAsync(Path.Combine(built, "arch"), ct));
        // BuildKit's platform ARGs: TARGET* is what the image is for, BUILD* where the build runs.
        Assert.Equal("linux/arm64|linux|arm64||linux/amd64|amd64\n", await File.ReadAllTextAsync(Path.Combine(built, "args"), ct));
        Assert.Equal(("linux", "arm64", (string?)null), (result.Config.Os, result.Config.Architecture, result.Config.Variant));
        Assert.Equal("arm64", (await f.Store.OpenImageAsync("app:arm64", cancellationToken: ct)).Config.Value.Architecture);
        Assert.Equal("linux/arm64", Assert.Single((await OciLayout.OpenAsync(layoutDir, ct)).Manifests).Platform?.ToString());

        // The same steps for amd64 (the arm64 busybox still runs, through the same emulator) never take arm64's cache.
        var amd64 = await f.BuildAsync(Dockerfile, r => r with { Platform = "linux/amd64" });
        Assert.Equal(2, f.LastRunCount);
        Assert.Equal("amd64", amd64.Config.Architecture);
    }
}
