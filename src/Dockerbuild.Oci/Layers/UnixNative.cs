using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Dockerbuild.Oci.Layers;

/// <summary>
/// The few libc calls .NET has no API for: ownership, device numbers and inode identity (statx, whose
/// struct layout, unlike stat's, is the same on every architecture), lchown, mknod, link, xattrs and
/// utimensat on a symlink itself.
/// </summary>
internal static partial class UnixNative
{
    private const string Libc = "libc";
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7FF;
    private const int ENODATA = 61;
    private const int ERANGE = 34;
    private const int EOPNOTSUPP = 95;

    public static UnixStat LStat(string path)
    {
        var buffer = new byte[256];
        if (statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, buffer) != 0)
        {
            throw Failure("stat", path);
        }

        return Parse(buffer);
    }

    /// <summary>lstat, or null when nothing is there.</summary>
    public static UnixStat? TryLStat(string path)
    {
        var buffer = new byte[256];
        if (statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno is 2 or 20 ? null : throw Failure("stat", path, errno); // ENOENT, ENOTDIR
        }

        return Parse(buffer);
    }

    private static UnixStat Parse(byte[] buffer)
    {
        var span = buffer.AsSpan();
        return new UnixStat(
            Mode: BinaryPrimitives.ReadUInt16LittleEndian(span[28..]),
            Uid: (int)BinaryPrimitives.ReadUInt32LittleEndian(span[20..]),
            Gid: (int)BinaryPrimitives.ReadUInt32LittleEndian(span[24..]),
            LinkCount: BinaryPrimitives.ReadUInt32LittleEndian(span[16..]),
            Inode: BinaryPrimitives.ReadUInt64LittleEndian(span[32..]),
            Size: (long)BinaryPrimitives.ReadUInt64LittleEndian(span[40..]),
            MtimeSeconds: BinaryPrimitives.ReadInt64LittleEndian(span[112..]),
            MtimeNanoseconds: BinaryPrimitives.ReadUInt32LittleEndian(span[120..]),
            RdevMajor: (int)BinaryPrimitives.ReadUInt32LittleEndian(span[128..]),
            RdevMinor: (int)BinaryPrimitives.ReadUInt32LittleEndian(span[132..]),
            DevMajor: BinaryPrimitives.ReadUInt32LittleEndian(span[136..]),
            DevMinor: BinaryPrimitives.ReadUInt32LittleEndian(span[140..]));
    }

    public static void LChown(string path, int uid, int gid)
    {
        if (lchown(path, (uint)uid, (uint)gid) != 0)
        {
            throw Failure("lchown", path);
        }
    }

    public static void MkNod(string path, uint typeBits, int permissions, int major, int minor)
    {
        // glibc's makedev: major's low 12 bits at 8, minor's low 8 bits at 0, the rest above bit 32.
        var dev = ((ulong)(uint)major & 0xFFFFF000) << 32 | ((ulong)(uint)major & 0xFFF) << 8
            | ((ulong)(uint)minor & 0xFFFFFF00) << 12 | ((ulong)(uint)minor & 0xFF);
        if (mknod(path, typeBits | (uint)(permissions & 0xFFF), dev) != 0)
        {
            throw Failure("mknod", path);
        }
    }

    public static void Link(string existing, string newPath)
    {
        if (link(existing, newPath) != 0)
        {
            throw Failure("link", newPath);
        }
    }

    public static void LSetXattr(string path, string name, byte[] value)
    {
        if (lsetxattr(path, name, value, (nuint)value.Length, 0) != 0)
        {
            throw Failure("setxattr " + name, path);
        }
    }

    public static byte[]? TryLGetXattr(string path, string name)
    {
        var size = lgetxattr(path, name, null, 0);
        if (size < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno is ENODATA or ERANGE or EOPNOTSUPP ? null : throw Failure("getxattr " + name, path, errno);
        }

        var value = new byte[size];
        size = lgetxattr(path, name, value, (nuint)value.Length);
        return size < 0 ? null : value[..(int)size];
    }

    /// <summary>Sets atime and mtime of the object itself, symlinks included.</summary>
    public static void LSetModificationTime(string path, DateTimeOffset mtime)
    {
        var ticks = mtime.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var rest);
        if (rest < 0)
        {
            seconds--;
            rest += TimeSpan.TicksPerSecond;
        }

        long[] times = [seconds, rest * 100, seconds, rest * 100];
        if (utimensat(AtFdCwd, path, times, AtSymlinkNoFollow) != 0)
        {
            throw Failure("utimensat", path);
        }
    }

    private static IOException Failure(string operation, string path, int? errno = null)
    {
        var code = errno ?? Marshal.GetLastPInvokeError();
        return new IOException($"{operation} '{path}' failed: {Marshal.GetPInvokeErrorMessage(code)}", code);
    }

    [DllImport(Libc, SetLastError = true)]
    private static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);

    [DllImport(Libc, SetLastError = true)]
    private static extern int lchown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint uid, uint gid);

    [DllImport(Libc, SetLastError = true)]
    private static extern int mknod([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode, ulong dev);

    [DllImport(Libc, SetLastError = true)]
    private static extern int link([MarshalAs(UnmanagedType.LPUTF8Str)] string existing, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath);

    [DllImport(Libc, SetLastError = true)]
    private static extern int lsetxattr([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, byte[] value, nuint size, int flags);

    [DllImport(Libc, SetLastError = true)]
    private static extern nint lgetxattr([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, [Out] byte[]? value, nuint size);

    [DllImport(Libc, SetLastError = true)]
    private static extern int utimensat(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, long[] times, int flags);
}
