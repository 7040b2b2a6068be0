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
}
