namespace Dockerbuild.Oci.Layers;

/// <summary>What lstat says about one filesystem object.</summary>
internal readonly record struct UnixStat(
    uint Mode,
    int Uid,
    int Gid,
    uint LinkCount,
    ulong Inode,
    long Size,
    long MtimeSeconds,
    uint MtimeNanoseconds,
    int RdevMajor,
    int RdevMinor,
    uint DevMajor,
    uint DevMinor)
{
    public const uint TypeMask = 0xF000;
    public const uint Socket = 0xC000;
    public const uint Symlink = 0xA000;
    public const uint Regular = 0x8000;
    public const uint Block = 0x6000;
    public const uint Directory = 0x4000;
    public const uint Char = 0x2000;
    public const uint Fifo = 0x1000;

    public uint Type => Mode & TypeMask;

    public int Permissions => (int)(Mode & 0xFFF);

    public DateTimeOffset ModificationTime =>
        DateTimeOffset.FromUnixTimeSeconds(MtimeSeconds).AddTicks(MtimeNanoseconds / 100);
}
