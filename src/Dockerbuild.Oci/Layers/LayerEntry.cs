using System.Runtime.InteropServices;

namespace Dockerbuild.Oci.Layers;

/// <summary>
/// One object to put in a layer tar. <see cref="Path"/> is relative to the layer root, with '/'
/// separators; a leading '/' or './' is dropped. <see cref="Mode"/> holds the permission bits
/// including setuid, setgid and sticky (the file type comes from <see cref="Type"/>).
/// Regular files need <see cref="Size"/> and <see cref="OpenContent"/>, which is called once,
/// when the entry is written, so content is streamed and never held in memory.
/// </summary>
public sealed record LayerEntry
{
    public required string Path { get; init; }

    public required LayerEntryType Type { get; init; }

    public int Mode { get; init; }

    public int Uid { get; init; }

    public int Gid { get; init; }

    /// <summary>Owner name for the header; empty unless given, as BuildKit writes it.</summary>
    public string UserName { get; init; } = "";

    public string GroupName { get; init; } = "";

    public DateTimeOffset ModificationTime { get; init; } = DateTimeOffset.UnixEpoch;

    /// <summary>Symlink target as written, or the layer path a hardlink points to.</summary>
    public string? LinkTarget { get; init; }

    public long Size { get; init; }

    public Func<CancellationToken, ValueTask<Stream>>? OpenContent { get; init; }

    public int DeviceMajor { get; init; }

    public int DeviceMinor { get; init; }

    /// <summary>Extended attributes (name to raw value), written as SCHILY.xattr PAX records.</summary>
    public IReadOnlyDictionary<string, byte[]>? ExtendedAttributes { get; init; }

    /// <summary>A regular file with in-memory content (small files, tests, generated config files).</summary>
    public static LayerEntry File(string path, ReadOnlyMemory<byte> content, int mode = 0b110_100_100) =>
        new()
        {
            Path = path,
            Type = LayerEntryType.RegularFile,
            Mode = mode,
            Size = content.Length,
            OpenContent = _ => ValueTask.FromResult<Stream>(
                MemoryMarshal.TryGetArray(content, out var array)
                    ? new MemoryStream(array.Array!, array.Offset, array.Count, writable: false)
                    : new MemoryStream(content.ToArray(), writable: false)),
        };

    public static LayerEntry Directory(string path, int mode = 0b111_101_101) =>
        new() { Path = path, Type = LayerEntryType.Directory, Mode = mode };

    public static LayerEntry Symlink(string path, string target) =>
        new() { Path = path, Type = LayerEntryType.SymbolicLink, Mode = 0b111_111_111, LinkTarget = target };

    public static LayerEntry HardLink(string path, string target, int mode = 0b110_100_100) =>
        new() { Path = path, Type = LayerEntryType.HardLink, Mode = mode, LinkTarget = target };
}
