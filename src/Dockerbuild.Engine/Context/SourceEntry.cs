using Dockerbuild.Oci.Layers;

namespace Dockerbuild.Engine.Context;

/// <summary>
/// One object of a source tree as lstat sees it. <see cref="Path"/> is relative to the tree's root,
/// '/'-separated, without a leading '/' ("" is the root). <see cref="HostPath"/>, <see cref="Device"/>
/// and <see cref="Inode"/> identify a real file on this machine, which is what the hash cache keys on;
/// they are null/0 for objects that exist only in memory.
/// </summary>
public sealed record SourceEntry(
    string Path,
    LayerEntryType Type,
    int Mode,
    int Uid,
    int Gid,
    long Size,
    long ModificationTimeNanoseconds,
    string? LinkTarget)
{
    public string? HostPath { get; init; }

    public ulong Device { get; init; }

    public ulong Inode { get; init; }

    public uint LinkCount { get; init; } = 1;

    public string Name => Path.Length == 0 ? "" : Path[(Path.LastIndexOf('/') + 1)..];

    public DateTimeOffset ModificationTime =>
        DateTimeOffset.UnixEpoch.AddTicks(ModificationTimeNanoseconds / 100);
}
