using System.Collections.Concurrent;

namespace Dockerbuild.Oci.Registry;

/// <summary>Whole images: pull to a sink for a platform, push from a source under several tags.</summary>
public sealed partial class RegistryClient
{
    /// <summary>
    /// Pulls an image: resolves an index to <paramref name="platform"/>'s manifest, downloads config and
    /// layers (in parallel, at most MaxParallelTransfers, skipping what the sink has) and finally stores the
    /// manifest and index themselves in the sink.
    /// </summary>
    public async Task<PulledImage> PullImageAsync(ImageReference reference, Platform platform, IBlobSink sink, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var top = await GetManifestAsync(reference, cancellationToken).ConfigureAwait(false);
        var index = top.IsIndex ? top : null;
        var manifest = top;
        if (index is not null)
        {
            var entries = index.ParseIndex().Value;
            var chosen = entries.FindManifest(platform)
                ?? throw new RegistryNotFoundException(reference.Registry,
                    $"{reference.FamiliarString} has no image for {platform}; it has {string.Join(", ", entries.Manifests.Select(m => m.Platform?.ToString()).OfType<string>().Distinct())}");
            manifest = await GetManifestAsync(reference.WithoutTagOrDigest().WithDigest(chosen.Digest), cancellationToken).ConfigureAwait(false);
            if (manifest.IsIndex)
            {
                throw new RegistryException(reference.Registry, $"{reference.FamiliarString}: the index entry for {platform} is another index, which is not supported");
            }
        }

        var parsed = manifest.ParseManifest().Value;
        var blobs = new[] { parsed.Config }.Concat(parsed.Layers).DistinctBy(d => d.Digest).ToList();
        await Parallel.ForEachAsync(blobs, new ParallelOptions { MaxDegreeOfParallelism = Options.MaxParallelTransfers, CancellationToken = cancellationToken }, async (blob, token) =>
        {
            if (await sink.ContainsBlobAsync(blob.Digest, token).ConfigureAwait(false))
            {
                progress?.Report(new TransferProgress(blob.Digest, blob.Size, blob.Size, TransferStatus.Exists));
                return;
            }

            progress?.Report(new TransferProgress(blob.Digest, 0, blob.Size, TransferStatus.Waiting));
            await sink.WriteBlobAsync(blob, (stream, t) => PullBlobAsync(reference, blob, stream, progress, t), token).ConfigureAwait(false);
        }).ConfigureAwait(false);

        foreach (var document in new[] { manifest, index }.OfType<RegistryManifest>())
        {
            if (!await sink.ContainsBlobAsync(document.Digest, cancellationToken).ConfigureAwait(false))
            {
                await sink.WriteBlobAsync(document.ToDescriptor(), (stream, t) => stream.WriteAsync(document.Content, t).AsTask(), cancellationToken).ConfigureAwait(false);
            }
        }

        return new PulledImage(reference.WithDigest(top.Digest), manifest, index);
    }

    /// <summary>
    /// Pushes an image or index: every blob (in parallel, at most MaxParallelTransfers; HEAD skips those
    /// present; <paramref name="mountFrom"/> names a repository of the same registry to mount from), the
    /// child manifests of an index by digest, then the manifest under each tag (by digest alone when none).
    /// </summary>
    public async Task<PushedImage> PushImageAsync(ImageReference repository, IReadOnlyList<string> tags, RegistryManifest manifest, IBlobSource source,
        string? mountFrom, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        var target = repository.WithoutTagOrDigest();
        var results = new ConcurrentDictionary<Digest, BlobPushResult>();
        await PushContentAsync(target, manifest, source, mountFrom, results, progress, cancellationToken).ConfigureAwait(false);
        if (tags.Count == 0)
        {
            await PutManifestAsync(target.WithDigest(manifest.Digest), manifest, cancellationToken).ConfigureAwait(false);
        }

        foreach (var tag in tags)
        {
            await PutManifestAsync(target.WithTag(tag), manifest, cancellationToken).ConfigureAwait(false);
        }

        return new PushedImage(target, manifest.Digest, tags, new Dictionary<Digest, BlobPushResult>(results));
    }

    private async Task PushContentAsync(ImageReference target, RegistryManifest manifest, IBlobSource source, string? mountFrom,
        ConcurrentDictionary<Digest, BlobPushResult> results, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        if (manifest.IsIndex)
        {
            foreach (var child in manifest.ParseIndex().Value.Manifests)
            {
                var childManifest = await ReadManifestAsync(source, child, target, cancellationToken).ConfigureAwait(false);
                await PushContentAsync(target, childManifest, source, mountFrom, results, progress, cancellationToken).ConfigureAwait(false);
                await PutManifestAsync(target.WithDigest(child.Digest), childManifest, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        var parsed = manifest.ParseManifest().Value;
        var blobs = new[] { parsed.Config }.Concat(parsed.Layers).DistinctBy(d => d.Digest).Where(d => !results.ContainsKey(d.Digest)).ToList();
        await Parallel.ForEachAsync(blobs, new ParallelOptions { MaxDegreeOfParallelism = Options.MaxParallelTransfers, CancellationToken = cancellationToken }, async (blob, token) =>
        {
            progress?.Report(new TransferProgress(blob.Digest, 0, blob.Size, TransferStatus.Waiting));
            results[blob.Digest] = await PushBlobAsync(target, blob, t => source.OpenBlobAsync(blob.Digest, t), mountFrom, progress, token).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    private static async Task<RegistryManifest> ReadManifestAsync(IBlobSource source, Descriptor child, ImageReference target, CancellationToken cancellationToken)
    {
        if (child.Size > MaxManifestSize)
        {
            throw new RegistryException(target.Registry, $"the index entry {child.Digest} claims {child.Size} bytes, too large for a manifest");
        }

        await using var stream = await source.OpenBlobAsync(child.Digest, cancellationToken).ConfigureAwait(false);
        var bytes = new byte[child.Size];
        await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        var manifest = new RegistryManifest(child.MediaType, bytes);
        return manifest.Digest == child.Digest
            ? manifest
            : throw new RegistryDigestMismatchException(target.Registry, child.Digest, manifest.Digest, "local manifest");
    }
}
