using Dockerbuild.Oci.Unix;

namespace Dockerbuild.Oci.Layers;

/// <summary>
/// Turns a directory on disk into layer entries: lstat for type, mode, owner, mtime and device
/// numbers; symlinks kept as links (never followed); files sharing an inode become hardlinks to the
/// one that sorts first, as containerd's diff writer does. Sockets are skipped, as tar cannot hold them.
/// File content is opened only when the entry is written. With
/// <see cref="DirectoryScanOptions.OverlayWhiteouts"/>, an overlayfs upperdir becomes an OCI diff.
/// </summary>
public static class DirectoryLayerSource
{
    private const string CapabilityAttribute = "security.capability";

    // The kernel marks opaque directories with trusted.*, or user.* when mounted with userxattr (rootless).
    private static readonly string[] OpaqueAttributes = ["trusted.overlay.opaque", "user.overlay.opaque"];

    public static IReadOnlyList<LayerEntry> Scan(string directory, DirectoryScanOptions? options = null)
    {
        options ??= new DirectoryScanOptions();
        var root = Path.GetFullPath(directory);
        var prefix = LayerPath.Normalize(options.PathPrefix);
        var found = new List<(LayerEntry Entry, UnixFileStatus Stat, byte[] Key)>();
        if (prefix.Length > 0)
        {
            Add(found, root, prefix, options);
        }

        Walk(found, root, prefix, options);

        found.Sort((a, b) => a.Key.AsSpan().SequenceCompareTo(b.Key));
        var firstPathOfInode = new Dictionary<(ulong, ulong), string>();
        var result = new List<LayerEntry>(found.Count);
        foreach (var (entry, stat, _) in found)
        {
            if (entry.Type == LayerEntryType.RegularFile && stat.LinkCount > 1)
            {
                var inode = (stat.Device, stat.Inode);
                if (firstPathOfInode.TryGetValue(inode, out var first))
                {
                    result.Add(entry with { Type = LayerEntryType.HardLink, LinkTarget = first, Size = 0, OpenContent = null });
                    continue;
                }

                firstPathOfInode[inode] = entry.Path;
            }

            result.Add(entry);
        }

        return result;
    }

    private static void Walk(List<(LayerEntry, UnixFileStatus, byte[])> found, string directory, string layerDirectory, DirectoryScanOptions options)
    {
        foreach (var child in Directory.EnumerateFileSystemEntries(directory))
        {
            var name = Path.GetFileName(child);
            var layerPath = layerDirectory.Length == 0 ? name : layerDirectory + "/" + name;
            if (Add(found, child, layerPath, options) == LayerEntryType.Directory)
            {
                Walk(found, child, layerPath, options);
            }
        }
    }

    private static LayerEntryType? Add(List<(LayerEntry, UnixFileStatus, byte[])> found, string hostPath, string layerPath, DirectoryScanOptions options)
    {
        var stat = UnixFiles.LStat(hostPath);
        if (stat.ToLayerEntryType() is not { } entryType)
        {
            return null;
        }

        if (options.OverlayWhiteouts && entryType == LayerEntryType.CharacterDevice && stat is { RdevMajor: 0, RdevMinor: 0 })
        {
            var slash = layerPath.LastIndexOf('/');
            AddWhiteout(found, layerPath[..(slash + 1)] + ".wh." + layerPath[(slash + 1)..], stat);
            return null;
        }

        if (options.OverlayWhiteouts && entryType == LayerEntryType.Directory && IsOpaque(hostPath))
        {
            AddWhiteout(found, layerPath + "/.wh..wh..opq", stat);
        }

        var isDevice = entryType is LayerEntryType.CharacterDevice or LayerEntryType.BlockDevice;
        var entry = new LayerEntry
        {
            Path = layerPath,
            Type = entryType,
            Mode = stat.Permissions,
            Uid = options.Uid ?? stat.Uid,
            Gid = options.Gid ?? stat.Gid,
            ModificationTime = stat.ModificationTime,
            LinkTarget = entryType == LayerEntryType.SymbolicLink ? new FileInfo(hostPath).LinkTarget : null,
            Size = entryType == LayerEntryType.RegularFile ? stat.Size : 0,
            OpenContent = entryType == LayerEntryType.RegularFile ? _ => ValueTask.FromResult(OpenRead(hostPath)) : null,
            DeviceMajor = isDevice ? stat.RdevMajor : 0,
            DeviceMinor = isDevice ? stat.RdevMinor : 0,
            ExtendedAttributes = options.IncludeCapabilities && entryType == LayerEntryType.RegularFile ? Capabilities(hostPath) : null,
        };
        found.Add((entry, stat, LayerPath.SortKey(layerPath)));
        return entryType;
    }

    /// <summary>An empty, mode 0 file owned by root, as containerd writes whiteouts.</summary>
    private static void AddWhiteout(List<(LayerEntry, UnixFileStatus, byte[])> found, string path, UnixFileStatus stat)
    {
        var entry = new LayerEntry { Path = path, Type = LayerEntryType.RegularFile, ModificationTime = stat.ModificationTime };
        found.Add((entry, stat with { LinkCount = 1 }, LayerPath.SortKey(path)));
    }

    private static bool IsOpaque(string directory) =>
        OpaqueAttributes.Any(name => UnixFiles.TryLGetXattr(directory, name) is [(byte)'y']);

    private static Stream OpenRead(string path) =>
        new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.Read,
            BufferSize = 0,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
        });

    /// <summary>Only security.capability, as containerd's and docker's diff writers do: other xattrs are host detail.</summary>
    private static IReadOnlyDictionary<string, byte[]>? Capabilities(string path) =>
        UnixFiles.TryLGetXattr(path, CapabilityAttribute) is { } value
            ? new Dictionary<string, byte[]>(StringComparer.Ordinal) { [CapabilityAttribute] = value }
            : null;
}
