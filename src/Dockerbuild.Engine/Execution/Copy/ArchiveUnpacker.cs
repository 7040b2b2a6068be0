using System.Buffers;
using System.Formats.Tar;
using System.Security.Cryptography;
using Dockerbuild.Engine.Context;
using Dockerbuild.Oci.Layers;

namespace Dockerbuild.Engine.Execution.Copy;

/// <summary>
/// ADD's archive handling: a file is unpacked when, once decompressed, it starts with a valid tar
/// header (BuildKit's isArchivePath reads one header the same way). Members are spooled into a
/// scratch directory so the layer can stream them later; names are cleaned so none climbs out of the
/// destination, and owners and modes come from the headers.
/// </summary>
internal static class ArchiveUnpacker
{
    private const int BlockSize = 512;

    public static async Task<bool> IsArchiveAsync(Func<CancellationToken, ValueTask<Stream>> open, CancellationToken cancellationToken)
    {
        var file = await open(cancellationToken).ConfigureAwait(false);
        await using (file.ConfigureAwait(false))
        {
            try
            {
                var tar = await ArchiveDecompression.OpenAsync(file, cancellationToken).ConfigureAwait(false);
                await using (tar.ConfigureAwait(false))
                {
                    var header = new byte[BlockSize];
                    var read = await tar.ReadAtLeastAsync(header, BlockSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                    return read == BlockSize && HasValidChecksum(header);
                }
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                return false; // bad compressed data: not an archive, copied as a file
            }
        }
    }

    /// <summary>The archive's members with paths relative to the unpack directory, and each file's content digest.</summary>
    public static async Task<IReadOnlyList<(LayerEntry Entry, string? ContentDigest)>> UnpackAsync(
        Func<CancellationToken, ValueTask<Stream>> open, string scratchDirectory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(scratchDirectory);
        var members = new List<(LayerEntry, string?)>();
        var file = await open(cancellationToken).ConfigureAwait(false);
        await using (file.ConfigureAwait(false))
        {
            var tar = await ArchiveDecompression.OpenAsync(file, cancellationToken).ConfigureAwait(false);
            await using (tar.ConfigureAwait(false))
            {
                var reader = new TarReader(new TarEndMarkerStream(tar), leaveOpen: true);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
                    {
                        if (await ToLayerEntryAsync(entry, scratchDirectory, members.Count, cancellationToken).ConfigureAwait(false) is { } member)
                        {
                            members.Add(member);
                        }
                    }
                }
            }
        }

        return members;
    }

    private static async Task<(LayerEntry, string?)?> ToLayerEntryAsync(TarEntry entry, string scratchDirectory, int index, CancellationToken cancellationToken)
    {
        var path = SourcePaths.Normalize(entry.Name);
        if (path.Length == 0 || entry.EntryType is TarEntryType.GlobalExtendedAttributes)
        {
            return null;
        }

        var common = new LayerEntry
        {
            Path = path,
            Type = LayerEntryType.Directory,
            Mode = (int)entry.Mode,
            Uid = entry.Uid,
            Gid = entry.Gid,
            ModificationTime = entry.ModificationTime,
        };
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                return (common, null);
            case TarEntryType.SymbolicLink:
                // BuildKit unpacks onto a file system, where a symlink's mode is always 0777, and the
                // layer is that file system's diff: the archive's mode bits for a link are lost.
                return (common with { Type = LayerEntryType.SymbolicLink, LinkTarget = entry.LinkName, Mode = 0b111_111_111 }, null);
            case TarEntryType.HardLink:
                return (common with { Type = LayerEntryType.HardLink, LinkTarget = SourcePaths.Normalize(entry.LinkName) }, null);
            case TarEntryType.Fifo:
                return (common with { Type = LayerEntryType.Fifo }, null);
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                var spooled = Path.Combine(scratchDirectory, index.ToString(System.Globalization.CultureInfo.InvariantCulture));
                var (size, digest) = await SpoolAsync(entry.DataStream, spooled, cancellationToken).ConfigureAwait(false);
                return (common with
                {
                    Type = LayerEntryType.RegularFile,
                    Size = size,
                    OpenContent = _ => ValueTask.FromResult<Stream>(File.OpenRead(spooled)),
                }, digest);
            default:
                return null; // devices and the like: BuildKit would need privileges to make them, we do not copy them
        }
    }

    private static async Task<(long Size, string Digest)> SpoolAsync(Stream? content, string path, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous);
        await using (output.ConfigureAwait(false))
        {
            if (content is not null)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(128 * 1024);
                try
                {
                    int n;
                    while ((n = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                    {
                        hash.AppendData(buffer, 0, n);
                        await output.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                        size += n;
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }

        return (size, "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    /// <summary>A tar header's checksum: the byte sum of the header with the checksum field read as spaces.</summary>
    private static bool HasValidChecksum(byte[] header)
    {
        var field = System.Text.Encoding.ASCII.GetString(header, 148, 8).Trim(' ', '\0');
        if (field.Length == 0 || !field.All(c => c is >= '0' and <= '7'))
        {
            return false;
        }

        var expected = Convert.ToInt64(field, 8);
        long unsigned = 0;
        long signed = 0;
        for (var i = 0; i < BlockSize; i++)
        {
            var b = i is >= 148 and < 156 ? (byte)' ' : header[i];
            unsigned += b;
            signed += (sbyte)b;
        }

        return expected == unsigned || expected == signed;
    }
}
