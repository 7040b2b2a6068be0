using Dockerbuild.Oci.Layers;

namespace Dockerbuild.Engine.Runtime;

/// <summary>
/// The fallback where overlayfs cannot be mounted: the layers are copied into a private root, the RUN
/// writes there, and the diff walks the layers' merged tree and the root side by side
/// (containerd's double-walking differ), giving the same entries as the overlay differ.
/// </summary>
public sealed class CopySnapshot : IRootfsSnapshot
{
    private readonly string directory;
    private readonly string? baseRoot;
    private readonly DirectoryLease lease;

    private CopySnapshot(string directory, string? baseRoot, DirectoryLease lease)
    {
        this.directory = directory;
        this.baseRoot = baseRoot;
        this.lease = lease;
    }

    public string RootfsPath => Path.Combine(directory, "r");

    /// <param name="lowerDirsTopFirst">Extracted layer directories, the topmost first (overlay whiteouts inside them are honoured); may be empty.</param>
    public static async Task<CopySnapshot> CreateAsync(IReadOnlyList<string> lowerDirsTopFirst, string workRoot, CancellationToken cancellationToken)
    {
        var directory = SnapshotDirectory.Create(workRoot);
        var lease = DirectoryLease.Take(directory);
        try
        {
            string? baseRoot = null;
            if (lowerDirsTopFirst.Count == 1)
            {
                baseRoot = Path.GetFullPath(lowerDirsTopFirst[0]);
            }
            else if (lowerDirsTopFirst.Count > 1)
            {
                // Merged once so that the diff has one tree to compare with.
                baseRoot = Path.Combine(directory, "b");
                var merger = new TreeCopier();
                foreach (var lower in lowerDirsTopFirst.Reverse())
                {
                    await merger.CopyAsync(lower, baseRoot, cancellationToken).ConfigureAwait(false);
                }
            }

            var snapshot = new CopySnapshot(directory, baseRoot, lease);
            if (baseRoot is null)
            {
                Directory.CreateDirectory(snapshot.RootfsPath);
            }
            else
            {
                await new TreeCopier().CopyAsync(baseRoot, snapshot.RootfsPath, cancellationToken).ConfigureAwait(false);
            }

            return snapshot;
        }
        catch
        {
            SnapshotDirectory.Delete(directory);
            lease.Dispose();
            throw;
        }
    }

    public async Task<IReadOnlyList<LayerEntry>> DiffAsync(DateTimeOffset whiteoutTime, CancellationToken cancellationToken)
    {
        var changes = new LayerChangeWriter(RootfsPath, whiteoutTime);
        await TreeDiff.WalkAsync(baseRoot, RootfsPath, "", changes, hideWhiteouts: false, cancellationToken).ConfigureAwait(false);
        return changes.Entries;
    }

    public ValueTask DisposeAsync()
    {
        SnapshotDirectory.Delete(directory);
        lease.Dispose();
        return ValueTask.CompletedTask;
    }
}
