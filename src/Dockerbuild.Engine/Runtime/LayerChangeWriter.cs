using Dockerbuild.Oci.Layers;
using Dockerbuild.Oci.Unix;

namespace Dockerbuild.Engine.Runtime;

/// <summary>
/// Collects changes as layer entries the way containerd's change writer turns them into a tar:
/// a deletion is an empty <c>.wh.&lt;name&gt;</c> file; a deletion, an addition or a modification brings
/// along every parent directory not yet written (read from the changed tree), but never the root; files sharing an
/// inode become hardlinks to the first one recorded. Content is opened only when the tar is written.
/// </summary>
internal sealed class LayerChangeWriter(string sourceRoot, DateTimeOffset whiteoutTime)
{
    public const string WhiteoutPrefix = ".wh.";
    private const string CapabilityAttribute = "security.capability";

    private readonly Dictionary<string, LayerEntry> entries = new(StringComparer.Ordinal);
    private readonly Dictionary<(ulong Device, ulong Inode), string> firstPathOfInode = [];

    public IReadOnlyList<LayerEntry> Entries => [.. entries.Values];

    /// <summary>A whiteout, preceded like any change by its parents not yet written (containerd's includeParents).</summary>
    public void Delete(string path)
    {
        IncludeParents(path);
        var slash = path.LastIndexOf('/');
        var whiteout = slash < 0 ? WhiteoutPrefix + path : path[..(slash + 1)] + WhiteoutPrefix + path[(slash + 1)..];
        entries.TryAdd(whiteout, new LayerEntry
        {
            Path = whiteout,
            Type = LayerEntryType.RegularFile,
            Mode = 0,
            ModificationTime = whiteoutTime,
        });
    }

    /// <summary>Records <paramref name="path"/> (relative, '/'-separated) as found in the source tree.</summary>
    public void AddOrModify(string path, UnixFileStatus stat)
    {
        IncludeParents(path);
        if (entries.ContainsKey(path))
        {
            return;
        }

        var hostPath = Path.Combine(sourceRoot, path);
        if (stat.ToLayerEntryType() is not { } entryType)
        {
            return; // sockets cannot be carried by tar, as in containerd.
        }

        var isDevice = entryType is LayerEntryType.CharacterDevice or LayerEntryType.BlockDevice;
        var entry = new LayerEntry
        {
            Path = path,
            Type = entryType,
            Mode = stat.Permissions,
            Uid = stat.Uid,
            Gid = stat.Gid,
            ModificationTime = stat.ModificationTime,
            LinkTarget = entryType == LayerEntryType.SymbolicLink ? new FileInfo(hostPath).LinkTarget : null,
            Size = entryType == LayerEntryType.RegularFile ? stat.Size : 0,
            OpenContent = entryType == LayerEntryType.RegularFile ? _ => ValueTask.FromResult<Stream>(FileComparer.OpenRead(hostPath)) : null,
            DeviceMajor = isDevice ? stat.RdevMajor : 0,
            DeviceMinor = isDevice ? stat.RdevMinor : 0,
            ExtendedAttributes = UnixFiles.TryLGetXattr(hostPath, CapabilityAttribute) is { } capability
                ? new Dictionary<string, byte[]>(StringComparer.Ordinal) { [CapabilityAttribute] = capability }
                : null,
        };

        if (entryType == LayerEntryType.RegularFile && stat.LinkCount > 1)
        {
            if (firstPathOfInode.TryGetValue((stat.Device, stat.Inode), out var first))
            {
                entry = entry with { Type = LayerEntryType.HardLink, LinkTarget = first, Size = 0, OpenContent = null };
            }
            else
            {
                firstPathOfInode[(stat.Device, stat.Inode)] = path;
            }
        }

        entries[path] = entry;
    }

    private void IncludeParents(string path)
    {
        var slash = path.LastIndexOf('/');
        if (slash <= 0)
        {
            return;
        }

        var parent = path[..slash];
        if (!entries.ContainsKey(parent))
        {
            AddOrModify(parent, UnixFiles.LStat(Path.Combine(sourceRoot, parent)));
        }
    }
}
