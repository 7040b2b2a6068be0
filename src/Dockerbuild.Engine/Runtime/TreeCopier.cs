using Dockerbuild.Oci.Unix;

namespace Dockerbuild.Engine.Runtime;

/// <summary>
/// Copies a tree with everything the differ compares kept: type, mode, owner, nanosecond mtimes,
/// device numbers, file capabilities and hardlinks. Copying layer directories bottom to top onto one
/// destination merges them: an overlay whiteout (0/0 device) removes the name below, and an opaque
/// directory first empties what the lower layers put there.
/// </summary>
internal sealed class TreeCopier
{
    private const string CapabilityAttribute = "security.capability";

    private readonly Dictionary<(ulong Device, ulong Inode), string> copiedInodes = [];

    public async Task CopyAsync(string source, string destination, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(destination);
        await CopyChildrenAsync(source, destination, cancellationToken).ConfigureAwait(false);
        CopyMetadata(source, destination, UnixFiles.LStat(source));
    }

    private async Task CopyChildrenAsync(string sourceDirectory, string destinationDirectory, CancellationToken cancellationToken)
    {
        foreach (var name in TreeDiff.ChildNames(sourceDirectory))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var source = Path.Combine(sourceDirectory, name);
            var destination = Path.Combine(destinationDirectory, name);
            var stat = UnixFiles.LStat(source);
            var existing = UnixFiles.TryLStat(destination);
            if (stat.IsOverlayWhiteout)
            {
                Remove(destination, existing);
                continue;
            }

            if (stat.IsDirectory)
            {
                if (existing is { IsDirectory: false } || (existing is not null && OverlayMarkers.IsOpaque(source)))
                {
                    Remove(destination, existing);
                    existing = null;
                }

                if (existing is null)
                {
                    Directory.CreateDirectory(destination);
                }

                await CopyChildrenAsync(source, destination, cancellationToken).ConfigureAwait(false);
                CopyMetadata(source, destination, stat);
                continue;
            }

            Remove(destination, existing);
            if (stat.LinkCount > 1 && copiedInodes.TryGetValue((stat.Device, stat.Inode), out var first))
            {
                UnixFiles.Link(first, destination);
                continue;
            }

            switch (stat.Type)
            {
                case UnixFileStatus.Regular:
                    await CopyContentAsync(source, destination, cancellationToken).ConfigureAwait(false);
                    break;
                case UnixFileStatus.Symlink:
                    File.CreateSymbolicLink(destination, new FileInfo(source).LinkTarget!);
                    break;
                case UnixFileStatus.CharDevice or UnixFileStatus.Block or UnixFileStatus.Fifo:
                    UnixFiles.MkNod(destination, stat.Mode, stat.RdevMajor, stat.RdevMinor);
                    break;
                default:
                    continue; // sockets are not part of a filesystem snapshot
            }

            CopyMetadata(source, destination, stat);
            if (stat.LinkCount > 1)
            {
                copiedInodes[(stat.Device, stat.Inode)] = destination;
            }
        }
    }

    private static void CopyMetadata(string source, string destination, UnixFileStatus stat)
    {
        UnixFiles.LChown(destination, stat.Uid, stat.Gid);
        if (stat.Type != UnixFileStatus.Symlink)
        {
            // After chown, which clears setuid/setgid bits.
            UnixFiles.Chmod(destination, stat.Permissions);
            if (UnixFiles.TryLGetXattr(source, CapabilityAttribute) is { } capability)
            {
                UnixFiles.LSetXattr(destination, CapabilityAttribute, capability);
            }
        }

        UnixFiles.LSetTimes(destination, stat.AtimeSeconds, stat.AtimeNanoseconds, stat.MtimeSeconds, stat.MtimeNanoseconds);
    }

    private static async Task CopyContentAsync(string source, string destination, CancellationToken cancellationToken)
    {
        await using var input = FileComparer.OpenRead(source);
        await using var output = new FileStream(destination, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            BufferSize = 0,
            Options = FileOptions.Asynchronous,
            PreallocationSize = input.Length,
        });
        await input.CopyToAsync(output, 256 * 1024, cancellationToken).ConfigureAwait(false);
    }

    private static void Remove(string path, UnixFileStatus? existing)
    {
        if (existing is { IsDirectory: true })
        {
            Directory.Delete(path, recursive: true);
        }
        else if (existing is not null)
        {
            File.Delete(path);
        }
    }
}
