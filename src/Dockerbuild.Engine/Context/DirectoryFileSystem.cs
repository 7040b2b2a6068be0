using Dockerbuild.Oci.Unix;
using Dockerbuild.Dockerfile.Ignore;
using Dockerbuild.Engine.Runtime;
using Dockerbuild.Oci.Layers;

namespace Dockerbuild.Engine.Context;

/// <summary>
/// A host directory seen as a source tree: the build context (filtered by .dockerignore, every file
/// owned by 0:0 as BuildKit's context transfer makes them), a named context, or a mounted or
/// extracted root filesystem (owners kept). Symlinks are reported, never followed, so nothing
/// outside the directory is ever reached.
/// </summary>
public sealed class DirectoryFileSystem : ISourceFileSystem
{
    private readonly string root;
    private readonly DockerIgnore ignore;
    private readonly bool ownedByRoot;

    /// <param name="ignore">Paths it excludes are invisible (null: nothing is).</param>
    /// <param name="ownedByRoot">Report uid/gid 0 for everything, as for the build context.</param>
    public DirectoryFileSystem(string root, DockerIgnore? ignore = null, bool ownedByRoot = false)
    {
        this.root = Path.GetFullPath(root).TrimEnd('/');
        this.ignore = ignore ?? DockerIgnore.Empty;
        this.ownedByRoot = ownedByRoot;
    }

    public string Root => root;

    public SourceEntry? Stat(string path)
    {
        path = SourcePaths.Normalize(path);
        if (path.Length > 0 && ignore.IsExcluded(path))
        {
            return null;
        }

        return StatHost(path, HostPathOf(path));
    }

    public IReadOnlyList<SourceEntry> List(string directory)
    {
        directory = SourcePaths.Normalize(directory);
        var host = HostPathOf(directory);
        if (UnixFiles.TryLStat(host) is not { IsDirectory: true })
        {
            return [];
        }

        var children = new List<SourceEntry>();
        foreach (var childHost in Directory.EnumerateFileSystemEntries(host))
        {
            var child = SourcePaths.Join(directory, Path.GetFileName(childHost));
            if (ignore.IsExcluded(child))
            {
                // An excluded directory may still hold re-included files ("!dir/keep"); the walker
                // needs the directory to reach them.
                if (!(ignore.HasExceptions && UnixFiles.TryLStat(childHost) is { IsDirectory: true } && !ignore.CanSkipDirectory(child)))
                {
                    continue;
                }
            }

            if (StatHost(child, childHost) is { } entry)
            {
                children.Add(entry);
            }
        }

        children.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return children;
    }

    /// <summary>
    /// Opened for synchronous reads, which readers of local files use (see LocalFileRead in Dockerbuild.Oci):
    /// Linux has no asynchronous file reads, so an "asynchronous" one is a pool thread's blocking read,
    /// and on a busy machine every such hop waits for a core; a COPY of 2,000 files makes thousands.
    /// </summary>
    public ValueTask<Stream> OpenReadAsync(string path, CancellationToken cancellationToken) =>
        ValueTask.FromResult<Stream>(new FileStream(HostPathOf(SourcePaths.Normalize(path)), new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.ReadWrite,
            BufferSize = 0,
            Options = FileOptions.SequentialScan,
        }));

    private string HostPathOf(string normalized) => normalized.Length == 0 ? root : root + "/" + normalized;

    private SourceEntry? StatHost(string path, string host)
    {
        if (UnixFiles.TryLStat(host) is not { } stat)
        {
            return null;
        }

        var type = stat.ToLayerEntryType();
        if (type is not { } known)
        {
            return null; // sockets cannot be copied
        }

        return new SourceEntry(
            path,
            known,
            stat.Permissions,
            ownedByRoot ? 0 : stat.Uid,
            ownedByRoot ? 0 : stat.Gid,
            known == LayerEntryType.RegularFile ? stat.Size : 0,
            (stat.MtimeSeconds * 1_000_000_000L) + stat.MtimeNanoseconds,
            known == LayerEntryType.SymbolicLink ? new FileInfo(host).LinkTarget : null)
        {
            HostPath = host,
            Device = stat.Device,
            Inode = stat.Inode,
            LinkCount = stat.LinkCount,
        };
    }
}
