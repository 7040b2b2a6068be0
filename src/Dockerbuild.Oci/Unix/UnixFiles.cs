using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Dockerbuild.Oci.Unix;

/// <summary>
/// The libc file calls .NET has no API for: ownership, device numbers and inode identity (statx, whose
/// struct layout, unlike stat's, is the same on every architecture), lchown, chmod, mknod, link, xattrs
/// and utimensat on a symlink itself.
/// </summary>
public static class UnixFiles
{
    private const string Libc = "libc";
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7FF;
    private const int ENOENT = 2;
    private const int ENOTDIR = 20;
    private const int ENODATA = 61;
    private const int EOPNOTSUPP = 95;

    /// <summary>The kernel's struct statx; only the fields read here are named.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 256)]
    private struct StatxBuffer
    {
        public uint Mask;
        public uint BlockSize;
        public ulong Attributes;
        public uint LinkCount;
        public uint Uid;
        public uint Gid;
        public ushort Mode;
        private ushort pad1;
        public ulong Inode;
        public ulong Size;
        public ulong Blocks;
        public ulong AttributesMask;
        public StatxTime AccessTime;
        public StatxTime BirthTime;
        public StatxTime ChangeTime;
        public StatxTime ModificationTime;
        public uint RdevMajor;
        public uint RdevMinor;
        public uint DevMajor;
        public uint DevMinor;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct StatxTime
    {
        public long Seconds;
        public uint Nanoseconds;
        private int reserved;
    }

    /// <summary>lstat, or null when the path (or a parent) does not exist.</summary>
    public static UnixFileStatus? TryLStat(string path)
    {
        if (statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, out var buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno is ENOENT or ENOTDIR ? null : throw Failure("stat", path, errno);
        }

        return new UnixFileStatus(
            buffer.Mode,
            (int)buffer.Uid,
            (int)buffer.Gid,
            buffer.LinkCount,
            ((ulong)buffer.DevMajor << 32) | buffer.DevMinor,
            buffer.Inode,
            (long)buffer.Size,
            buffer.ModificationTime.Seconds,
            buffer.ModificationTime.Nanoseconds,
            buffer.AccessTime.Seconds,
            buffer.AccessTime.Nanoseconds,
            (int)buffer.RdevMajor,
            (int)buffer.RdevMinor);
    }

    public static UnixFileStatus LStat(string path) =>
        TryLStat(path) ?? throw new FileNotFoundException($"'{path}' does not exist.", path);

    /// <summary>The attribute's value, or null when the object has none or the filesystem has no xattrs.</summary>
    public static byte[]? TryLGetXattr(string path, string name)
    {
        Span<byte> probe = stackalloc byte[256];
        var size = lgetxattr(path, name, ref MemoryMarshal.GetReference(probe), (nuint)probe.Length);
        if (size >= 0)
        {
            return probe[..(int)size].ToArray();
        }

        var errno = Marshal.GetLastPInvokeError();
        if (errno is ENODATA or EOPNOTSUPP or ENOENT)
        {
            return null;
        }

        // ERANGE: larger than the probe; ask for the size, then read.
        size = lgetxattr(path, name, ref Unsafe.NullRef<byte>(), 0);
        if (size < 0)
        {
            throw Failure("getxattr " + name, path, Marshal.GetLastPInvokeError());
        }

        var value = new byte[size];
        size = lgetxattr(path, name, ref MemoryMarshal.GetArrayDataReference(value), (nuint)value.Length);
        return size < 0 ? throw Failure("getxattr " + name, path, Marshal.GetLastPInvokeError()) : value[..(int)size];
    }

    public static void LSetXattr(string path, string name, byte[] value) =>
        Check(lsetxattr(path, name, value, (nuint)value.Length, 0), "setxattr " + name, path);

    public static void LChown(string path, int uid, int gid) =>
        Check(lchown(path, (uint)uid, (uint)gid), "lchown", path);

    public static void Chmod(string path, int permissions) =>
        Check(chmod(path, (uint)(permissions & 0xFFF)), "chmod", path);

    /// <summary>Sets atime and mtime of the object itself (symlinks included) with nanoseconds.</summary>
    public static void LSetTimes(string path, long atimeSeconds, uint atimeNanoseconds, long mtimeSeconds, uint mtimeNanoseconds)
    {
        long[] times = [atimeSeconds, atimeNanoseconds, mtimeSeconds, mtimeNanoseconds];
        Check(utimensat(AtFdCwd, path, times, AtSymlinkNoFollow), "utimensat", path);
    }

    /// <summary>Sets atime and mtime of the object itself, symlinks included, both to <paramref name="mtime"/>.</summary>
    public static void LSetModificationTime(string path, DateTimeOffset mtime)
    {
        var ticks = mtime.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var rest);
        if (rest < 0)
        {
            seconds--;
            rest += TimeSpan.TicksPerSecond;
        }

        var nanoseconds = (uint)(rest * 100);
        LSetTimes(path, seconds, nanoseconds, seconds, nanoseconds);
    }

    /// <summary>Creates a device node or fifo; <paramref name="mode"/> holds the type bits and the permissions.</summary>
    public static void MkNod(string path, uint mode, int major, int minor)
    {
        // glibc's makedev: major's low 12 bits at 8, minor's low 8 bits at 0, the rest above bit 32.
        var dev = ((ulong)(uint)major & 0xFFFFF000) << 32 | ((ulong)(uint)major & 0xFFF) << 8
            | ((ulong)(uint)minor & 0xFFFFFF00) << 12 | ((ulong)(uint)minor & 0xFF);
        Check(mknod(path, mode, dev), "mknod", path);
    }

    public static void Link(string existing, string newPath) => Check(link(existing, newPath), "link", newPath);

    private static void Check(int result, string operation, string path)
    {
        if (result != 0)
        {
            throw Failure(operation, path, Marshal.GetLastPInvokeError());
        }
    }

    private static IOException Failure(string operation, string path, int errno) =>
        new($"{operation} '{path}' failed: {Marshal.GetPInvokeErrorMessage(errno)}", errno);

    [DllImport(Libc, SetLastError = true)]
    private static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, out StatxBuffer buffer);

    [DllImport(Libc, SetLastError = true)]
    private static extern nint lgetxattr([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, ref byte value, nuint size);

    [DllImport(Libc, SetLastError = true)]
    private static extern int lsetxattr([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, byte[] value, nuint size, int flags);

    [DllImport(Libc, SetLastError = true)]
    private static extern int lchown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint uid, uint gid);

    [DllImport(Libc, SetLastError = true)]
    private static extern int chmod([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode);

    [DllImport(Libc, SetLastError = true)]
    private static extern int utimensat(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, long[] times, int flags);

    [DllImport(Libc, SetLastError = true)]
    private static extern int mknod([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint mode, ulong dev);

    [DllImport(Libc, SetLastError = true)]
    private static extern int link([MarshalAs(UnmanagedType.LPUTF8Str)] string existing, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath);
}
