using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using Dockerbuild.Engine.Execution;
using Dockerbuild.Engine.Tests.Runtime;
using Dockerbuild.Oci;
using Dockerbuild.Oci.Layout;
using Dockerbuild.Oci.Registry;
using Dockerbuild.Testing;
using Dockerbuild.Testing.Registry;

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
        using var f = await Arm64FixtureAsync();
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

    /// <summary>
    /// No --platform and an arm64-only base: BuildKit's autoDetectPlatform makes the stage arm64, so RUN goes
    /// through QEMU and the image's config keeps arm64 (finalizeResultImage stamps only an asked-for platform),
    /// while TARGET* come from BuildKit's global args, built once from the implicit target: the native platform.
    /// </summary>
    [Fact]
    public async Task WithoutPlatformAnArm64OnlyBaseMakesTheStageArm64()
    {
        var ct = TestContext.Current.CancellationToken;
        using var f = await Arm64FixtureAsync();

        var result = await f.BuildAsync(Dockerfile);

        var built = await f.ExtractAsync(result);
        Assert.Equal("aarch64\n", await File.ReadAllTextAsync(Path.Combine(built, "arch"), ct));
        Assert.Equal("linux/amd64|linux|amd64||linux/amd64|amd64\n", await File.ReadAllTextAsync(Path.Combine(built, "args"), ct));
        Assert.Equal(("linux", "arm64"), (result.Config.Os, result.Config.Architecture));
        Assert.DoesNotContain(f.Events, e => e.Kind == BuildEventKind.CheckWarning);

        // The stage is linux/arm64's as under --platform linux/arm64 (BuildKit's same LLB): the RUN before the
        // platform ARGs is cached; the one reading TARGET* is not, they differ.
        var arm64 = await f.BuildAsync(Dockerfile, r => r with { Platform = "linux/arm64" });
        Assert.Equal(1, f.LastRunCount);
        Assert.Equal("arm64", arm64.Config.Architecture);
    }

    /// <summary>
    /// <c>docker buildx build --platform linux/amd64,linux/arm64 --push</c>: the Dockerfile built once per
    /// platform from the base's matching manifest, pushed as an OCI index naming each platform, and each
    /// image's RUN ran on its own architecture (natively, then through QEMU).
    /// </summary>
    [Fact]
    public async Task AMultiPlatformBuildPushesAnIndexWhoseImagesRanOnTheirOwnArchitecture()
    {
        var ct = TestContext.Current.CancellationToken;
        await QemuEmulation.RequireAsync("aarch64");
        var skopeo = Require.Executable("skopeo", "skopeo");
        await using var registry = await RegistryServer.StartAsync(cancellationToken: ct);
        using var client = new RegistryClient(new RegistryClientOptions { CertificatesDirectory = registry.CertsDirectory });
        using var f = await BuildFixture.CreateAsync();
        f.Registry = client;
        // One base name for both platforms, as a multi-platform image pulled from a registry is stored.
        var arm64Base = await AddArm64BusyboxAsync(f, "busybox:arm64");
        var amd64Base = (await f.Store.GetAsync(BusyboxImage.Name, ct)).ManifestDigest;
        var baseIndex = RawJson<ImageIndex>.Create(new ImageIndex(
            [Child(f, amd64Base, "amd64"), Child(f, arm64Base, "arm64")]) { MediaType = MediaTypes.OciIndex });
        await f.Store.Blobs.WriteAsync(baseIndex, MediaTypes.OciIndex, ct);
        await f.Store.AddAsync(baseIndex.Digest, [ImageReference.Parse("busybox:multi")], ct);
        var name = $"{registry.Host}/multi/app:1";
        var layoutDir = Path.Combine(f.Context, "..", "layout");

        var result = await f.BuildAsync("FROM busybox:multi\nARG TARGETARCH\nRUN uname -m > /arch && echo $TARGETARCH > /target\n",
            r => r with { Platform = "linux/amd64,linux/arm64,linux/x86_64", Tags = [name], Outputs = ["type=registry", $"type=oci,dest={layoutDir}"] });

        // Duplicates after normalization are dropped, as buildx does: two platforms, in the order asked.
        Assert.True(result.IsIndex);
        Assert.Equal(["linux/amd64", "linux/arm64"], result.Platforms.Select(p => p.Platform.ToString()));
        Assert.Equal(["amd64", "arm64"], result.Platforms.Select(p => p.Config.Architecture));
        Assert.Equal(result.ManifestDigest, result.ImageId);
        Assert.Equal(2, f.LastRunCount);
        // BuildKit names a multi-platform build's steps with their platform; every step keeps its own number.
        var started = f.Events.Where(e => e.Kind == BuildEventKind.Started).ToList();
        Assert.Contains(started, e => e.Text.StartsWith("[linux/arm64 3/3] RUN uname -m", StringComparison.Ordinal));
        Assert.Equal(started.Count, started.Select(e => e.Step).Distinct().Count());

        // What the registry holds, read by skopeo: an OCI index naming both platforms, the tag on it.
        Assert.Equal(result.ManifestDigest, (await client.ResolveAsync(ImageReference.Parse(name), ct))?.Digest);
        using var raw = JsonDocument.Parse(await ExternalTool.OutputAsync(skopeo, "--insecure-policy", "inspect", "--tls-verify=false", "--raw", $"docker://{name}"));
        Assert.Equal(MediaTypes.OciIndex, raw.RootElement.GetProperty("mediaType").GetString());
        var manifests = raw.RootElement.GetProperty("manifests").EnumerateArray().ToList();
        Assert.Equal(["linux/amd64", "linux/arm64"], manifests.Select(m => m.GetProperty("platform").GetProperty("os").GetString() + "/" + m.GetProperty("platform").GetProperty("architecture").GetString()));
        Assert.Equal(result.Platforms.Select(p => p.ManifestDigest.ToString()), manifests.Select(m => m.GetProperty("digest").GetString()));
        foreach (var (architecture, uname) in new[] { ("amd64", "x86_64"), ("arm64", "aarch64") })
        {
            using var image = JsonDocument.Parse(await ExternalTool.OutputAsync(skopeo, "--insecure-policy", "--override-arch", architecture, "inspect", "--tls-verify=false", $"docker://{name}"));
            Assert.Equal(architecture, image.RootElement.GetProperty("Architecture").GetString());
            var top = image.RootElement.GetProperty("Layers").EnumerateArray().Last().GetString()!;
            var files = await LayerFilesAsync(new Uri(registry.BaseUri, $"v2/multi/app/blobs/{top}"), ct);
            Assert.Equal(uname + "\n", files["arch"]);
            Assert.Equal(architecture + "\n", files["target"]);
        }

        // The OCI layout's index.json points at the index; the local store resolves the tag per platform.
        var entry = Assert.Single((await OciLayout.OpenAsync(layoutDir, ct)).Manifests);
        Assert.Equal((MediaTypes.OciIndex, result.ManifestDigest), (entry.MediaType, entry.Digest));
        Assert.Equal("arm64", (await f.Store.OpenImageAsync(name, new Platform("linux", "arm64"), ct)).Config.Value.Architecture);
        Assert.Equal(result.ManifestDigest, (await f.Store.GetAsync(name, ct)).ManifestDigest);
    }

    /// <summary>Debian's arm64 busybox-static as an arm64 image named <paramref name="name"/>.</summary>
    /// <summary>QEMU's aarch64 emulator required, and a fixture whose only busybox is the arm64 one, as busybox:arm64.</summary>
    private static async Task<BuildFixture> Arm64FixtureAsync()
    {
        await QemuEmulation.RequireAsync("aarch64");
        var f = await BuildFixture.CreateAsync(withBusybox: false);
        await AddArm64BusyboxAsync(f, "busybox:arm64");
        return f;
    }

    private static async Task<Digest> AddArm64BusyboxAsync(BuildFixture f, string name)
    {
        var rootfs = Path.Combine(f.Context, "..", "busybox-arm64");
        await DebianPackage.ExtractAsync("busybox-static", "arm64", rootfs);
        foreach (var applet in (string[])["sh", "uname", "cat", "echo"])
        {
            File.CreateSymbolicLink(Path.Combine(rootfs, "bin", applet), "busybox");
        }

        Directory.CreateDirectory(Path.Combine(rootfs, "etc"));
        await File.WriteAllTextAsync(Path.Combine(rootfs, "etc", "passwd"), BusyboxRootfs.Passwd);
        return await BusyboxImage.AddAsync(f.Store, rootfs, name, new Platform("linux", "arm64"));
    }

    private static Descriptor Child(BuildFixture f, Digest manifest, string architecture) =>
        new(MediaTypes.OciManifest, manifest, f.Store.Blobs.SizeOf(manifest)!.Value) { Platform = new Platform("linux", architecture) };

    /// <summary>The regular files of a gzip layer fetched straight from the registry, by path.</summary>
    private static async Task<Dictionary<string, string>> LayerFilesAsync(Uri blob, CancellationToken ct)
    {
        using var http = new HttpClient();
        await using var gzip = new GZipStream(await http.GetStreamAsync(blob, ct), CompressionMode.Decompress);
        await using var tar = new TarReader(gzip);
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await tar.GetNextEntryAsync(cancellationToken: ct) is { } entry)
        {
            if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && entry.DataStream is { } data)
            {
                using var reader = new StreamReader(data);
                files[entry.Name.TrimStart('.', '/')] = await reader.ReadToEndAsync(ct);
            }
        }

        return files;
    }
}
