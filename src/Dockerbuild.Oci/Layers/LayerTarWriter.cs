using System.Buffers;

namespace Dockerbuild.Oci.Layers;

/// <summary>
/// Writes a deterministic layer tar: entries sorted as a sorted directory walk (parents first,
/// byte-wise order), ustar headers with PAX records only where a field does not fit, ownership
/// exactly as given, mtimes truncated to seconds and clamped to SOURCE_DATE_EPOCH when given (as
/// BuildKit's rewrite-timestamp does), and no atime or ctime. The same entries in any order give the
/// same bytes.
/// </summary>
public static class LayerTarWriter
{
    private const int CopyBufferSize = 128 * 1024;

    /// <param name="entryStarting">Called with each entry's name before its header is written (where a compressor may cut).</param>
    public static async Task WriteAsync(
        IEnumerable<LayerEntry> entries,
        Stream destination,
        DateTimeOffset? sourceDateEpoch,
        CancellationToken cancellationToken,
        Func<string, CancellationToken, ValueTask>? entryStarting = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(destination);

        var sorted = Sort(entries);
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            foreach (var (entry, name) in sorted)
            {
                var mtime = entry.ModificationTime;
                if (sourceDateEpoch is { } epoch && mtime > epoch)
                {
                    mtime = epoch;
                }

                if (entryStarting is not null)
                {
                    await entryStarting(name, cancellationToken).ConfigureAwait(false);
                }

                var header = TarHeaderEncoder.Encode(entry, name, mtime.ToUnixTimeSeconds());
                await destination.WriteAsync(header, cancellationToken).ConfigureAwait(false);
                if (entry.Type == LayerEntryType.RegularFile && entry.Size > 0)
                {
                    await CopyContentAsync(entry, destination, buffer, cancellationToken).ConfigureAwait(false);
                    var padding = TarHeaderEncoder.Padding(entry.Size);
                    Array.Clear(buffer, 0, padding);
                    await destination.WriteAsync(buffer.AsMemory(0, padding), cancellationToken).ConfigureAwait(false);
                }
            }

            // The end-of-archive marker: two zero blocks, as Go's tar.Writer.Close writes.
            Array.Clear(buffer, 0, 2 * TarHeaderEncoder.BlockSize);
            await destination.WriteAsync(buffer.AsMemory(0, 2 * TarHeaderEncoder.BlockSize), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Normalized names (directories with a trailing '/') in walk order. A hardlink group is written
    /// as containerd writes it: the member that sorts first carries the content, the others link to
    /// it, whichever member the caller gave the content to. Duplicates and dangling links are caller bugs.
    /// </summary>
    private static List<(LayerEntry Entry, string Name)> Sort(IEnumerable<LayerEntry> entries)
    {
        var byPath = new Dictionary<string, (LayerEntry Entry, byte[] Key)>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var path = LayerPath.Normalize(entry.Path);
            if (path.Length == 0)
            {
                // The layer root itself is never an entry, as in BuildKit's and containerd's diffs.
                continue;
            }

            if (!byPath.TryAdd(path, (entry, LayerPath.SortKey(path))))
            {
                throw new ArgumentException($"Layer entry '{path}' is given twice.", nameof(entries));
            }

            Validate(entry, path);
        }

        var firstOfGroup = FirstMemberOfHardlinkGroups(byPath);
        var sorted = byPath.ToList();
        sorted.Sort((a, b) => a.Value.Key.AsSpan().SequenceCompareTo(b.Value.Key));
        var result = new List<(LayerEntry, string)>(sorted.Count);
        foreach (var (path, (entry, _)) in sorted)
        {
            var written = entry;
            if (entry.Type == LayerEntryType.HardLink || firstOfGroup.ContainsKey(path))
            {
                var content = entry.Type == LayerEntryType.HardLink ? byPath[LayerPath.Normalize(entry.LinkTarget!)].Entry : entry;
                var first = firstOfGroup.GetValueOrDefault(content == entry ? path : LayerPath.Normalize(entry.LinkTarget!), path);
                written = first == path
                    ? content with { Path = path }
                    : content with { Path = path, Type = LayerEntryType.HardLink, LinkTarget = first, Size = 0, OpenContent = null };
            }

            result.Add((written, written.Type == LayerEntryType.Directory ? path + "/" : path));
        }

        return result;
    }

    private static void Validate(LayerEntry entry, string path)
    {
        switch (entry.Type)
        {
            case LayerEntryType.RegularFile when entry.Size > 0 && entry.OpenContent is null:
                throw new ArgumentException($"Layer entry '{path}' has a size but no content.", nameof(entry));
            case LayerEntryType.SymbolicLink or LayerEntryType.HardLink when string.IsNullOrEmpty(entry.LinkTarget):
                throw new ArgumentException($"Link '{path}' has no target.", nameof(entry));
        }
    }

    /// <summary>For each file that hardlinks point to: the group member (file or link) that sorts first.</summary>
    private static Dictionary<string, string> FirstMemberOfHardlinkGroups(Dictionary<string, (LayerEntry Entry, byte[] Key)> byPath)
    {
        var first = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, (entry, key)) in byPath)
        {
            if (entry.Type != LayerEntryType.HardLink)
            {
                continue;
            }

            var target = LayerPath.Normalize(entry.LinkTarget!);
            if (!byPath.TryGetValue(target, out var content) || content.Entry.Type != LayerEntryType.RegularFile)
            {
                throw new ArgumentException($"Hardlink '{path}' must point to a regular file entry of the layer, not '{entry.LinkTarget}'.", nameof(byPath));
            }

            var current = first.GetValueOrDefault(target, target);
            if (key.AsSpan().SequenceCompareTo(byPath[current].Key) < 0)
            {
                current = path;
            }

            first[target] = current;
        }

        return first;
    }

    private static async Task CopyContentAsync(LayerEntry entry, Stream destination, byte[] buffer, CancellationToken cancellationToken)
    {
        var content = await entry.OpenContent!(cancellationToken).ConfigureAwait(false);
        await using (content.ConfigureAwait(false))
        {
            var remaining = entry.Size;
            while (remaining > 0)
            {
                var read = await LocalFileRead.ReadAsync(content, buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new LayerContentChangedException(entry.Path, entry.Size, entry.Size - remaining);
                }

                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                remaining -= read;
            }

            if (await LocalFileRead.ReadAsync(content, buffer.AsMemory(0, 1), cancellationToken).ConfigureAwait(false) != 0)
            {
                throw new LayerContentChangedException(entry.Path, entry.Size, -1);
            }
        }
    }
}
