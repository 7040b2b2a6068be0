using Dockerbuild.Oci;
using Dockerbuild.Oci.Layers;

namespace Dockerbuild.Engine.Context;

/// <summary>
/// sha256 digests ("sha256:hex") of source content for cache keys. Host files go through the
/// <see cref="FileHashCache"/> when one is given, so unchanged files are not read again;
/// <see cref="FilesRead"/> counts the files actually read, which is how tests and logs see it.
/// </summary>
public sealed class ContentHasher(FileHashCache? cache = null)
{
    private static readonly TimeSpan RacyWindow = TimeSpan.FromSeconds(2);
    private int filesRead;

    public FileHashCache? Cache => cache;

    public int FilesRead => Volatile.Read(ref filesRead);

    /// <summary>The digest of a regular file's content.</summary>
    public async ValueTask<string> HashFileAsync(ISourceFileSystem fileSystem, SourceEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        ArgumentNullException.ThrowIfNull(entry);
        var cacheable = cache is not null && entry.HostPath is not null;
        if (cacheable && cache!.TryGet(entry) is { } known)
        {
            return known;
        }

        Interlocked.Increment(ref filesRead);
        var stream = await fileSystem.OpenReadAsync(entry.Path, cancellationToken).ConfigureAwait(false);
        string digest;
        await using (stream.ConfigureAwait(false))
        {
            digest = await HashStreamAsync(stream, cancellationToken).ConfigureAwait(false);
        }

        // A file changed again within its filesystem's timestamp granularity (a few ms on ext4) would
        // keep its mtime and size, so a digest is only remembered once the file has been still for a
        // while (git's "racily clean" rule): a fresh file is simply hashed again next time.
        if (cacheable && entry.ModificationTime < DateTimeOffset.UtcNow - RacyWindow)
        {
            cache!.Set(entry, digest);
        }

        return digest;
    }

    public static async ValueTask<string> HashStreamAsync(Stream content, CancellationToken cancellationToken) =>
        (await Digest.ComputeAsync(content, cancellationToken).ConfigureAwait(false)).ToString();

    /// <summary>
    /// A digest of everything under <paramref name="path"/> (the object itself included): for each
    /// object, its path relative to <paramref name="path"/>, type, mode, owner, link target and, for
    /// files, content digest. Modification times are left out, as in BuildKit's content checksums.
    /// </summary>
    public async ValueTask<string> HashTreeAsync(ISourceFileSystem fileSystem, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        var root = SourcePaths.Normalize(path);
        using var manifest = new TreeManifest();
        foreach (var entry in FileTreeWalker.Walk(fileSystem, root, cancellationToken))
        {
            var relative = entry.Path.Length == root.Length ? "" : root.Length == 0 ? entry.Path : entry.Path[(root.Length + 1)..];
            var content = entry.Type == LayerEntryType.RegularFile ? await HashFileAsync(fileSystem, entry, cancellationToken).ConfigureAwait(false) : null;
            manifest.Add(relative, entry.Type, entry.Mode, entry.Uid, entry.Gid, entry.LinkTarget, content);
        }

        return manifest.Digest();
    }

    /// <summary>Flushes the hash cache, if any; call once a build has planned its steps.</summary>
    public Task SaveAsync(CancellationToken cancellationToken) => cache?.SaveAsync(cancellationToken) ?? Task.CompletedTask;
}
