using Dockerbuild.Oci.Unix;
using Dockerbuild.Oci.Layers;

namespace Dockerbuild.Engine.Runtime;

/// <summary>
/// Turns an overlayfs upperdir into the entries of an OCI layer, as BuildKit's overlay differ does:
/// only the upperdir is walked, and the lower view is consulted per entry. A whiteout device becomes
/// <c>.wh.&lt;name&gt;</c> when the name exists below (and is dropped when it does not); an entry present
/// below is a modification unless it is the same (directories copied up only because something inside
/// them changed are left out, then brought back as parents of what changed); an opaque directory
/// (trusted.overlay.opaque or user.overlay.opaque = "y") over an existing lower directory is compared
/// against it with the double-walking differ, so it yields a whiteout per removed name rather than
/// <c>.wh..wh..opq</c>, which is exactly what BuildKit writes.
/// </summary>
public static class UpperDirDiff
{
    /// <param name="upperDir">The upperdir after the run (with mount stubs already removed).</param>
    /// <param name="lowerRoot">The merged view of the lower layers (a directory, or a read-only overlay of them).</param>
    /// <param name="whiteoutTime">The mtime of whiteout entries (containerd uses the time of the diff).</param>
    public static async Task<IReadOnlyList<LayerEntry>> ComputeAsync(string upperDir, string lowerRoot, DateTimeOffset whiteoutTime, CancellationToken cancellationToken)
    {
        var changes = new LayerChangeWriter(upperDir, whiteoutTime);
        await WalkAsync(upperDir, lowerRoot, "", changes, cancellationToken).ConfigureAwait(false);
        return changes.Entries;
    }

    private static async Task WalkAsync(string upperDir, string lowerRoot, string directory, LayerChangeWriter changes, CancellationToken cancellationToken)
    {
        foreach (var name in TreeDiff.ChildNames(Path.Combine(upperDir, directory)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = directory.Length == 0 ? name : directory + "/" + name;
            var upperPath = Path.Combine(upperDir, path);
            var lowerPath = Path.Combine(lowerRoot, path);
            var stat = UnixFiles.LStat(upperPath);
            var lowerStat = UnixFiles.TryLStat(lowerPath);
            if (stat.IsOverlayWhiteout)
            {
                if (lowerStat is not null)
                {
                    changes.Delete(path);
                }

                continue;
            }

            if (stat.IsDirectory && OverlayMarkers.IsRedirected(upperPath))
            {
                throw new NotSupportedException($"The upperdir entry '{path}' uses overlayfs redirect_dir, which the diff cannot follow; mount overlays with redirect_dir=off.");
            }

            if (lowerStat is not { } below
                || !await FileComparer.SameAsync(lowerPath, below, upperPath, stat, cancellationToken).ConfigureAwait(false))
            {
                changes.AddOrModify(path, stat);
            }

            if (!stat.IsDirectory)
            {
                continue;
            }

            if (lowerStat is not null && OverlayMarkers.IsOpaque(upperPath))
            {
                await TreeDiff.WalkAsync(lowerStat.Value.IsDirectory ? lowerPath : null, upperPath, path, changes, hideWhiteouts: true, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await WalkAsync(upperDir, lowerRoot, path, changes, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
