using System.Runtime.InteropServices;
using Dockerbuild.Oci.Unix;

namespace Dockerbuild.Engine.Runtime;

/// <summary>
/// libc calls the runtime layer needs and .NET lacks: mounts and the effective ids. File calls (lstat,
/// xattrs, ownership and times of links themselves, device nodes) live in <see cref="UnixFiles"/>,
/// shared with the layer code.
/// </summary>
internal static class Native
{
    private const string Libc = "libc";
    private const int MntDetach = 2;

    public const int ENOENT = 2;

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
