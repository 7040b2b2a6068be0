namespace Dockerbuild.Engine.Context;

/// <summary>Path arithmetic inside an <see cref="ISourceFileSystem"/>, where "/" is the tree's root and nothing can climb above it.</summary>
public static class SourcePaths
{
    private const int MaxSymlinks = 255;

    /// <summary>Cleans a path as Go's path.Clean(path.Join("/", p)) does, then drops the leading '/': "" is the root.</summary>
    public static string Normalize(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            parts.Add(part);
        }

        return string.Join('/', parts);
    }

    public static string Join(string directory, string name) =>
        directory.Length == 0 ? name : name.Length == 0 ? directory : directory + "/" + name;

    public static string Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? "" : path[..slash];
    }

    /// <summary>
    /// Follows symlinks in every component of <paramref name="path"/> (and in the last one too when
    /// <paramref name="followLast"/>), absolute targets being relative to the tree's root, like
    /// containerd's fs.RootPath. The result may not exist; too many links throw.
    /// </summary>
    public static string Resolve(ISourceFileSystem fileSystem, string path, bool followLast)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        var pending = new Stack<string>(Normalize(path).Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var resolved = new List<string>();
        var followed = 0;
        while (pending.TryPop(out var part))
        {
            if (part == "..")
            {
                if (resolved.Count > 0)
                {
                    resolved.RemoveAt(resolved.Count - 1);
                }

                continue;
            }

            if (part == ".")
            {
                continue;
            }

            var candidate = string.Join('/', [.. resolved, part]);
            var isLast = pending.Count == 0;
            if ((!isLast || followLast) && fileSystem.Stat(candidate) is { Type: Oci.Layers.LayerEntryType.SymbolicLink, LinkTarget: { } target })
            {
                if (++followed > MaxSymlinks)
                {
                    throw new IOException($"too many levels of symbolic links resolving '/{path}'");
                }

                if (target.StartsWith('/'))
                {
                    resolved.Clear();
                }

                foreach (var t in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
                {
                    pending.Push(t);
                }

                continue;
            }

            resolved.Add(part);
        }

        return string.Join('/', resolved);
    }
}
