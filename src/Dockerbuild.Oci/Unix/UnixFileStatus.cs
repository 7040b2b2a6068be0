using Dockerbuild.Oci.Layers;

namespace Dockerbuild.Oci.Unix;

/// <summary>What lstat says about one filesystem object, with nanosecond times.</summary>
public readonly record struct UnixFileStatus(
    uint Mode,
    int Uid,
    int Gid,
    uint LinkCount,
    ulong Device,
    ulong Inode,
    long Size,
    long MtimeSeconds,
    uint MtimeNanoseconds,
    long AtimeSeconds,
    uint AtimeNanoseconds,
    int RdevMajor,
    int RdevMinor)
{
    public const uint TypeMask = 0xF000;
    public const uint Socket = 0xC000;
    public const uint Symlink = 0xA000;
    public const uint Regular = 0x8000;
    public const uint Block = 0x6000;
    public const uint Directory = 0x4000;
    public const uint CharDevice = 0x2000;
    public const uint Fifo = 0x1000;

    public uint Type => Mode & TypeMask;

    public bool IsDirectory => Type == Directory;

    public int Permissions => (int)(Mode & 0xFFF);

    /// <summary>overlayfs marks a deleted lower entry with a 0/0 character device in the upperdir.</summary>
    public bool IsOverlayWhiteout => Type == CharDevice && RdevMajor == 0 && RdevMinor == 0;

    public DateTimeOffset ModificationTime =>
        DateTimeOffset.FromUnixTimeSeconds(MtimeSeconds).AddTicks(MtimeNanoseconds / 100);

    /// <summary>The entry type a layer records this object as, or null for a socket, which tar cannot carry.</summary>
    public LayerEntryType? ToLayerEntryType() => Type switch
    {
        Regular => LayerEntryType.RegularFile,
        Directory => LayerEntryType.Directory,
        Symlink => LayerEntryType.SymbolicLink,
        CharDevice => LayerEntryType.CharacterDevice,
        Block => LayerEntryType.BlockDevice,
        Fifo => LayerEntryType.Fifo,
        _ => null,
    };
}
