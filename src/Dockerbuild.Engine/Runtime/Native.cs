using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Dockerbuild.Engine.Runtime;

/// <summary>
/// libc calls the runtime layer needs and .NET lacks: mounts, lstat with owner, device and inode
/// identity, xattrs, ownership and timestamps of symlinks themselves, device nodes.
/// </summary>
internal static partial class Native
{
    private const string Libc = "libc";
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7FF;
    private const int MntDetach = 2;

    public const int ENOENT = 2;
    public const int ENOTDIR = 20;
    public const int ENODATA = 61;
    public const int EOPNOTSUPP = 95;

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
    public static FileStatus? TryLStat(string path)
    {
        if (statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, out var buffer) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno is ENOENT or ENOTDIR ? null : throw Failure("stat", path, errno);
        }

        return new FileStatus(
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

    public static FileStatus LStat(string path) =>
        TryLStat(path) ?? throw new FileNotFoundException($"'{path}' does not exist.", path);

    public static byte[]? TryGetXattr(string path, string name)
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

    public static void SetXattr(string path, string name, byte[] value)
    {
        if (lsetxattr(path, name, value, (nuint)value.Length, 0) != 0)
        {
            throw Failure("setxattr " + name, path, Marshal.GetLastPInvokeError());
        }
    }

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

    public static void MkNod(string path, uint mode, int major, int minor)
    {
        var dev = ((ulong)(uint)major & 0xFFFFF000) << 32 | ((ulong)(uint)major & 0xFFF) << 8
            | ((ulong)(uint)minor & 0xFFFFFF00) << 12 | ((ulong)(uint)minor & 0xFF);
        Check(mknod(path, mode, dev), "mknod", path);
    }

    public static void Link(string existing, string newPath) => Check(link(existing, newPath), "link", newPath);

    public static void Mount(string source, string target, string type, string options)
    {
        if (mount(source, target, type, 0, options) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new MountException($"Mounting {type} at '{target}' failed: {Marshal.GetPInvokeErrorMessage(errno)} (options: {options}).", errno);
        }
    }

    /// <summary>Unmounts; a lazy detach when <paramref name="detach"/> (the mount may still be busy).</summary>
    public static int Unmount(string target, bool detach) =>
        umount2(target, detach ? MntDetach : 0) == 0 ? 0 : Marshal.GetLastPInvokeError();

    public static uint EffectiveUserId() => geteuid();

    public static uint EffectiveGroupId() => getegid();

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

    [DllImport(Libc, SetLastError = true)]
    private static extern int mount(
        [MarshalAs(UnmanagedType.LPUTF8Str)] string source,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string target,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string type,
        ulong flags,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string data);

    [DllImport(Libc, SetLastError = true)]
    private static extern int umount2([MarshalAs(UnmanagedType.LPUTF8Str)] string target, int flags);

    [DllImport(Libc)]
    private static extern uint geteuid();

    [DllImport(Libc)]
    private static extern uint getegid();
}
