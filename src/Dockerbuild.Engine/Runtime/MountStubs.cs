using Dockerbuild.Oci.Unix;

namespace Dockerbuild.Engine.Runtime;

/// <summary>
/// The files and directories the runtime creates in the rootfs only so that something can be
/// mounted on them (mount targets and their missing parents, /etc/hosts, /etc/resolv.conf). They
/// are noted before the run and removed after it when still empty, so that they never reach the
/// layer (BuildKit's MountStubsCleaner); the parent's timestamps are restored for reproducible diffs.
/// </summary>
internal sealed class MountStubs
{
    private readonly List<string> paths;

    private MountStubs(List<string> paths)
    {
        this.paths = paths;
    }

    /// <summary>Notes which of <paramref name="destinations"/> (and their parents) do not exist yet, deepest first.</summary>
    public static MountStubs Record(string rootfs, IEnumerable<string> destinations)
    {
        var root = Path.GetFullPath(rootfs).TrimEnd('/');
        var missing = new List<string>();
        foreach (var destination in destinations)
        {
            var path = RootPath.Resolve(root, destination);
            while (path.Length > root.Length && UnixFiles.TryLStat(path) is null)
            {
                missing.Add(path);
                path = Path.GetDirectoryName(path)!;
            }
        }

        return new MountStubs(missing);
    }

    public void Remove()
    {
        foreach (var path in paths)
        {
            if (UnixFiles.TryLStat(path) is not { } stat
                || (stat.IsDirectory ? Directory.EnumerateFileSystemEntries(path).Any() : stat.Size != 0))
            {
                continue;
            }

            var parent = Path.GetDirectoryName(path)!;
            var parentStat = UnixFiles.TryLStat(parent);
            if (stat.IsDirectory)
            {
                Directory.Delete(path);
            }
            else
            {
                File.Delete(path);
            }

            if (parentStat is { } before)
            {
                UnixFiles.LSetTimes(parent, before.AtimeSeconds, before.AtimeNanoseconds, before.MtimeSeconds, before.MtimeNanoseconds);
            }
        }
    }
}
