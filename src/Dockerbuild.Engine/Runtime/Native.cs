using System.Runtime.InteropServices;
using Dockerbuild.Oci.Unix;

namespace Dockerbuild.Engine.Runtime;

/// <summary>
/// libc calls the runtime layer needs and .NET lacks: mounts and the effective ids here; the file calls
/// (lstat with owner, device and inode identity, xattrs, ownership and timestamps of symlinks themselves,
/// device nodes) are the ones the layer code uses too, so they forward to <see cref="UnixFiles"/>.
/// </summary>
internal static class Native
{
    private const string Libc = "libc";
    private const int MntDetach = 2;

    public const int ENOENT = 2;

    /// <summary>lstat, or null when the path (or a parent) does not exist.</summary>
    public static UnixFileStatus? TryLStat(string path) => UnixFiles.TryLStat(path);

    public static UnixFileStatus LStat(string path) => UnixFiles.LStat(path);

    public static byte[]? TryGetXattr(string path, string name) => UnixFiles.TryLGetXattr(path, name);

    public static void SetXattr(string path, string name, byte[] value) => UnixFiles.LSetXattr(path, name, value);

    public static void LChown(string path, int uid, int gid) => UnixFiles.LChown(path, uid, gid);

    public static void Chmod(string path, int permissions) => UnixFiles.Chmod(path, permissions);

    /// <summary>Sets atime and mtime of the object itself (symlinks included) with nanoseconds.</summary>
    public static void LSetTimes(string path, long atimeSeconds, uint atimeNanoseconds, long mtimeSeconds, uint mtimeNanoseconds) =>
        UnixFiles.LSetTimes(path, atimeSeconds, atimeNanoseconds, mtimeSeconds, mtimeNanoseconds);

    public static void MkNod(string path, uint mode, int major, int minor) => UnixFiles.MkNod(path, mode, major, minor);

    public static void Link(string existing, string newPath) => UnixFiles.Link(existing, newPath);

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
