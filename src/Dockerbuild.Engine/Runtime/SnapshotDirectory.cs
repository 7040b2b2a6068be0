using Dockerbuild.Oci.Unix;

namespace Dockerbuild.Engine.Runtime;

/// <summary>The private directory of one snapshot under a work root, and its removal.</summary>
internal static class SnapshotDirectory
{
    private const int EINVAL = 22;

    /// <summary>A new directory with a short random name: the path is repeated in overlay mount options.</summary>
    public static string Create(string workRoot)
    {
        var name = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
        return Directory.CreateDirectory(Path.Combine(Path.GetFullPath(workRoot), name)).FullName;
    }

    /// <summary>Unmounts, detaching lazily when something still holds the mount; not mounted is fine.</summary>
    public static void Unmount(string path)
    {
        var errno = Native.Unmount(path, detach: false);
        if (errno is 0 or EINVAL or Native.ENOENT)
        {
            return;
        }

        errno = Native.Unmount(path, detach: true);
        if (errno is not (0 or EINVAL or Native.ENOENT))
        {
            throw new MountException($"Unmounting '{path}' failed: {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)}.", errno);
        }
    }

    /// <summary>
    /// Removes the directory, refusing when something below is still a mount point: a recursive
    /// delete would otherwise go through an overlay into the layer directories under it.
    /// </summary>
    public static void Delete(string directory)
    {
        if (UnixFiles.TryLStat(directory) is not { IsDirectory: true } root)
        {
            return;
        }

        foreach (var child in Directory.EnumerateDirectories(directory))
        {
            if (UnixFiles.TryLStat(child) is { IsDirectory: true } stat && stat.Device != root.Device)
            {
                throw new MountException($"'{child}' is still mounted; not removing '{directory}'.", 16);
            }
        }

        Directory.Delete(directory, recursive: true);
    }
}
