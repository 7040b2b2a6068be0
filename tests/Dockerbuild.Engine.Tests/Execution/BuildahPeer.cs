using Dockerbuild.Oci;
using Dockerbuild.Testing;

namespace Dockerbuild.Engine.Tests.Execution;

/// <summary>
/// One store and one buildah (1.28, own --root/--runroot, vfs driver, runc) holding the same busybox
/// base as <c>localhost/busybox:test</c>, so a Dockerfile can be built by both and the images read back
/// from OCI layouts with <see cref="LayoutImage"/>. Made once per test class.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BuildahPeer : IAsyncLifetime
{
    public const string Base = "localhost/busybox:test";

    private readonly TempDirectory root = new("dockerbuild-buildah-");
    private BuildFixture? fixture;
    private string buildah = "";
    private int builds;

    internal BuildFixture Ours => fixture ?? throw new InvalidOperationException("not initialized");

    public async ValueTask InitializeAsync()
    {
        buildah = Require.Executable("buildah", "buildah");
        Require.Executable("runc", "runc");
        if (Environment.UserName != "root")
        {
            Require.Fail("The buildah comparison runs buildah with runc as root; this test process is not root.");
        }

        fixture = await BuildFixture.CreateAsync();
        var record = await fixture.Store.GetAsync(BusyboxImage.Name, TestContext.Current.CancellationToken);
        await fixture.Store.TagAsync(ImageReference.Parse(Base), record.ManifestDigest, TestContext.Current.CancellationToken);

        // The same bytes for buildah: our busybox image written as an OCI layout, pulled and named.
        // buildah names an image pulled from a layout after its path, which must then be lowercase.
        var layout = Path.Combine(Path.GetTempPath(), "dockerbuild-buildah-base-" + Guid.NewGuid().ToString("N"));
        try
        {
            await fixture.BuildAsync("FROM " + Base + "\n", r => r with { Outputs = [$"type=oci,dest={layout}"] });
            var id = (await BuildahAsync("pull", "-q", "oci:" + layout)).Trim();
            await BuildahAsync("tag", id, Base);
        }
        finally
        {
            Directory.Delete(layout, recursive: true);
        }
    }

    /// <summary>Builds <paramref name="dockerfile"/> in <see cref="BuildFixture.Context"/> with both builders.</summary>
    /// <summary>
    /// The docker-format config buildah keeps for the last image built (<c>buildah inspect</c>):
    /// pushing to an OCI layout converts it to an OCI config, which has no Healthcheck.
    /// </summary>
    public async Task<System.Text.Json.Nodes.JsonObject> LastDockerConfigAsync() =>
        System.Text.Json.Nodes.JsonNode.Parse(await BuildahAsync("inspect", "--type", "image", $"compare:{builds}"))!["Docker"]!["config"]!.AsObject();

    public async Task<(LayoutImage Ours, LayoutImage Buildah)> BuildBothAsync(string dockerfile)
    {
        var n = ++builds;
        var ours = root.Combine($"ours-{n}");
        await Ours.BuildAsync(dockerfile, r => r with { Tags = [$"compare:{n}"], Outputs = [$"type=oci,dest={ours}"] });

        // --layers: a layer and history entry per instruction, as BuildKit; docker format keeps
        // HEALTHCHECK, which buildah drops from OCI configs.
        var theirs = root.Combine($"buildah-{n}");
        await BuildahAsync("bud", "--layers", "--format", "docker", "--runtime", Require.Executable("runc", "runc"), "--isolation", "oci", "-q", "-t", $"compare:{n}", Ours.Context);
        await BuildahAsync("push", "-q", $"compare:{n}", $"oci:{theirs}:{n}");
        return (await LayoutImage.ReadAsync(ours), await LayoutImage.ReadAsync(theirs));
    }

    private Task<string> BuildahAsync(params string[] arguments) =>
        ExternalTool.OutputAsync(buildah, ["--root", root.Combine("storage"), "--runroot", root.Combine("run"), "--storage-driver", "vfs", .. arguments]);

    public async ValueTask DisposeAsync()
    {
        if (buildah.Length > 0 && Directory.Exists(root.Combine("storage")))
        {
            // vfs layers may hold read-only directories; buildah removes its own storage cleanly.
            await ExternalTool.RunAsync(buildah, ["--root", root.Combine("storage"), "--runroot", root.Combine("run"), "--storage-driver", "vfs", "rmi", "--all", "--force"]);
        }

        fixture?.Dispose();
        root.Dispose();
    }
}
