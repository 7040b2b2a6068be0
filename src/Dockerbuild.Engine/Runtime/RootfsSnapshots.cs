namespace Dockerbuild.Engine.Runtime;

/// <summary>Makes the writable root of a RUN, preferring overlayfs as BuildKit does.</summary>
public static class RootfsSnapshots
{
    /// <param name="lowerDirsTopFirst">Extracted layer directories, topmost first; empty for scratch.</param>
    /// <param name="workRoot">Where snapshots keep their upperdirs or copies (a real filesystem such as ext4, not overlayfs or tmpfs for large layers).</param>
    public static async Task<IRootfsSnapshot> CreateAsync(IReadOnlyList<string> lowerDirsTopFirst, string workRoot, SnapshotKind kind, CancellationToken cancellationToken)
    {
        switch (kind)
        {
            case SnapshotKind.Overlay:
                return await OverlaySnapshot.CreateAsync(lowerDirsTopFirst, workRoot, cancellationToken).ConfigureAwait(false);
            case SnapshotKind.Copy:
                return await CopySnapshot.CreateAsync(lowerDirsTopFirst, workRoot, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await OverlaySnapshot.CreateAsync(lowerDirsTopFirst, workRoot, cancellationToken).ConfigureAwait(false);
        }
        catch (MountException)
        {
            return await CopySnapshot.CreateAsync(lowerDirsTopFirst, workRoot, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Unmounts and removes the snapshots under <paramref name="workRoot"/> that no live process holds
    /// (left by a build that was killed); snapshots of running builds are untouched.
    /// </summary>
    /// <returns>How many were removed.</returns>
    public static async Task<int> RemoveAbandonedAsync(string workRoot, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(workRoot))
        {
            return 0;
        }

        var removed = 0;
        foreach (var directory in Directory.EnumerateDirectories(workRoot))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!DirectoryLease.IsAbandoned(directory))
            {
                continue;
            }

            foreach (var mountPoint in await MountTable.MountsBelowAsync(directory, cancellationToken).ConfigureAwait(false))
            {
                SnapshotDirectory.Unmount(mountPoint);
            }

            SnapshotDirectory.Delete(directory);
            removed++;
        }

        return removed;
    }
}
