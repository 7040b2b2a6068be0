using Dockerbuild.Oci.Unix;
using System.Runtime.InteropServices;
using System.Text;
using Dockerbuild.Engine.Runtime;

namespace Dockerbuild.Engine.Context;

/// <summary>
/// The extended attributes of a host file, as fsutil's copier carries them along (file
/// capabilities such as security.capability on a binary copied from a stage). overlayfs's own
/// bookkeeping (trusted.overlay.*, user.overlay.*) belongs to the snapshot, not to the file.
/// </summary>
internal static class HostXattrs
{
    public static IReadOnlyDictionary<string, byte[]>? Read(string hostPath)
    {
        var size = llistxattr(hostPath, null, 0);
        if (size <= 0)
        {
            return null; // none, or a filesystem without xattrs
        }

        var buffer = new byte[size];
        size = llistxattr(hostPath, buffer, (nuint)buffer.Length);
        if (size <= 0)
        {
            return null;
        }

        Dictionary<string, byte[]>? attributes = null;
        foreach (var name in Encoding.UTF8.GetString(buffer, 0, (int)size).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            if (name.StartsWith("trusted.overlay.", StringComparison.Ordinal) || name.StartsWith("user.overlay.", StringComparison.Ordinal))
            {
                continue;
            }

            if (UnixFiles.TryLGetXattr(hostPath, name) is { } value)
            {
                (attributes ??= new(StringComparer.Ordinal))[name] = value;
            }
        }

        return attributes;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern nint llistxattr([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [Out] byte[]? list, nuint size);
}
