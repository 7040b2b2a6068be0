using Dockerbuild.Oci.Unix;

namespace Dockerbuild.Engine.Runtime;

/// <summary>
/// Resolves a path inside a root filesystem the way the container would see it: symlinks are
/// followed, absolute targets and ".." are taken relative to the root and can never leave it
/// (containerd's fs.RootPath).
/// </summary>
internal static class RootPath
{
    private const int MaxSymlinks = 255;

    public static string Resolve(string root, string path)
    {
        root = Path.GetFullPath(root);
        var pending = new Stack<string>(Split(path).Reverse());
        var resolved = new List<string>();
        var followed = 0;
        while (pending.TryPop(out var part))
        {
            if (part == ".")
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

            var candidate = Join(root, [.. resolved, part]);
            if (UnixFiles.TryLStat(candidate) is { Type: UnixFileStatus.Symlink } && ++followed <= MaxSymlinks)
            {
                var target = new FileInfo(candidate).LinkTarget ?? "";
                if (target.StartsWith('/'))
                {
                    resolved.Clear();
                }

                foreach (var next in Split(target).Reverse())
                {
                    pending.Push(next);
                }

                continue;
            }

            resolved.Add(part);
        }

        return Join(root, resolved);
    }

    private static string[] Split(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    private static string Join(string root, IEnumerable<string> parts) => Path.Combine([root, .. parts]);
}
