using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Dockerbuild.Oci.Storage;

namespace Dockerbuild.Oci.Tests;

/// <summary>A small real image built in memory: gzip tar layers made with System.Formats.Tar, a config and a manifest.</summary>
internal sealed record TestImage(RawJson<ImageManifest> Manifest, RawJson<ImageConfig> Config, IReadOnlyList<(Descriptor Descriptor, byte[] Bytes, Digest DiffId)> Layers)
{
    public static TestImage Create(string seed, int layers = 2, bool docker = false, DateTimeOffset? created = null, string architecture = "amd64")
    {
        var built = new List<(Descriptor, byte[], Digest)>();
        for (var i = 0; i < layers; i++)
        {
            var tar = Tar(new Dictionary<string, string> { [$"layer{i}/{seed}.txt"] = $"{seed} layer {i}\n" });
            var gzip = Gzip(tar);
            built.Add((new Descriptor(docker ? MediaTypes.DockerLayerGzip : MediaTypes.OciLayerGzip, Digest.Compute(gzip), gzip.Length), gzip, Digest.Compute(tar)));
        }

        var when = created ?? new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var config = RawJson<ImageConfig>.Create(new ImageConfig
        {
            Created = when,
            Architecture = architecture,
            Os = "linux",
            Config = new ContainerConfig { Env = ["PATH=/usr/local/bin:/usr/bin:/bin", "SEED=" + seed], Cmd = ["/bin/sh"], Labels = new Dictionary<string, string> { ["seed"] = seed } },
            RootFs = new RootFs { DiffIds = [.. built.Select(layer => layer.Item3)] },
            History = [.. built.Select((_, i) => new History { Created = when, CreatedBy = $"COPY layer{i} /" })],
        });
        var manifest = RawJson<ImageManifest>.Create(new ImageManifest(
            config.ToDescriptor(docker ? MediaTypes.DockerConfig : MediaTypes.OciConfig),
            [.. built.Select(layer => layer.Item1)])
        {
            MediaType = docker ? MediaTypes.DockerManifest : MediaTypes.OciManifest,
        });
        return new TestImage(manifest, config, built);
    }

    public string MediaType => Manifest.Value.MediaType!;

    public Descriptor ManifestDescriptor => Manifest.ToDescriptor(MediaType);

    public async Task<Digest> WriteToAsync(BlobStore store)
    {
        foreach (var (descriptor, bytes, _) in Layers)
        {
            await store.WriteAsync(bytes, descriptor.MediaType, TestContext.Current.CancellationToken);
        }

        await store.WriteAsync(Config, Manifest.Value.Config.MediaType, TestContext.Current.CancellationToken);
        return (await store.WriteAsync(Manifest, MediaType, TestContext.Current.CancellationToken)).Digest;
    }

    public static byte[] Tar(IReadOnlyDictionary<string, string> files)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, text) in files.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                var directory = name[..(name.LastIndexOf('/') + 1)];
                if (directory.Length > 0)
                {
                    writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, directory) { Mode = (UnixFileMode)0b111_101_101, ModificationTime = DateTimeOffset.UnixEpoch });
                }

                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
                {
                    Mode = (UnixFileMode)0b110_100_100,
                    ModificationTime = DateTimeOffset.UnixEpoch,
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)),
                });
            }
        }

        return buffer.ToArray();
    }

    public static byte[] Gzip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return buffer.ToArray();
    }
}
