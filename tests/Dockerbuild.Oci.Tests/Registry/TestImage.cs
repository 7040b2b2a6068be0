using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Dockerbuild.Oci.Registry;

namespace Dockerbuild.Oci.Tests.Registry;

/// <summary>A generated image: gzip'd tar layers of random content, a config naming their diff IDs, an OCI manifest.</summary>
internal sealed record TestImage(RegistryManifest Manifest, IReadOnlyList<Descriptor> Layers, Descriptor Config)
{
    public IEnumerable<Descriptor> Blobs => Layers.Prepend(Config);

    /// <summary>Creates the image and adds all its blobs (and the manifest) to <paramref name="store"/>.</summary>
    public static async Task<TestImage> CreateAsync(DirectoryBlobStore store, params int[] layerSizes)
    {
        var layers = new List<Descriptor>();
        var diffIds = new List<string>();
        foreach (var size in layerSizes)
        {
            var tar = new MemoryStream();
            await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, $"data-{Guid.NewGuid():N}.bin") { DataStream = new MemoryStream(RandomNumberGenerator.GetBytes(size)) };
                await writer.WriteEntryAsync(entry);
            }

            diffIds.Add(Digest.Compute(tar.ToArray()).ToString());
            var gzip = new MemoryStream();
            await using (var compressor = new GZipStream(gzip, CompressionLevel.Fastest, leaveOpen: true))
            {
                await compressor.WriteAsync(tar.ToArray());
            }

            layers.Add(Descriptor.For(MediaTypes.OciLayerGzip, gzip.ToArray()));
            await store.AddAsync(gzip.ToArray());
        }

        var configJson = Encoding.UTF8.GetBytes(
            $$"""{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/bin"]},"rootfs":{"type":"layers","diff_ids":[{{string.Join(",", diffIds.Select(d => $"\"{d}\""))}}]},"history":[]}""");
        var config = Descriptor.For(MediaTypes.OciConfig, configJson);
        await store.AddAsync(configJson);
        var manifestJson = RawJson<ImageManifest>.Create(new ImageManifest(config, layers) { MediaType = MediaTypes.OciManifest });
        var manifest = new RegistryManifest(MediaTypes.OciManifest, manifestJson.Bytes);
        await store.AddAsync(manifest.Content);
        return new TestImage(manifest, layers, config);
    }
}
