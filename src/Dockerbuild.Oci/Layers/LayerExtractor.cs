using System.Buffers;
using System.Formats.Tar;
using System.Runtime.Versioning;
using System.Text;
using Dockerbuild.Oci.Unix;

namespace Dockerbuild.Oci.Layers;

/// <summary>
/// Applies a layer (plain, gzip or zstd tar) onto a root directory, streaming, and never writing
/// outside that root: names climbing above it with ".." are refused, a leading '/' is dropped, every
/// parent is resolved within the root (see <see cref="RootedPath"/>), an existing final component is
/// replaced rather than followed, and hardlinks must point at something inside the root. Device
/// nodes are skipped with a warning and setuid/setgid dropped unless acting as root.
/// </summary>
[UnsupportedOSPlatform("windows")]
public static class LayerExtractor
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueWhiteout = ".wh..wh..opq";
    private const UnixFileMode SetIdBits = UnixFileMode.SetUser | UnixFileMode.SetGroup;
    private const int CopyBufferSize = 128 * 1024;

    public static async Task<LayerExtractResult> ExtractAsync(
        Stream layer,
        string targetRoot,
        LayerExtractOptions options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var root = Path.GetFullPath(targetRoot).TrimEnd('/');
        Directory.CreateDirectory(root);
        var session = new Session(root, options.AsRoot ?? Environment.IsPrivilegedProcess, options.Whiteouts);
        if (session.Whiteouts == WhiteoutHandling.Overlay && !session.AsRoot)
        {
            throw new InvalidOperationException("Overlay whiteouts are character devices and trusted.* xattrs, which need root; extract with WhiteoutHandling.Apply instead.");
        }

        var tar = new HashingReadStream(await LayerDecompression.OpenAsync(layer, cancellationToken).ConfigureAwait(false));
        await using (tar.ConfigureAwait(false))
        {
            var reader = new TarReader(new TarEndMarkerStream(tar), leaveOpen: true);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
                {
                    await session.ApplyAsync(entry, cancellationToken).ConfigureAwait(false);
                }
            }

            // The diffID covers the whole uncompressed stream, padding after the end marker included.
            await tar.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
            session.FinishDirectories();
            return new LayerExtractResult(session.EntryCount, session.Warnings, tar.GetDigest());
        }
    }

    private sealed class Session(string root, bool asRoot, WhiteoutHandling whiteouts)
    {
        private readonly HashSet<string> writtenByThisLayer = new(StringComparer.Ordinal);
        private readonly List<(string EntryName, UnixFileMode Mode, DateTimeOffset Mtime)> directories = [];

        public bool AsRoot => asRoot;

        public WhiteoutHandling Whiteouts => whiteouts;

        public List<string> Warnings { get; } = [];

        public int EntryCount { get; private set; }

        public async Task ApplyAsync(TarEntry entry, CancellationToken cancellationToken)
        {
            if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
            {
                return;
            }

            EntryCount++;
            var components = RootedPath.Clean(entry.Name, entry.Name);
            if (components.Count == 0)
            {
                // The root itself: its ownership and mode belong to whoever made the target directory.
                return;
            }

            var baseName = components[^1];
            components.RemoveAt(components.Count - 1);
            if (baseName.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
            {
                ApplyWhiteout(entry.Name, components, baseName);
                return;
            }

            if (entry.EntryType is TarEntryType.CharacterDevice or TarEntryType.BlockDevice && !asRoot)
            {
                Warnings.Add($"skipped device node '{entry.Name}': creating devices needs root");
                return;
            }

            var parent = EnsureDirectory(components, entry.Name);
            var path = parent + "/" + baseName;
            var isDirectory = entry.EntryType == TarEntryType.Directory;
            RemoveExisting(path, keepDirectory: isDirectory);
            writtenByThisLayer.Add(path);

            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    Directory.CreateDirectory(path);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    await WriteFileAsync(path, entry.DataStream, cancellationToken).ConfigureAwait(false);
                    break;
                case TarEntryType.SymbolicLink:
                    File.CreateSymbolicLink(path, entry.LinkName);
                    break;
                case TarEntryType.HardLink:
                    UnixFiles.Link(HardlinkTarget(entry), path);
                    return; // the link shares its target's inode, owner, mode and times
                case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                    var device = (PosixTarEntry)entry;
                    var type = entry.EntryType switch
                    {
                        TarEntryType.CharacterDevice => UnixFileStatus.CharDevice,
                        TarEntryType.BlockDevice => UnixFileStatus.Block,
                        _ => UnixFileStatus.Fifo,
                    };
                    UnixFiles.MkNod(path, type, device.DeviceMajor, device.DeviceMinor);
                    break;
                default:
                    throw new InvalidDataException($"Layer entry '{entry.Name}' is of tar type {entry.EntryType}, which a layer cannot hold.");
            }

            ApplyMetadata(entry, path, isDirectory);
        }

        /// <summary>
        /// Directory modes and times last, deepest first, so writing their children cannot change them.
        /// Each path is resolved again: a later entry may have replaced the directory or one of its
        /// parents with a symlink, and chmod follows symlinks.
        /// </summary>
        public void FinishDirectories()
        {
            for (var i = directories.Count - 1; i >= 0; i--)
            {
                var (entryName, mode, mtime) = directories[i];
                var path = RootedPath.Resolve(root, RootedPath.Clean(entryName, entryName), entryName);
                if (UnixFiles.TryLStat(path) is { Type: UnixFileStatus.Directory })
                {
                    File.SetUnixFileMode(path, mode);
                    UnixFiles.LSetModificationTime(path, mtime);
                }
            }
        }

        private void ApplyMetadata(TarEntry entry, string path, bool isDirectory)
        {
            if (asRoot)
            {
                UnixFiles.LChown(path, entry.Uid, entry.Gid);
            }

            if (entry is PaxTarEntry pax)
            {
                SetXattrs(pax, path);
            }

            var mode = asRoot ? entry.Mode : entry.Mode & ~SetIdBits;
            if (isDirectory)
            {
                directories.Add((entry.Name, mode, entry.ModificationTime));
                return;
            }

            if (entry.EntryType != TarEntryType.SymbolicLink)
            {
                // After lchown, which clears setuid/setgid.
                File.SetUnixFileMode(path, mode);
            }

            UnixFiles.LSetModificationTime(path, entry.ModificationTime);
        }

        private void SetXattrs(PaxTarEntry entry, string path)
        {
            const string prefix = "SCHILY.xattr.";
            foreach (var (key, value) in entry.ExtendedAttributes)
            {
                if (!key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    continue;
                }

                var name = key[prefix.Length..];
                if (!asRoot && !name.StartsWith("user.", StringComparison.Ordinal))
                {
                    Warnings.Add($"skipped xattr '{name}' of '{entry.Name}': setting it needs root");
                    continue;
                }

                try
                {
                    // System.Formats.Tar decodes PAX values as UTF-8, so a binary value that is not valid
                    // UTF-8 arrives altered; the kernel then rejects it and it becomes a warning.
                    UnixFiles.LSetXattr(path, name, Encoding.UTF8.GetBytes(value));
                }
                catch (IOException e)
                {
                    Warnings.Add($"could not set xattr '{name}' of '{entry.Name}': {e.Message}");
                }
            }
        }

        private async Task WriteFileAsync(string path, Stream? content, CancellationToken cancellationToken)
        {
            // Written synchronously: Linux has no asynchronous file writes, so an "asynchronous" one
            // is a blocking write on a pool thread, a hop per chunk that on a busy machine waits for a core.
            var file = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = 0,
            });
            await using (file.ConfigureAwait(false))
            {
                if (content is null)
                {
                    return;
                }

                var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
                try
                {
                    int read;
                    while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        file.Write(buffer, 0, read);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }

        private string HardlinkTarget(TarEntry entry)
        {
            var components = RootedPath.Clean(entry.LinkName, entry.Name);
            if (components.Count == 0)
            {
                throw new UnsafeLayerException(entry.Name, "is a hardlink to the layer root");
            }

            var baseName = components[^1];
            components.RemoveAt(components.Count - 1);
            var target = RootedPath.Resolve(root, components, entry.Name) + "/" + baseName;
            if (UnixFiles.TryLStat(target) is not { } stat || stat.Type == UnixFileStatus.Directory)
            {
                throw new UnsafeLayerException(entry.Name, $"is a hardlink to '{entry.LinkName}', which is not a file inside the layer root");
            }

            return target;
        }

        private void ApplyWhiteout(string entryName, List<string> parentComponents, string baseName)
        {
            var parent = EnsureDirectory(parentComponents, entryName);
            if (baseName == OpaqueWhiteout)
            {
                if (whiteouts == WhiteoutHandling.Overlay)
                {
                    UnixFiles.LSetXattr(parent, "trusted.overlay.opaque", "y"u8.ToArray());
                }
                else
                {
                    RemoveLowerContent(parent);
                }

                return;
            }

            var hidden = baseName[WhiteoutPrefix.Length..];
            if (hidden is "" or "." or ".." || hidden.Contains('/', StringComparison.Ordinal))
            {
                throw new UnsafeLayerException(entryName, "is a whiteout of no valid name");
            }

            if (hidden.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
            {
                // Other AUFS metadata (.wh..wh.plnk and the like) means nothing outside AUFS.
                return;
            }

            var path = parent + "/" + hidden;
            RemoveExisting(path, keepDirectory: false);
            if (whiteouts == WhiteoutHandling.Overlay)
            {
                UnixFiles.MkNod(path, UnixFileStatus.CharDevice, 0, 0);
                writtenByThisLayer.Add(path);
            }
        }

        /// <summary>Deletes what lower layers left under an opaque directory, keeping what this layer wrote.</summary>
        private void RemoveLowerContent(string directory)
        {
            foreach (var child in Directory.EnumerateFileSystemEntries(directory))
            {
                if (!writtenByThisLayer.Contains(child))
                {
                    RemoveExisting(child, keepDirectory: false);
                }
                else if (UnixFiles.LStat(child).Type == UnixFileStatus.Directory)
                {
                    RemoveLowerContent(child);
                }
            }
        }

        /// <summary>The host path of a parent directory, creating what is missing; never through a symlink out of the root.</summary>
        private string EnsureDirectory(List<string> components, string entryName)
        {
            var path = RootedPath.Resolve(root, components, entryName);
            if (UnixFiles.TryLStat(path) is { } stat)
            {
                if (stat.Type != UnixFileStatus.Directory)
                {
                    throw new InvalidDataException($"Layer entry '{entryName}' needs '{path[root.Length..]}' to be a directory, but an earlier entry made it something else.");
                }

                return path;
            }

            // The resolved path has no symlinks in its existing part, so creating the rest stays inside.
            var created = path;
            while (!Directory.Exists(created))
            {
                writtenByThisLayer.Add(created);
                created = Path.GetDirectoryName(created)!;
            }

            Directory.CreateDirectory(path);
            return path;
        }

        private static void RemoveExisting(string path, bool keepDirectory)
        {
            if (UnixFiles.TryLStat(path) is not { } stat)
            {
                return;
            }

            if (stat.Type == UnixFileStatus.Directory)
            {
                if (!keepDirectory)
                {
                    // Does not follow symlinks inside: they are unlinked, not descended into.
                    Directory.Delete(path, recursive: true);
                }

                return;
            }

            File.Delete(path);
        }
    }
}
