using Dockerbuild.Oci.Unix;

namespace Dockerbuild.Engine.Runtime;

/// <summary>
/// Whether an entry of a changed tree is the same as its base entry, by continuity's rules (which
/// BuildKit's overlay differ ports): type, mode, owner, device numbers and file capabilities must match;
/// directories need nothing more (their mtime changes whenever an entry is added or removed);
/// other entries also need equal size and mtime. Content is read only when both mtimes have no
/// nanoseconds, i.e. may have been truncated by a tar round trip.
/// </summary>
internal static class FileComparer
{
    private const string CapabilityAttribute = "security.capability";
    private const int BufferSize = 64 * 1024;

    public static async ValueTask<bool> SameAsync(string basePath, UnixFileStatus baseStat, string otherPath, UnixFileStatus other, CancellationToken cancellationToken)
    {
        if (baseStat.Device == other.Device && baseStat.Inode == other.Inode)
        {
            return true;
        }

        if (baseStat.Mode != other.Mode || baseStat.Uid != other.Uid || baseStat.Gid != other.Gid
            || baseStat.RdevMajor != other.RdevMajor || baseStat.RdevMinor != other.RdevMinor)
        {
            return false;
        }

        if (!UnixFiles.TryLGetXattr(basePath, CapabilityAttribute).AsSpan().SequenceEqual(UnixFiles.TryLGetXattr(otherPath, CapabilityAttribute)))
        {
            return false;
        }

        if (baseStat.IsDirectory)
        {
            return true;
        }

        if (baseStat.Size != other.Size || baseStat.MtimeSeconds != other.MtimeSeconds)
        {
            return false;
        }

        if (baseStat.MtimeNanoseconds != 0 || other.MtimeNanoseconds != 0)
        {
            return baseStat.MtimeNanoseconds == other.MtimeNanoseconds;
        }

        return baseStat.Type switch
        {
            UnixFileStatus.Symlink => new FileInfo(basePath).LinkTarget == new FileInfo(otherPath).LinkTarget,
            UnixFileStatus.Regular => baseStat.Size == 0 || await SameContentAsync(basePath, otherPath, cancellationToken).ConfigureAwait(false),
            _ => true,
        };
    }

    private static async ValueTask<bool> SameContentAsync(string first, string second, CancellationToken cancellationToken)
    {
        await using var a = OpenRead(first);
        await using var b = OpenRead(second);
        var bufferA = new byte[BufferSize];
        var bufferB = new byte[BufferSize];
        while (true)
        {
            var readA = await a.ReadAtLeastAsync(bufferA, BufferSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            var readB = await b.ReadAtLeastAsync(bufferB, BufferSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (readA != readB || !bufferA.AsSpan(0, readA).SequenceEqual(bufferB.AsSpan(0, readB)))
            {
                return false;
            }

            if (readA < BufferSize)
            {
                return true;
            }
        }
    }

    internal static FileStream OpenRead(string path) =>
        new(path, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.Read,
            BufferSize = 0,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
        });
}
