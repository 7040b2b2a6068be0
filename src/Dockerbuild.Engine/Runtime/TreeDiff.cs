using Dockerbuild.Oci.Unix;

namespace Dockerbuild.Engine.Runtime;

/// <summary>
/// The double-walking differ (continuity's fs.Changes): both trees are walked in name order; an
/// entry only in the base is a deletion (its children are not visited), an entry only in the new
/// tree is an addition with all its children, an entry in both is a modification unless
/// <see cref="FileComparer"/> finds it the same. Used for the copy snapshot and, as BuildKit does,
/// under overlay directories made opaque.
/// </summary>
internal static class TreeDiff
{
    /// <param name="baseRoot">The tree before, or null when there was nothing (everything is added).</param>
    /// <param name="newRoot">The tree after.</param>
    /// <param name="prefix">Where both roots sit in the layer ("" for the root).</param>
    /// <param name="hideWhiteouts">Skip overlay whiteout devices in the new tree (an upperdir).</param>
    public static async Task WalkAsync(string? baseRoot, string newRoot, string prefix, LayerChangeWriter changes, bool hideWhiteouts, CancellationToken cancellationToken)
    {
        var baseNames = ChildNames(baseRoot);
        var newNames = ChildNames(newRoot);
        int i = 0, j = 0;
        while (i < baseNames.Count || j < newNames.Count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var order = i >= baseNames.Count ? 1 : j >= newNames.Count ? -1 : string.CompareOrdinal(baseNames[i], newNames[j]);
            var name = order <= 0 ? baseNames[i] : newNames[j];
            var path = prefix.Length == 0 ? name : prefix + "/" + name;
            var basePath = baseRoot is null ? null : Path.Combine(baseRoot, name);
            var newPath = Path.Combine(newRoot, name);
            var newStat = order >= 0 ? UnixFiles.TryLStat(newPath) : null;
            if (hideWhiteouts && newStat is { IsOverlayWhiteout: true })
            {
                newStat = null;
            }

            if (order < 0 || (order == 0 && newStat is null))
            {
                changes.Delete(path);
            }
            else if (newStat is { } added && order > 0)
            {
                changes.AddOrModify(path, added);
                if (added.IsDirectory)
                {
                    await WalkAsync(null, newPath, path, changes, hideWhiteouts, cancellationToken).ConfigureAwait(false);
                }
            }
            else if (newStat is { } current)
            {
                var baseStat = UnixFiles.LStat(basePath!);
                if (!await FileComparer.SameAsync(basePath!, baseStat, newPath, current, cancellationToken).ConfigureAwait(false))
                {
                    changes.AddOrModify(path, current);
                }

                if (current.IsDirectory)
                {
                    // A directory that replaced a file is compared with nothing: all its children are new.
                    await WalkAsync(baseStat.IsDirectory ? basePath : null, newPath, path, changes, hideWhiteouts, cancellationToken).ConfigureAwait(false);
                }
            }

            if (order <= 0)
            {
                i++;
            }

            if (order >= 0)
            {
                j++;
            }
        }
    }

    /// <summary>Names in ordinal (byte) order, as Go's directory walk sorts them; none when absent.</summary>
    internal static List<string> ChildNames(string? directory)
    {
        if (directory is null || UnixFiles.TryLStat(directory) is not { IsDirectory: true })
        {
            return [];
        }

        var names = new List<string>();
        foreach (var child in Directory.EnumerateFileSystemEntries(directory))
        {
            names.Add(Path.GetFileName(child));
        }

        names.Sort(string.CompareOrdinal);
        return names;
    }
}
