using Dockerbuild.Engine.Runtime;
using Dockerbuild.Oci;
using Dockerbuild.Oci.Json;
using Dockerbuild.Oci.Storage;

namespace Dockerbuild.Engine.Caching;

/// <summary>
/// docker builder prune for a store: step cache entries, cache mounts, extracted layer directories and
/// the context hash cache, chosen as BuildKit chooses cache records (without --all, those a local image
/// uses are kept), then the blobs nothing references any more. It holds <see cref="StoreUseLock"/>
/// exclusively, so it waits for builds and runs in flight and none starts while it works; what killed
/// builds left behind (containers, mounted snapshots, private directories) is removed too.
/// </summary>
public sealed class BuildCachePruner
{
    /// <summary>Blobs no record ever referenced may belong to a pull or load in flight, which does not take the lock.</summary>
    private static readonly TimeSpan OrphanGrace = TimeSpan.FromHours(1);

    private readonly ImageStore store;
    private readonly string root;

    public BuildCachePruner(ImageStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        this.store = store;
        root = store.Blobs.Root;
    }

    /// <param name="onWaiting">Called once if builds or runs in flight make the prune wait.</param>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task<BuildCachePruneResult> PruneAsync(BuildCachePruneOptions options, Action? onWaiting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var exclusive = await StoreUseLock.AcquireExclusiveAsync(root, onWaiting, cancellationToken).ConfigureAwait(false);
        var reclaimed = await RemoveLeftoversAsync(cancellationToken).ConfigureAwait(false);
        var images = await ImageUsage.ReadAsync(store, cancellationToken).ConfigureAwait(false);
        var records = new List<CacheRecord>();
        records.AddRange(await StepRecordsAsync(images, cancellationToken).ConfigureAwait(false));
        records.AddRange(DirectoryRecords(StorePaths.CacheMounts(root), CacheRecordKind.CacheMount, _ => false));
        records.AddRange(DirectoryRecords(StorePaths.Layers(root), CacheRecordKind.Layer, name => images.DiffIds.Contains(name)));
        foreach (var (name, path) in (ReadOnlySpan<(string, string)>)[("hashes", StorePaths.Hashes(root)), ("gzip-members", StorePaths.GzipMembers(root))])
        {
            if (Directory.Exists(path))
            {
                records.Add(new CacheRecord(name, CacheRecordKind.Internal, path, DirectoryTree.Size(path), LastUsed(path), Shared: false));
            }
        }

        var now = DateTime.UtcNow;
        var candidates = records
            .Where(r => options.All || (!r.Shared && r.Kind != CacheRecordKind.Internal))
            .Where(r => options.UnusedFor is not { } unused || now - r.LastUsedUtc > unused)
            .OrderBy(r => r.LastUsedUtc)
            .ToList();
        var total = records.Sum(r => r.Size);
        var deleted = new List<CacheRecord>();
        foreach (var record in candidates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (options.KeepStorage is { } keep && total <= keep)
            {
                break;
            }

            var size = DirectoryTree.Size(record.Path);
            DirectoryTree.Delete(record.Path);
            if (record.Kind == CacheRecordKind.CacheMount)
            {
                File.Delete(record.Path + ".lock");
            }

            reclaimed += size;
            total -= record.Size;
            deleted.Add(record);
        }

        // Blobs: what a remaining entry or an image references stays; what only deleted entries did goes now.
        var kept = records.Except(deleted).SelectMany(r => r.Blobs).Concat(images.Blobs).ToHashSet();
        var released = deleted.SelectMany(r => r.Blobs).ToHashSet();
        var cutoff = now - OrphanGrace;
        foreach (var digest in store.Blobs.List().ToList())
        {
            if (kept.Contains(digest) || (!released.Contains(digest) && File.GetLastWriteTimeUtc(store.Blobs.PathOf(digest)) > cutoff))
            {
                continue;
            }

            var size = store.Blobs.SizeOf(digest) ?? 0;
            if (store.Blobs.Delete(digest))
            {
                reclaimed += size;
            }
        }

        store.Blobs.SweepTemporaryFiles(OrphanGrace);
        return new BuildCachePruneResult([.. deleted.Select(r => r.Id)], reclaimed);
    }

    /// <summary>
    /// No build or run of this store is alive while the lock is held exclusively, so their private
    /// directories are leftovers of killed ones: containers, mounted snapshots, RUN and COPY scratch,
    /// half-extracted layers.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private async Task<long> RemoveLeftoversAsync(CancellationToken cancellationToken)
    {
        try
        {
            await new RuncRuntime().RemoveAbandonedAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ContainerRuntimeException)
        {
            // No runtime installed: no container can have been left either.
        }

        await RootfsSnapshots.RemoveAbandonedAsync(StorePaths.Snapshots(root), cancellationToken).ConfigureAwait(false);
        long reclaimed = 0;
        var work = StorePaths.Work(root);
        IEnumerable<string> scratch = Directory.Exists(work)
            ? Directory.EnumerateDirectories(work).Where(d => Path.GetFileName(d) != "snapshots")
            : [];
        var layers = StorePaths.Layers(root);
        IEnumerable<string> partial = Directory.Exists(layers)
            ? Directory.EnumerateDirectories(layers).Where(d => Path.GetFileName(d).StartsWith('.'))
            : [];
        foreach (var directory in scratch.Concat(partial).ToList())
        {
            reclaimed += DirectoryTree.Size(directory);
            DirectoryTree.DeleteHidden(directory);
        }

        return reclaimed;
    }

    private async Task<IReadOnlyList<CacheRecord>> StepRecordsAsync(ImageUsage images, CancellationToken cancellationToken)
    {
        var directory = StorePaths.Steps(root);
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var records = new List<CacheRecord>();
        foreach (var path in Directory.EnumerateFiles(directory))
        {
            if (Path.GetFileName(path).StartsWith('.'))
            {
                // A temporary entry a killed build was writing.
                File.Delete(path);
                continue;
            }

            ImageManifest? manifest;
            try
            {
                manifest = OciJson.Deserialize<ImageManifest>(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false));
            }
            catch (OciFormatException)
            {
                manifest = null;
            }

            IReadOnlyList<Digest> blobs = manifest is null ? [] : [manifest.Config.Digest, .. manifest.Layers.Select(l => l.Digest)];
            var size = new FileInfo(path).Length + blobs.Where(d => !images.Blobs.Contains(d)).Distinct().Sum(d => store.Blobs.SizeOf(d) ?? 0);
            var shared = manifest is not null && images.LayerChains.Contains(ImageUsage.Chain(manifest.Layers));
            records.Add(new CacheRecord(Path.GetFileNameWithoutExtension(path), CacheRecordKind.Step, path, size, LastUsed(path), shared) { Blobs = blobs });
        }

        return records;
    }

    private static IEnumerable<CacheRecord> DirectoryRecords(string parent, CacheRecordKind kind, Func<string, bool> shared)
    {
        if (!Directory.Exists(parent))
        {
            return [];
        }

        return [.. Directory.EnumerateDirectories(parent)
            .Where(d => !Path.GetFileName(d).StartsWith('.'))
            .Select(d => new CacheRecord(Path.GetFileName(d), kind, d, DirectoryTree.Size(d), LastUsed(d), shared(Path.GetFileName(d))))];
    }

    /// <summary>A record's last use: its newest timestamp (a cache hit touches its entry; a cache mount's lock is opened on use).</summary>
    private static DateTime LastUsed(string path)
    {
        var times = new List<DateTime> { File.GetLastWriteTimeUtc(path) };
        if (File.Exists(path + ".lock"))
        {
            times.Add(File.GetLastWriteTimeUtc(path + ".lock"));
        }

        return times.Max();
    }
}
