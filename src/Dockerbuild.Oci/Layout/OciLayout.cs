using Dockerbuild.Oci.Json;
using Dockerbuild.Oci.Storage;

namespace Dockerbuild.Oci.Layout;

/// <summary>
/// An OCI image layout directory (<c>oci-layout</c>, <c>index.json</c>, <c>blobs/sha256/…</c>), as
/// skopeo's <c>oci:DIR:TAG</c> and umoci read and write it. Index entries name images with
/// <c>org.opencontainers.image.ref.name</c> (the tag) and, like docker save, <c>io.containerd.image.name</c>.
/// </summary>
public sealed class OciLayout : IBlobSource
{
    private const string LayoutFile = "oci-layout";
    private const string IndexFile = "index.json";
    private static readonly byte[] LayoutContent = "{\"imageLayoutVersion\":\"1.0.0\"}"u8.ToArray();

    private OciLayout(string directory, RawJson<ImageIndex> index)
    {
        Directory = directory;
        Index = index;
    }

    public string Directory { get; }

    /// <summary>The layout's <c>index.json</c>, with its exact bytes.</summary>
    public RawJson<ImageIndex> Index { get; }

    public IReadOnlyList<Descriptor> Manifests => Index.Value.Manifests;

    /// <summary>Opens a layout, throwing <see cref="OciFormatException"/> when the directory is not one.</summary>
    public static async Task<OciLayout> OpenAsync(string directory, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(directory);
        var layoutPath = Path.Combine(root, LayoutFile);
        if (!File.Exists(layoutPath))
        {
            throw new OciFormatException($"{root} is not an OCI image layout: it has no {LayoutFile} file.");
        }

        var layout = await File.ReadAllTextAsync(layoutPath, cancellationToken).ConfigureAwait(false);
        if (!layout.Contains("\"imageLayoutVersion\"", StringComparison.Ordinal))
        {
            throw new OciFormatException($"{layoutPath} does not declare an imageLayoutVersion.");
        }

        var indexPath = Path.Combine(root, IndexFile);
        if (!File.Exists(indexPath))
        {
            throw new OciFormatException($"{root} is not an OCI image layout: it has no {IndexFile}.");
        }

        return new OciLayout(root, RawJson<ImageIndex>.Parse(await File.ReadAllBytesAsync(indexPath, cancellationToken).ConfigureAwait(false)));
    }

    /// <summary>The entry whose ref.name annotation is <paramref name="refName"/> (a tag, usually), or null.</summary>
    public Descriptor? FindByRefName(string refName) =>
        Manifests.FirstOrDefault(entry => entry.Annotation(Annotations.RefName) == refName);

    public Task<Stream> OpenBlobAsync(Digest digest, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = BlobPath(Directory, digest);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BlobNotFoundException(digest, $"the OCI layout {Directory}");
        }

        return Task.FromResult<Stream>(new DigestVerifyingStream(file, digest, file.Length, $"blob {digest} of {Directory}"));
    }

    /// <summary>
    /// Copies every image of the layout into <paramref name="store"/>, verified, and returns them with
    /// the names their annotations give: the containerd image name, or a ref.name that is a full
    /// reference. A bare tag names no repository, so it gives no name; it stays readable through
    /// <see cref="Descriptor.Annotation"/> on the returned manifest.
    /// </summary>
    public async Task<IReadOnlyList<NamedImage>> ImportAsync(BlobStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var images = new List<NamedImage>();
        foreach (var entry in Manifests)
        {
            foreach (var blob in await ImageTree.WalkAsync(this, entry, skipMissingChildren: true, cancellationToken).ConfigureAwait(false))
            {
                if (store.SizeOf(blob.Digest) == blob.Size)
                {
                    continue;
                }

                await using var content = await OpenBlobAsync(blob.Digest, cancellationToken).ConfigureAwait(false);
                await store.WriteAsync(content, blob.MediaType, blob.Digest, blob.Size, cancellationToken).ConfigureAwait(false);
            }

            images.Add(new NamedImage(entry, NamesOf(entry)));
        }

        return images;
    }

    /// <summary>
    /// Writes <paramref name="images"/> (and everything they reference, read verified from
    /// <paramref name="source"/>) into a layout directory, creating it or adding to an existing one.
    /// Each name becomes an index entry whose ref.name is the tag; an existing entry with the same
    /// ref.name is replaced. An image without names gets one unannotated entry.
    /// </summary>
    public static async Task<OciLayout> WriteAsync(string directory, IBlobSource source, IReadOnlyList<NamedImage> images, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(images);
        var root = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(Path.Combine(root, "blobs", "sha256"));
        await WriteFileAtomicallyAsync(Path.Combine(root, LayoutFile), LayoutContent, cancellationToken).ConfigureAwait(false);

        var entries = File.Exists(Path.Combine(root, IndexFile))
            ? (await OpenAsync(root, cancellationToken).ConfigureAwait(false)).Manifests.ToList()
            : [];
        foreach (var image in images)
        {
            var tree = await ImageTree.WalkAsync(source, image.Manifest, skipMissingChildren: true, cancellationToken).ConfigureAwait(false);
            foreach (var blob in tree)
            {
                await CopyBlobAsync(source, blob, root, cancellationToken).ConfigureAwait(false);
            }

            var top = tree[^1];
            var entry = new Descriptor(top.MediaType, top.Digest, top.Size)
            {
                Platform = image.Manifest.Platform ?? await PlatformOfAsync(source, top, cancellationToken).ConfigureAwait(false),
            };
            if (image.Names.Count == 0)
            {
                entries.RemoveAll(existing => existing.Digest == entry.Digest && existing.Annotations is null);
                entries.Add(entry);
            }

            foreach (var name in image.Names)
            {
                var refName = name.Tag ?? name.Digest?.ToString() ?? ImageReference.DefaultTag;
                entries.RemoveAll(existing => existing.Annotation(Annotations.RefName) == refName);
                entries.Add(entry with
                {
                    Annotations = new Dictionary<string, string>
                    {
                        [Annotations.ImageName] = name.ToString(),
                        [Annotations.RefName] = refName,
                    },
                });
            }
        }

        var index = RawJson<ImageIndex>.Create(new ImageIndex(entries) { MediaType = MediaTypes.OciIndex });
        await WriteFileAtomicallyAsync(Path.Combine(root, IndexFile), index.Bytes, cancellationToken).ConfigureAwait(false);
        return new OciLayout(root, index);
    }

    internal static string BlobPath(string root, Digest digest) => Path.Combine(root, "blobs", digest.Algorithm, digest.Hex);

    private static IReadOnlyList<ImageReference> NamesOf(Descriptor entry)
    {
        foreach (var candidate in new[] { entry.Annotation(Annotations.ImageName), entry.Annotation(Annotations.RefName) })
        {
            if (candidate is not null && (candidate.Contains('/') || candidate.Contains(':')) && ImageReference.TryParse(candidate, out var name))
            {
                return [name.WithDefaultTag()];
            }
        }

        return [];
    }

    private static async Task<Platform?> PlatformOfAsync(IBlobSource source, Descriptor manifest, CancellationToken cancellationToken)
    {
        if (!MediaTypes.IsManifest(manifest.MediaType))
        {
            return null;
        }

        var parsed = RawJson<ImageManifest>.Parse(await ImageTree.ReadDocumentAsync(source, manifest.Digest, cancellationToken).ConfigureAwait(false)).Value;
        var config = RawJson<ImageConfig>.Parse(await ImageTree.ReadDocumentAsync(source, parsed.Config.Digest, cancellationToken).ConfigureAwait(false)).Value;
        return string.IsNullOrEmpty(config.Os) ? null : config.Platform;
    }

    private static async Task CopyBlobAsync(IBlobSource source, Descriptor blob, string root, CancellationToken cancellationToken)
    {
        var target = BlobPath(root, blob.Digest);
        if (new FileInfo(target) is { Exists: true } existing && existing.Length == blob.Size)
        {
            return;
        }

        var temporary = target + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            await using (var input = await source.OpenBlobAsync(blob.Digest, cancellationToken).ConfigureAwait(false))
            await using (var output = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await input.CopyToAsync(output, 1 << 16, cancellationToken).ConfigureAwait(false);
                if (output.Length != blob.Size)
                {
                    throw new DigestMismatchException($"blob {blob.Digest} is {output.Length} bytes, but its descriptor says {blob.Size}.");
                }
            }

            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static async Task WriteFileAtomicallyAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            await File.WriteAllBytesAsync(temporary, content, cancellationToken).ConfigureAwait(false);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
