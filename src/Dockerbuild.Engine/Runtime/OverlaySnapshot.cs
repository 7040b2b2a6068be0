using Dockerbuild.Oci.Layers;

namespace Dockerbuild.Engine.Runtime;

/// <summary>
/// An overlayfs root: the layer directories are the lowerdirs, a fresh upperdir collects what the RUN
/// writes, and <see cref="UpperDirDiff"/> turns that upperdir into the layer. Short directory names keep
/// the mount options small.
/// </summary>
public sealed class OverlaySnapshot : IRootfsSnapshot
{
    private readonly string directory;
    private readonly IReadOnlyList<string> lowerDirs;
    private readonly DirectoryLease lease;
    private bool mounted;

    private OverlaySnapshot(string directory, IReadOnlyList<string> lowerDirs)
    {
        this.directory = directory;
        this.lowerDirs = lowerDirs;
        lease = DirectoryLease.Take(directory);
    }

    public string RootfsPath => Path.Combine(directory, "m");

    private string UpperDir => Path.Combine(directory, "u");

    /// <param name="lowerDirsTopFirst">Extracted layer directories, the topmost first (overlay whiteouts inside them are honoured); may be empty (scratch).</param>
    /// <param name="workRoot">A directory on a filesystem that can hold an upperdir (not overlayfs itself).</param>
    public static Task<OverlaySnapshot> CreateAsync(IReadOnlyList<string> lowerDirsTopFirst, string workRoot, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var directory = SnapshotDirectory.Create(workRoot);
        var snapshot = new OverlaySnapshot(directory, [.. lowerDirsTopFirst.Select(Path.GetFullPath)]);
        try
        {
            foreach (var name in (string[])["u", "w", "m", "e"])
            {
                Directory.CreateDirectory(Path.Combine(directory, name));
            }

            IReadOnlyList<string> lowers = snapshot.lowerDirs.Count == 0 ? [Path.Combine(directory, "e")] : snapshot.lowerDirs;
            OverlayMount.Mount(snapshot.RootfsPath, lowers, snapshot.UpperDir, Path.Combine(directory, "w"), Path.Combine(directory, "l"));
            snapshot.mounted = true;
            return Task.FromResult(snapshot);
        }
        catch
        {
            snapshot.lease.Dispose();
            SnapshotDirectory.Delete(directory);
            throw;
        }
    }

    public async Task<IReadOnlyList<LayerEntry>> DiffAsync(DateTimeOffset whiteoutTime, CancellationToken cancellationToken)
    {
        UnmountRootfs();
        switch (lowerDirs.Count)
        {
            case 0:
                return await UpperDirDiff.ComputeAsync(UpperDir, Path.Combine(directory, "e"), whiteoutTime, cancellationToken).ConfigureAwait(false);
            case 1:
                return await UpperDirDiff.ComputeAsync(UpperDir, lowerDirs[0], whiteoutTime, cancellationToken).ConfigureAwait(false);
        }

        // The merged lower view, read-only, is what BuildKit compares the upperdir with.
        var lowerView = Path.Combine(directory, "b");
        Directory.CreateDirectory(lowerView);
        OverlayMount.Mount(lowerView, lowerDirs, null, null, Path.Combine(directory, "l"));
        try
        {
            return await UpperDirDiff.ComputeAsync(UpperDir, lowerView, whiteoutTime, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            SnapshotDirectory.Unmount(lowerView);
        }
    }

    public ValueTask DisposeAsync()
    {
        UnmountRootfs();
        SnapshotDirectory.Delete(directory);
        lease.Dispose();
        return ValueTask.CompletedTask;
    }

    private void UnmountRootfs()
    {
        if (mounted)
        {
            SnapshotDirectory.Unmount(RootfsPath);
            mounted = false;
        }
    }
}
