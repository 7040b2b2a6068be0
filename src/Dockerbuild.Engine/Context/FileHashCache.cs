using System.Globalization;
using System.Text;

namespace Dockerbuild.Engine.Context;

/// <summary>
/// Content digests of host files remembered across builds, keyed on what changes when a file does:
/// path, device, inode, size, mtime in nanoseconds, mode and owner. A warm rebuild then hashes only the
/// files whose metadata moved. Stored as one text file under the cache directory, replaced atomically
/// (write to a temporary name, then rename), so concurrent builds each see a whole file; a save
/// merges what others saved since, and a save lost in a race only costs a re-hash later.
/// </summary>
public sealed class FileHashCache
{
    /// <summary>About 200 bytes an entry: some 40 MB on disk at most.</summary>
    public const int MaxEntries = 200_000;

    private const string FileName = "file-hashes.v1";
    private readonly string directory;
    private readonly Dictionary<string, string> entries;
    private readonly HashSet<string> used = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private bool dirty;

    private FileHashCache(string directory, Dictionary<string, string> entries)
    {
        this.directory = directory;
        this.entries = entries;
    }

    public int Count
    {
        get
        {
            lock (gate)
            {
                return entries.Count;
            }
        }
    }

    public static async Task<FileHashCache> OpenAsync(string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        await ReadIntoAsync(Path.Combine(directory, FileName), entries, cancellationToken).ConfigureAwait(false);
        return new FileHashCache(directory, entries);
    }

    public static string KeyOf(SourceEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return string.Create(CultureInfo.InvariantCulture,
            $"{entry.HostPath?.Replace("\t", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal)}|{entry.Device}|{entry.Inode}|{entry.Size}|{entry.ModificationTimeNanoseconds}|{entry.Mode}|{entry.Uid}|{entry.Gid}");
    }

    public string? TryGet(SourceEntry entry)
    {
        lock (gate)
        {
            var key = KeyOf(entry);
            if (entries.TryGetValue(key, out var digest))
            {
                used.Add(key);
                return digest;
            }

            return null;
        }
    }

    public void Set(SourceEntry entry, string digest)
    {
        lock (gate)
        {
            var key = KeyOf(entry);
            entries[key] = digest;
            used.Add(key);
            dirty = true;
        }
    }

    /// <summary>
    /// Writes the cache if anything was added since it was opened or last saved, merged with what
    /// other builds saved meanwhile. Entries this process did not use are dropped once the file
    /// outgrows <see cref="MaxEntries"/>, so the cache cannot grow without bound.
    /// </summary>
    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        Dictionary<string, string> snapshot;
        lock (gate)
        {
            if (!dirty)
            {
                return;
            }

            snapshot = entries.Count <= MaxEntries
                ? new Dictionary<string, string>(entries, StringComparer.Ordinal)
                : used.ToDictionary(k => k, k => entries[k], StringComparer.Ordinal);
            dirty = false;
        }

        var path = Path.Combine(directory, FileName);
        var onDisk = new Dictionary<string, string>(StringComparer.Ordinal);
        await ReadIntoAsync(path, onDisk, cancellationToken).ConfigureAwait(false);
        if (snapshot.Count + onDisk.Count <= MaxEntries)
        {
            foreach (var (key, digest) in onDisk)
            {
                snapshot.TryAdd(key, digest);
            }
        }

        var builder = new StringBuilder();
        foreach (var (key, digest) in snapshot)
        {
            builder.Append(key).Append('\t').Append(digest).Append('\n');
        }

        var temporary = Path.Combine(directory, $"{FileName}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        await File.WriteAllTextAsync(temporary, builder.ToString(), Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }

    private static async Task ReadIntoAsync(string path, Dictionary<string, string> entries, CancellationToken cancellationToken)
    {
        // One read of the whole file: a line reader's 4 KiB asynchronous reads are a pool-thread hop
        // each, which every build pays before its first step.
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return;
        }

        var content = bytes.AsSpan();
        if (content.StartsWith(Encoding.UTF8.Preamble))
        {
            content = content[Encoding.UTF8.Preamble.Length..];
        }

        // Lines end as File.ReadAllLines ends them (\n, \r or \r\n).
        using var reader = new StringReader(Encoding.UTF8.GetString(content));
        while (reader.ReadLine() is { } line)
        {
            var tab = line.LastIndexOf('\t');
            if (tab > 0)
            {
                entries[line[..tab]] = line[(tab + 1)..];
            }
        }
    }
}
