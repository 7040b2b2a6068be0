using Dockerbuild.Engine.Tests.Runtime;
using Dockerbuild.Oci;
using Dockerbuild.Oci.Layers;
using Dockerbuild.Oci.Storage;

namespace Dockerbuild.Engine.Tests.Execution;

/// <summary>
/// <c>busybox:test</c> in a store: one layer made from <see cref="BusyboxRootfs"/>, timestamps clamped
/// to the epoch so every store gets the same bytes, and a config like Docker Hub's busybox (CMD sh).
/// </summary>
internal static class BusyboxImage
{
    public const string Name = "busybox:test";

    public static Task<Digest> AddAsync(ImageStore store, string scratchDirectory) =>
        AddAsync(store, BusyboxRootfs.Create(Path.Combine(scratchDirectory, "busybox-rootfs")), Name, new Platform("linux", "amd64"));

    /// <summary>An image of <paramref name="rootfs"/> for <paramref name="platform"/>, tagged <paramref name="name"/>.</summary>
    public static async Task<Digest> AddAsync(ImageStore store, string rootfs, string name, Platform platform)
    {
        var entries = DirectoryLayerSource.Scan(rootfs, new DirectoryScanOptions { Uid = 0, Gid = 0 });
        var writer = store.Blobs.CreateWriter();
        LayerDescriptorInfo info;
        Descriptor layer;
        await using (writer)
        {
            info = await LayerWriter.WriteAsync(entries, writer.Stream, new LayerWriteOptions { SourceDateEpoch = DateTimeOffset.UnixEpoch }, CancellationToken.None);
            layer = await writer.CommitAsync(info.MediaType, info.Digest, info.Size);
        }

        var config = new ImageConfig
        {
            Created = DateTimeOffset.UnixEpoch,
            Config = new ContainerConfig { Env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], Cmd = ["sh"] },
            RootFs = new RootFs { DiffIds = [info.DiffId] },
            History = [new History { Created = DateTimeOffset.UnixEpoch, CreatedBy = "busybox-static rootfs" }],
        }.WithPlatform(platform);
        var configBlob = await store.Blobs.WriteAsync(RawJson<ImageConfig>.Create(config), MediaTypes.OciConfig);
        var manifest = await store.Blobs.WriteAsync(
            RawJson<ImageManifest>.Create(new ImageManifest(configBlob, [layer]) { MediaType = MediaTypes.OciManifest }), MediaTypes.OciManifest);
        await store.AddAsync(manifest.Digest, [ImageReference.Parse(name)]);
        return manifest.Digest;
    }
}
