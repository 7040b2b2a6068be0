using Dockerbuild.Oci.Unix;

namespace Dockerbuild.Oci.Layers;

/// <summary>
/// Paths inside an extraction root that can never leave it. Names are cleaned lexically first (a
/// ".." that would climb above the root is refused); then every existing component is resolved with
/// its symlinks interpreted inside the root, absolute targets relative to the root and ".." stopping
/// at it, as securejoin (used by containerd and runc) does. So a symlink may point anywhere, but
/// nothing is ever written through one to outside the root.
/// </summary>
internal static class RootedPath
{
    private const int MaxSymlinks = 255;

    /// <summary>The components of <paramref name="name"/> relative to the root; a leading '/' is dropped.</summary>
    public static List<string> Clean(string name, string entryName)
    {
        var result = new List<string>();
        foreach (var part in name.Split('/'))
        {
            switch (part)
            {
                case "" or ".":
                    continue;
                case "..":
                    if (result.Count == 0)
                    {
                        throw new UnsafeLayerException(entryName, "climbs above the layer root with '..'");
                    }

                    result.RemoveAt(result.Count - 1);
                    break;
                default:
                    result.Add(part);
                    break;
            }
        }

        return result;
    }

    /// <summary>
    /// The host path of <paramref name="components"/> under <paramref name="root"/>, every existing
    /// component resolved within the root, so the result has no symlink in it and lies under the root.
    /// </summary>
    public static string Resolve(string root, IReadOnlyList<string> components, string entryName)
    {
        var resolved = new List<string>();
        var pending = new Stack<string>(components.Reverse());
        var links = 0;
        while (pending.TryPop(out var part))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (resolved.Count > 0)
                {
                    resolved.RemoveAt(resolved.Count - 1);
                }

                continue;
            }

            var candidate = Join(root, resolved, part);
            if (UnixFiles.TryLStat(candidate) is { Type: UnixFileStatus.Symlink })
            {
                if (++links > MaxSymlinks)
                {
                    throw new UnsafeLayerException(entryName, "goes through too many levels of symlinks");
                }

                var target = new FileInfo(candidate).LinkTarget ?? "";
                if (target.StartsWith('/'))
                {
                    resolved.Clear();
                }

                foreach (var targetPart in target.Split('/').Reverse())
                {
                    pending.Push(targetPart);
                }

                continue;
            }

            resolved.Add(part);
        }

        return Join(root, resolved, null);
    }

    private static string Join(string root, List<string> components, string? last)
    {
        var path = components.Count == 0 ? root : root + "/" + string.Join('/', components);
        return last is null ? path : path + "/" + last;
    }
}
