using System.Text.Json;

namespace Dockerbuild.Oci.Storage;

/// <summary>
/// The local images: names (<c>repository:tag</c>, <c>repository@digest</c>) pointing at manifest
/// digests, over a <see cref="BlobStore"/>. The whole index is one JSON file replaced atomically
/// (temporary file + rename) under a cross-process lock, so concurrent tag, rmi and pull never lose
/// an update and readers never see a half-written index. A tag is only a name: removing one of
/// several removes just that name.
/// </summary>
public sealed class ImageStore
{
    private const long MaxDocumentSize = 4 << 20;

    private readonly string indexPath;
    private readonly string lockPath;

    public ImageStore(BlobStore blobs)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        Blobs = blobs;
        indexPath = Path.Combine(blobs.Root, "images.json");
        lockPath = Path.Combine(blobs.Root, "images.lock");
    }

    public BlobStore Blobs { get; }

    /// <summary>The store at <see cref="StoreRoot.Resolve"/>.</summary>
    public static ImageStore OpenDefault() => new(new BlobStore(StoreRoot.Resolve()));

    /// <summary>
    /// Registers the image whose manifest (or index) blob is already in <see cref="Blobs"/>, and points
    /// <paramref name="names"/> at it (each moved from any image it named before). With no names the
    /// image is dangling.
    /// </summary>
    public async Task<ImageRecord> AddAsync(Digest manifestDigest, IEnumerable<ImageReference>? names = null, CancellationToken cancellationToken = default)
    {
        var image = await DescribeAsync(manifestDigest, cancellationToken).ConfigureAwait(false);
        var keys = (names ?? []).Select(NameKey).ToList();
        return await UpdateAsync(index =>
        {
            index.Images[manifestDigest.ToString()] = image;
            foreach (var key in keys)
            {
                index.Names[key] = manifestDigest.ToString();
            }

            return Records(index).Single(record => record.ManifestDigest == manifestDigest);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Points <paramref name="name"/> (a tag, <c>latest</c> when none, or a digest reference) at an image already in the store.</summary>
    public async Task TagAsync(ImageReference name, Digest manifestDigest, CancellationToken cancellationToken = default)
    {
        var key = NameKey(name);
        await UpdateAsync(index =>
        {
            if (!index.Images.ContainsKey(manifestDigest.ToString()))
            {
                throw new ImageNotFoundException(manifestDigest.ToString());
            }

            index.Names[key] = manifestDigest.ToString();
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes just this name; the image stays (dangling if it was its last tag). True when the name existed.</summary>
    public Task<bool> UntagAsync(ImageReference name, CancellationToken cancellationToken = default)
    {
        var key = NameKey(name);
        return UpdateAsync(index => index.Names.Remove(key), cancellationToken);
    }

    /// <summary>Every image, newest first.</summary>
    public async Task<IReadOnlyList<ImageRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        var index = await ReadIndexAsync(cancellationToken).ConfigureAwait(false);
        return [.. Records(index).OrderByDescending(image => image.Created ?? DateTimeOffset.MinValue).ThenBy(image => image.ManifestDigest.Hex, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Finds an image as docker's image commands do: a full <c>sha256:</c> ID or manifest digest, a
    /// name (<c>latest</c> when untagged), a name with digest, or a unique prefix of the image ID.
    /// </summary>
    public async Task<ImageRecord?> FindAsync(string nameOrId, CancellationToken cancellationToken = default)
    {
        var index = await ReadIndexAsync(cancellationToken).ConfigureAwait(false);
        var manifest = Resolve(index, nameOrId);
        return manifest is null ? null : Records(index).Single(image => image.ManifestDigest == manifest);
    }

    /// <summary>As <see cref="FindAsync"/>, throwing <see cref="ImageNotFoundException"/> when absent.</summary>
    public async Task<ImageRecord> GetAsync(string nameOrId, CancellationToken cancellationToken = default) =>
        await FindAsync(nameOrId, cancellationToken).ConfigureAwait(false) ?? throw new ImageNotFoundException(nameOrId);

    /// <summary>
    /// Opens an image (found as <see cref="FindAsync"/> does) with its manifest and config; an index is
    /// resolved to the manifest for <paramref name="platform"/> (default <see cref="Platform.Current"/>)
    /// among those pulled, and <see cref="ImageNotFoundException"/> says when none matches.
    /// </summary>
    public async Task<LocalImage> OpenImageAsync(string nameOrId, Platform? platform = null, CancellationToken cancellationToken = default)
    {
        var record = await GetAsync(nameOrId, cancellationToken).ConfigureAwait(false);
        var digest = record.ManifestDigest;
        if (MediaTypes.IsIndex(record.MediaType))
        {
            var index = await Blobs.ReadJsonAsync<ImageIndex>(digest, cancellationToken).ConfigureAwait(false);
            var wanted = platform ?? Platform.Current;
            var present = new ImageIndex([.. index.Value.Manifests.Where(entry => Blobs.Contains(entry.Digest))]);
            digest = present.FindManifest(wanted)?.Digest
                ?? throw new ImageNotFoundException($"{nameOrId} for platform {wanted}");
        }

        var manifest = await Blobs.ReadJsonAsync<ImageManifest>(digest, cancellationToken).ConfigureAwait(false);
        var config = await Blobs.ReadJsonAsync<ImageConfig>(manifest.Value.Config.Digest, cancellationToken).ConfigureAwait(false);
        return new LocalImage(record, manifest, config, Blobs);
    }

    /// <summary>
    /// docker rmi: by name, untags that name and deletes the image only when no tag is left; by ID,
    /// deletes the image with all its names, which needs <paramref name="force"/> when the names span
    /// several repositories. Blobs no other image uses are deleted with it.
    /// </summary>
    public Task<ImageRemoval> RemoveAsync(string nameOrId, bool force = false, CancellationToken cancellationToken = default) =>
        UpdateAsync(async index =>
        {
            var manifest = Resolve(index, nameOrId) ?? throw new ImageNotFoundException(nameOrId);
            var key = manifest.ToString();
            var names = NamesOf(index, key);
            var byName = ImageReference.TryParse(nameOrId, out var reference) && index.Names.ContainsKey(LookupKey(reference));
            List<ImageReference> untagged = [];
            if (byName)
            {
                index.Names.Remove(LookupKey(reference!));
                untagged.Add(reference!.Tag is null && reference.Digest is null ? reference.WithDefaultTag() : reference);
                if (NamesOf(index, key).Any(name => name.Tag is not null))
                {
                    return new ImageRemoval { Untagged = untagged };
                }
            }
            else if (!force && names.Where(name => name.Tag is not null).Select(name => name.Name).Distinct().Count() > 1)
            {
                throw new ImageConflictException($"conflict: unable to delete {Short(index.Images[key])} (must be forced) - image is referenced in multiple repositories");
            }

            foreach (var name in NamesOf(index, key))
            {
                index.Names.Remove(NameKey(name));
                untagged.Add(name);
            }

            var image = index.Images[key];
            index.Images.Remove(key);
            var (blobs, bytes) = await DeleteUnreachableAsync(index, [manifest], TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            return new ImageRemoval { Untagged = untagged, DeletedImages = [Digest.Parse(image.Id)], DeletedBlobs = blobs, ReclaimedBytes = bytes };
        }, cancellationToken);

    /// <summary>
    /// docker image prune: removes dangling images (or, with <paramref name="all"/>, every image, as no
    /// container uses any), then every blob no remaining image references and not written within
    /// <paramref name="blobGracePeriod"/> (default one hour, which spares builds in flight), and stale
    /// temporary files.
    /// </summary>
    public Task<ImageRemoval> PruneAsync(bool all = false, TimeSpan? blobGracePeriod = null, CancellationToken cancellationToken = default) =>
        UpdateAsync(async index =>
        {
            var grace = blobGracePeriod ?? TimeSpan.FromHours(1);
            List<Digest> deletedImages = [];
            List<ImageReference> untagged = [];
            foreach (var (key, image) in index.Images.ToList())
            {
                var names = NamesOf(index, key);
                if (!all && names.Any(name => name.Tag is not null))
                {
                    continue;
                }

                foreach (var name in names)
                {
                    index.Names.Remove(NameKey(name));
                    untagged.Add(name);
                }

                index.Images.Remove(key);
                deletedImages.Add(Digest.Parse(image.Id));
            }

            var (blobs, bytes) = await DeleteUnreachableAsync(index, Blobs.List(), grace, cancellationToken).ConfigureAwait(false);
            Blobs.SweepTemporaryFiles(grace);
            return new ImageRemoval { Untagged = untagged, DeletedImages = deletedImages, DeletedBlobs = blobs, ReclaimedBytes = bytes };
        }, cancellationToken);

    /// <summary>All blobs an image references that are present: itself, config, layers, and child manifests of an index.</summary>
    public async Task<IReadOnlyList<Descriptor>> ReachableFromAsync(Digest manifestDigest, CancellationToken cancellationToken = default)
    {
        var found = new List<Descriptor>();
        var seen = new HashSet<Digest>();
        await WalkAsync(manifestDigest, seen, found, cancellationToken).ConfigureAwait(false);
        return found;
    }

    private static string NameKey(ImageReference name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Tag is not null && name.Digest is not null)
        {
            throw new ArgumentException($"A local name is a tag or a digest reference, not both: {name}.", nameof(name));
        }

        return name.WithDefaultTag().ToString();
    }

    // How a name given on the command line is looked up: name:tag@digest means the digest.
    private static string LookupKey(ImageReference name) =>
        name.Tag is not null && name.Digest is not null
            ? name.WithoutTagOrDigest().WithDigest(name.Digest.Value).ToString()
            : name.WithDefaultTag().ToString();

    private static List<ImageReference> NamesOf(StoredIndex index, string manifestKey) =>
        [.. index.Names.Where(pair => pair.Value == manifestKey).Select(pair => ImageReference.Parse(pair.Key))];

    private static string Short(StoredImage image) => Digest.Parse(image.Id).Short;

    private static IEnumerable<ImageRecord> Records(StoredIndex index) =>
        index.Images.Select(pair => new ImageRecord
        {
            ManifestDigest = Digest.Parse(pair.Key),
            MediaType = pair.Value.MediaType,
            Id = Digest.Parse(pair.Value.Id),
            Created = pair.Value.Created,
            Size = pair.Value.Size,
            Names = NamesOf(index, pair.Key),
        });

    private static Digest? Resolve(StoredIndex index, string nameOrId)
    {
        if (Digest.TryParse(nameOrId, out var digest))
        {
            var key = digest.ToString();
            if (index.Images.ContainsKey(key))
            {
                return digest;
            }

            var byId = index.Images.FirstOrDefault(pair => pair.Value.Id == key);
            return byId.Key is null ? null : Digest.Parse(byId.Key);
        }

        if (ImageReference.TryParse(nameOrId, out var reference))
        {
            if (index.Names.TryGetValue(LookupKey(reference), out var named))
            {
                return Digest.Parse(named);
            }

            if (reference.Digest is { } pinned && index.Images.ContainsKey(pinned.ToString()))
            {
                return pinned;
            }
        }

        if (nameOrId.Length is > 0 and <= 64 && nameOrId.All(char.IsAsciiHexDigitLower))
        {
            var matches = index.Images.Where(pair => pair.Value.Id.AsSpan("sha256:".Length).StartsWith(nameOrId, StringComparison.Ordinal)).ToList();
            return matches.Count switch
            {
                0 => null,
                1 => Digest.Parse(matches[0].Key),
                _ => throw new ImageConflictException($"the image ID prefix '{nameOrId}' is ambiguous: it matches {matches.Count} images."),
            };
        }

        return null;
    }

    private async Task<StoredImage> DescribeAsync(Digest manifestDigest, CancellationToken cancellationToken)
    {
        var bytes = await Blobs.ReadAllBytesAsync(manifestDigest, cancellationToken).ConfigureAwait(false);
        var mediaType = Json.OciJson.DetectMediaType(bytes)
            ?? throw new Json.OciFormatException($"Blob {manifestDigest} is neither an image manifest nor an index.");
        var reachable = await ReachableFromAsync(manifestDigest, cancellationToken).ConfigureAwait(false);
        var size = reachable.Sum(descriptor => descriptor.Size);
        if (MediaTypes.IsIndex(mediaType))
        {
            return new StoredImage { MediaType = mediaType, Id = manifestDigest.ToString(), Size = size };
        }

        var manifest = RawJson<ImageManifest>.Parse(bytes).Value;
        var config = await Blobs.ReadJsonAsync<ImageConfig>(manifest.Config.Digest, cancellationToken).ConfigureAwait(false);
        return new StoredImage { MediaType = mediaType, Id = manifest.Config.Digest.ToString(), Created = config.Value.Created, Size = size };
    }

    private async Task WalkAsync(Digest digest, HashSet<Digest> seen, List<Descriptor> found, CancellationToken cancellationToken)
    {
        if (!seen.Add(digest) || Blobs.SizeOf(digest) is not { } size)
        {
            return;
        }

        // Only small JSON blobs are worth parsing; a layer is a leaf.
        var bytes = size <= MaxDocumentSize ? await TryReadAsync(digest, cancellationToken).ConfigureAwait(false) : null;
        var mediaType = bytes is null ? null : Json.OciJson.DetectMediaType(bytes);
        found.Add(new Descriptor(mediaType ?? "application/octet-stream", digest, size));
        if (bytes is null || mediaType is null)
        {
            return;
        }

        if (MediaTypes.IsIndex(mediaType))
        {
            foreach (var child in RawJson<ImageIndex>.Parse(bytes).Value.Manifests)
            {
                await WalkAsync(child.Digest, seen, found, cancellationToken).ConfigureAwait(false);
            }
        }
        else if (MediaTypes.IsManifest(mediaType))
        {
            var manifest = RawJson<ImageManifest>.Parse(bytes).Value;
            foreach (var blob in manifest.Layers.Prepend(manifest.Config))
            {
                if (seen.Add(blob.Digest) && Blobs.Contains(blob.Digest))
                {
                    found.Add(blob);
                }
            }
        }
    }

    private async Task<byte[]?> TryReadAsync(Digest digest, CancellationToken cancellationToken)
    {
        try
        {
            return await Blobs.ReadAllBytesAsync(digest, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DigestMismatchException or BlobNotFoundException)
        {
            return null;
        }
    }

    // Deletes candidates (and what they reach) that no remaining image reaches and that were not
    // used within the grace period.
    private async Task<(IReadOnlyList<Digest> Deleted, long Bytes)> DeleteUnreachableAsync(StoredIndex index, IEnumerable<Digest> candidates, TimeSpan grace, CancellationToken cancellationToken)
    {
        var keep = new HashSet<Digest>();
        foreach (var key in index.Images.Keys)
        {
            var reachable = await ReachableFromAsync(Digest.Parse(key), cancellationToken).ConfigureAwait(false);
            keep.UnionWith(reachable.Select(descriptor => descriptor.Digest));
        }

        var pending = new List<Digest>();
        foreach (var candidate in candidates.ToList())
        {
            if (!keep.Contains(candidate))
            {
                var reachable = await ReachableFromAsync(candidate, cancellationToken).ConfigureAwait(false);
                pending.AddRange(reachable.Select(descriptor => descriptor.Digest));
            }
        }

        var deleted = new List<Digest>();
        long bytes = 0;
        var cutoff = DateTime.UtcNow - grace;
        foreach (var digest in pending.Distinct())
        {
            if (keep.Contains(digest) || (grace > TimeSpan.Zero && Blobs.LastUsedUtc(digest) > cutoff))
            {
                continue;
            }

            var size = Blobs.SizeOf(digest) ?? 0;
            if (Blobs.Delete(digest))
            {
                deleted.Add(digest);
                bytes += size;
            }
        }

        return (deleted, bytes);
    }

    private async Task<StoredIndex> ReadIndexAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = new FileStream(indexPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096, FileOptions.Asynchronous);
            return await JsonSerializer.DeserializeAsync(stream, StorageJsonContext.Default.StoredIndex, cancellationToken).ConfigureAwait(false) ?? new StoredIndex();
        }
        catch (FileNotFoundException)
        {
            return new StoredIndex();
        }
        catch (DirectoryNotFoundException)
        {
            return new StoredIndex();
        }
    }

    private Task UpdateAsync(Action<StoredIndex> change, CancellationToken cancellationToken) =>
        UpdateAsync(index =>
        {
            change(index);
            return Task.FromResult(true);
        }, cancellationToken);

    private Task<T> UpdateAsync<T>(Func<StoredIndex, T> change, CancellationToken cancellationToken) =>
        UpdateAsync(index => Task.FromResult(change(index)), cancellationToken);

    private async Task<T> UpdateAsync<T>(Func<StoredIndex, Task<T>> change, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Blobs.Root);
        await using var held = await FileLock.AcquireAsync(lockPath, cancellationToken).ConfigureAwait(false);
        var index = await ReadIndexAsync(cancellationToken).ConfigureAwait(false);
        var result = await change(index).ConfigureAwait(false);
        var temporary = indexPath + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await JsonSerializer.SerializeAsync(stream, index, StorageJsonContext.Default.StoredIndex, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, indexPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }

        return result;
    }
}
