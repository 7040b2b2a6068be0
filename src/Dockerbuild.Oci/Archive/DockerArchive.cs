using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text.Json;
using Dockerbuild.Oci.Json;
using Dockerbuild.Oci.Layout;
using Dockerbuild.Oci.Storage;

namespace Dockerbuild.Oci.Archive;

/// <summary>
/// The docker-archive format of <c>docker save</c> / <c>docker load</c> (and skopeo's
/// <c>docker-archive:</c>). Writing produces what docker 25+ writes: uncompressed layers named by
/// diffID and the config under <c>blobs/sha256/</c>, <c>manifest.json</c> (Config, RepoTags, Layers),
/// <c>repositories</c>, and the OCI layout view (<c>index.json</c>, <c>oci-layout</c>, an OCI manifest
/// per image). Reading accepts that, the legacy layout (<c>&lt;id&gt;/layer.tar</c>, <c>&lt;id&gt;.json</c>),
/// compressed layers, gzip or zstd compressed archives, an OCI archive, and unseekable input such as stdin.
/// </summary>
public static class DockerArchive
{
    private const string ManifestFile = "manifest.json";
    private const string IndexFile = "index.json";
    private const string LayoutFile = "oci-layout";
    private const string RepositoriesFile = "repositories";
    private const UnixFileMode DirectoryMode = (UnixFileMode)0b111_101_101;
    private const UnixFileMode FileMode = (UnixFileMode)0b110_100_100;

    /// <summary>
    /// Writes <paramref name="images"/> as a docker-archive tar to <paramref name="output"/> (which need
    /// not seek). Layers are decompressed and checked against the config's diffIDs; a multi-platform
    /// index is saved as its manifest for <see cref="Platform.Current"/>. Only tags are recorded as
    /// RepoTags, as docker does.
    /// </summary>
    public static async Task WriteAsync(Stream output, IBlobSource source, IReadOnlyList<NamedImage> images, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(images);
        var spool = Path.Combine(source is BlobStore store ? store.TemporaryDirectory : Path.GetTempPath(), "save-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(spool);
        try
        {
            var blobs = new SortedDictionary<string, object>(StringComparer.Ordinal);
            var items = new List<(string Config, List<string> RepoTags, List<string> Layers)>();
            var entries = new List<Descriptor>();
            var repositories = new SortedDictionary<string, SortedDictionary<string, string>>(StringComparer.Ordinal);
            foreach (var image in images)
            {
                var (manifest, configBytes) = await ReadImageAsync(source, image.Manifest, cancellationToken).ConfigureAwait(false);
                var config = RawJson<ImageConfig>.Parse(configBytes).Value;
                var diffIds = config.RootFs.DiffIds;
                if (diffIds.Count != manifest.Layers.Count)
                {
                    throw new OciFormatException($"Image {image.Manifest.Digest} has {manifest.Layers.Count} layers but its config lists {diffIds.Count} diffIDs.");
                }

                var layers = new List<Descriptor>();
                for (var i = 0; i < diffIds.Count; i++)
                {
                    var path = Path.Combine(spool, diffIds[i].Hex);
                    if (!blobs.ContainsKey(diffIds[i].Hex))
                    {
                        await SpoolLayerAsync(source, manifest.Layers[i], diffIds[i], path, cancellationToken).ConfigureAwait(false);
                        blobs[diffIds[i].Hex] = path;
                    }

                    layers.Add(new Descriptor(MediaTypes.OciLayer, diffIds[i], new FileInfo(path).Length));
                }

                var configDigest = Digest.Compute(configBytes);
                blobs[configDigest.Hex] = configBytes;
                var platform = string.IsNullOrEmpty(config.Os) ? null : config.Platform;
                var archived = RawJson<ImageManifest>.Create(new ImageManifest(new Descriptor(MediaTypes.OciConfig, configDigest, configBytes.Length) { Platform = platform }, layers)
                {
                    MediaType = MediaTypes.OciManifest,
                });
                blobs[archived.Digest.Hex] = archived.Bytes.ToArray();

                var repoTags = new List<string>();
                foreach (var name in image.Names.Where(name => name.Tag is not null).Select(name => name.Digest is null ? name : name.WithoutTagOrDigest().WithTag(name.Tag!)).Distinct())
                {
                    repoTags.Add(name.FamiliarString);
                    if (diffIds.Count > 0)
                    {
                        if (!repositories.TryGetValue(name.FamiliarName, out var tags))
                        {
                            repositories[name.FamiliarName] = tags = new SortedDictionary<string, string>(StringComparer.Ordinal);
                        }

                        tags[name.Tag!] = diffIds[^1].Hex;
                    }

                    entries.Add(archived.ToDescriptor(MediaTypes.OciManifest) with
                    {
                        Platform = platform,
                        Annotations = new Dictionary<string, string> { [Annotations.ImageName] = name.ToString(), [Annotations.RefName] = name.Tag! },
                    });
                }

                items.Add(("blobs/sha256/" + configDigest.Hex, repoTags, [.. diffIds.Select(diffId => "blobs/sha256/" + diffId.Hex)]));
            }

            await WriteTarAsync(output, blobs, items, entries, repositories, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Directory.Delete(spool, recursive: true);
        }
    }

    /// <summary>
    /// Reads an archive (file or pipe, plain, gzip or zstd) into <paramref name="store"/>, verifying every
    /// layer against its image config, and returns the images with their RepoTags. Register them with
    /// <see cref="ImageStore.AddAsync"/> to make them visible as local images.
    /// </summary>
    public static async Task<IReadOnlyList<NamedImage>> LoadAsync(Stream input, BlobStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(store);
        var (content, _) = await ArchiveCompression.OpenAsync(input, cancellationToken).ConfigureAwait(false);
        await using (content.ConfigureAwait(false))
        {
            // Spooled beside the store: on its (disk) filesystem rather than a possibly RAM-backed /tmp.
            using var spool = await ArchiveSpool.ExtractAsync(content, store.TemporaryDirectory, cancellationToken).ConfigureAwait(false);
            if (spool.Exists(ManifestFile))
            {
                return await LoadDockerAsync(spool, store, cancellationToken).ConfigureAwait(false);
            }

            if (spool.Exists(IndexFile) && spool.Exists(LayoutFile))
            {
                var layout = await OciLayout.OpenAsync(spool.Root, cancellationToken).ConfigureAwait(false);
                return await layout.ImportAsync(store, cancellationToken).ConfigureAwait(false);
            }

            throw new OciFormatException("This is not an image archive: it has neither manifest.json (docker save) nor index.json and oci-layout (OCI).");
        }
    }

    private static async Task<(ImageManifest Manifest, byte[] Config)> ReadImageAsync(IBlobSource source, Descriptor descriptor, CancellationToken cancellationToken)
    {
        var bytes = await ImageTree.ReadDocumentAsync(source, descriptor.Digest, cancellationToken).ConfigureAwait(false);
        if (MediaTypes.IsIndex(OciJson.DetectMediaType(bytes) ?? descriptor.MediaType))
        {
            var chosen = RawJson<ImageIndex>.Parse(bytes).Value.FindManifest(Platform.Current)
                ?? throw new OciFormatException($"Image index {descriptor.Digest} has no manifest for {Platform.Current}.");
            return await ReadImageAsync(source, chosen, cancellationToken).ConfigureAwait(false);
        }

        var manifest = RawJson<ImageManifest>.Parse(bytes).Value;
        return (manifest, await ImageTree.ReadDocumentAsync(source, manifest.Config.Digest, cancellationToken).ConfigureAwait(false));
    }

    // Decompresses a layer into a file while hashing the tar, and refuses it unless the tar is the
    // diffID the config promises.
    private static async Task SpoolLayerAsync(IBlobSource source, Descriptor layer, Digest diffId, string path, CancellationToken cancellationToken)
    {
        await using var raw = await source.OpenBlobAsync(layer.Digest, cancellationToken).ConfigureAwait(false);
        var (tar, _) = await ArchiveCompression.OpenAsync(raw, cancellationToken).ConfigureAwait(false);
        await using (tar.ConfigureAwait(false))
        {
            await using var file = new FileStream(path, System.IO.FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            using var hashing = new HashingWriteStream(file);
            await tar.CopyToAsync(hashing, 1 << 16, cancellationToken).ConfigureAwait(false);
            await raw.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
            var actual = hashing.Finish();
            if (actual != diffId)
            {
                throw new DigestMismatchException(diffId, actual, $"the uncompressed content of layer {layer.Digest}");
            }
        }
    }

    private static async Task WriteTarAsync(
        Stream output,
        SortedDictionary<string, object> blobs,
        List<(string Config, List<string> RepoTags, List<string> Layers)> items,
        List<Descriptor> entries,
        SortedDictionary<string, SortedDictionary<string, string>> repositories,
        CancellationToken cancellationToken)
    {
        await using var writer = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: true);
        await WriteDirectoryAsync(writer, "blobs/", cancellationToken).ConfigureAwait(false);
        await WriteDirectoryAsync(writer, "blobs/sha256/", cancellationToken).ConfigureAwait(false);
        foreach (var (hex, content) in blobs)
        {
            Stream data = content is byte[] bytes ? new MemoryStream(bytes) : new FileStream((string)content, System.IO.FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await WriteFileAsync(writer, "blobs/sha256/" + hex, data, cancellationToken).ConfigureAwait(false);
        }

        var index = RawJson<ImageIndex>.Create(new ImageIndex(entries) { MediaType = MediaTypes.OciIndex });
        await WriteFileAsync(writer, IndexFile, new MemoryStream(index.Bytes.ToArray()), cancellationToken).ConfigureAwait(false);
        await WriteFileAsync(writer, ManifestFile, new MemoryStream(ManifestJson(items)), cancellationToken).ConfigureAwait(false);
        await WriteFileAsync(writer, LayoutFile, new MemoryStream("{\"imageLayoutVersion\":\"1.0.0\"}"u8.ToArray()), cancellationToken).ConfigureAwait(false);
        if (repositories.Count > 0)
        {
            await WriteFileAsync(writer, RepositoriesFile, new MemoryStream(RepositoriesJson(repositories)), cancellationToken).ConfigureAwait(false);
        }
    }

    // manifest.json as docker's json.Encoder writes it: RepoTags null when there are none, and a
    // trailing newline.
    private static byte[] ManifestJson(List<(string Config, List<string> RepoTags, List<string> Layers)> items)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var (config, repoTags, layers) in items)
            {
                json.WriteStartObject();
                json.WriteString("Config", config);
                json.WritePropertyName("RepoTags");
                if (repoTags.Count == 0)
                {
                    json.WriteNullValue();
                }
                else
                {
                    WriteStrings(json, repoTags);
                }

                json.WritePropertyName("Layers");
                WriteStrings(json, layers);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static byte[] RepositoriesJson(SortedDictionary<string, SortedDictionary<string, string>> repositories)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (repository, tags) in repositories)
            {
                json.WriteStartObject(repository);
                foreach (var (tag, layer) in tags)
                {
                    json.WriteString(tag, layer);
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static void WriteStrings(Utf8JsonWriter json, IEnumerable<string> values)
    {
        json.WriteStartArray();
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    private static Task WriteDirectoryAsync(TarWriter writer, string name, CancellationToken cancellationToken) =>
        writer.WriteEntryAsync(new UstarTarEntry(TarEntryType.Directory, name) { Mode = DirectoryMode, ModificationTime = DateTimeOffset.UnixEpoch }, cancellationToken);

    private static async Task WriteFileAsync(TarWriter writer, string name, Stream data, CancellationToken cancellationToken)
    {
        await using (data.ConfigureAwait(false))
        {
            var entry = new UstarTarEntry(TarEntryType.RegularFile, name) { Mode = FileMode, ModificationTime = DateTimeOffset.UnixEpoch, DataStream = data };
            await writer.WriteEntryAsync(entry, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<IReadOnlyList<NamedImage>> LoadDockerAsync(ArchiveSpool spool, BlobStore store, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(await File.ReadAllBytesAsync(spool.Require(ManifestFile), cancellationToken).ConfigureAwait(false));
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new OciFormatException("The archive's manifest.json is not a list of images.");
        }

        var archivedManifests = await ArchivedManifestsAsync(spool, cancellationToken).ConfigureAwait(false);
        var images = new List<NamedImage>();
        foreach (var item in document.RootElement.EnumerateArray())
        {
            var configPath = item.TryGetProperty("Config", out var configElement) ? configElement.GetString() : null;
            if (string.IsNullOrEmpty(configPath))
            {
                throw new OciFormatException("An image in the archive's manifest.json has no Config.");
            }

            var configBytes = await File.ReadAllBytesAsync(spool.Require(configPath), cancellationToken).ConfigureAwait(false);
            var config = RawJson<ImageConfig>.Parse(configBytes);
            var layerPaths = item.TryGetProperty("Layers", out var layersElement) && layersElement.ValueKind == JsonValueKind.Array
                ? layersElement.EnumerateArray().Select(layer => layer.GetString() ?? "").ToList()
                : [];
            if (layerPaths.Count != config.Value.RootFs.DiffIds.Count)
            {
                throw new OciFormatException($"Image {configPath} in the archive has {layerPaths.Count} layers but its config lists {config.Value.RootFs.DiffIds.Count} diffIDs.");
            }

            var layers = new List<Descriptor>();
            for (var i = 0; i < layerPaths.Count; i++)
            {
                layers.Add(await ImportLayerAsync(spool.Require(layerPaths[i]), config.Value.RootFs.DiffIds[i], store, cancellationToken).ConfigureAwait(false));
            }

            var configDescriptor = await store.WriteAsync(config, MediaTypes.OciConfig, cancellationToken).ConfigureAwait(false);
            var manifest = archivedManifests.FirstOrDefault(candidate =>
                    candidate.Value.Config.Digest == configDescriptor.Digest
                    && candidate.Value.Layers.Select(layer => layer.Digest).SequenceEqual(layers.Select(layer => layer.Digest)))
                ?? RawJson<ImageManifest>.Create(new ImageManifest(configDescriptor, layers) { MediaType = MediaTypes.OciManifest });
            var manifestDescriptor = await store.WriteAsync(manifest, manifest.Value.MediaType ?? MediaTypes.OciManifest, cancellationToken).ConfigureAwait(false);

            var names = item.TryGetProperty("RepoTags", out var tags) && tags.ValueKind == JsonValueKind.Array
                ? tags.EnumerateArray().Select(tag => ImageReference.Parse(tag.GetString() ?? "").WithDefaultTag()).ToList()
                : [];
            images.Add(new NamedImage(manifestDescriptor, names));
        }

        return images;
    }

    // The OCI manifests docker 25+ stores beside manifest.json; reusing them keeps the image's
    // manifest digest identical to the one docker reports.
    private static async Task<List<RawJson<ImageManifest>>> ArchivedManifestsAsync(ArchiveSpool spool, CancellationToken cancellationToken)
    {
        var found = new List<RawJson<ImageManifest>>();
        if (spool.Resolve(IndexFile) is not { } indexPath)
        {
            return found;
        }

        var index = RawJson<ImageIndex>.Parse(await File.ReadAllBytesAsync(indexPath, cancellationToken).ConfigureAwait(false));
        foreach (var entry in index.Value.Manifests.Where(entry => MediaTypes.IsManifest(entry.MediaType)))
        {
            if (spool.Resolve("blobs/sha256/" + entry.Digest.Hex) is { } path)
            {
                var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
                if (Digest.Compute(bytes) == entry.Digest)
                {
                    found.Add(RawJson<ImageManifest>.Parse(bytes));
                }
            }
        }

        return found;
    }

    // Stores a layer file as it is (uncompressed, gzip or zstd) once its uncompressed content is
    // proven to be the diffID the config names.
    private static async Task<Descriptor> ImportLayerAsync(string path, Digest diffId, BlobStore store, CancellationToken cancellationToken)
    {
        var header = new byte[4];
        int headerLength;
        await using (var probe = File.OpenRead(path))
        {
            headerLength = await probe.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        }

        var kind = ArchiveCompression.Detect(header.AsSpan(0, headerLength));
        if (kind != ArchiveCompression.Kind.None)
        {
            await using var compressed = new FileStream(path, System.IO.FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            var (tar, _) = await ArchiveCompression.OpenAsync(compressed, cancellationToken).ConfigureAwait(false);
            await using (tar.ConfigureAwait(false))
            {
                var actual = Digest.FromSha256Hash(await SHA256.HashDataAsync(tar, cancellationToken).ConfigureAwait(false));
                if (actual != diffId)
                {
                    throw new DigestMismatchException(diffId, actual, $"the uncompressed content of archive layer {Path.GetFileName(path)}");
                }
            }
        }

        await using var content = new FileStream(path, System.IO.FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return await store.WriteAsync(content, ArchiveCompression.LayerMediaType(kind), kind == ArchiveCompression.Kind.None ? diffId : null, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
