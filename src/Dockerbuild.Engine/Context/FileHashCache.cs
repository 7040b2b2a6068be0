using System.Globalization;
using System.Text;

namespace Dockerbuild.Engine.Context;

/// <summary>
/// Content digests of host files remembered across builds, keyed on what changes when a file does:
/// path, device, inode, size, mtime in nanoseconds, mode and owner. A warm rebuild then hashes only the
/// files whose metadata moved. Stored as one text file under the cache directory, replaced atomically
/// (write to a temporary name, then rename), so concurrent builds each see a whole file; the last
/// writer wins, which only costs the loser's new entries a re-hash later.
/// </summary>
public sealed class FileHashCache
{
    private const string FileName = "file-hashes.v1";
    private readonly string directory;
    private readonly Dictionary<string, string> entries;
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
        var path = Path.Combine(directory, FileName);
        if (File.Exists(path))
        {
            foreach (var line in await File.ReadAllLinesAsync(path, Encoding.UTF8, cancellationToken).ConfigureAwait(false))
            {
                var tab = line.LastIndexOf('\t');
                if (tab > 0)
                {
                    entries[line[..tab]] = line[(tab + 1)..];
                }
            }
        }

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
            return entries.GetValueOrDefault(KeyOf(entry));
        }
    }

    public void Set(SourceEntry entry, string digest)
    {
        lock (gate)
        {
            entries[KeyOf(entry)] = digest;
            dirty = true;
        }
    }

    /// <summary>Writes the cache if anything was added since it was opened or last saved.</summary>
    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        string text;
        lock (gate)
        {
            if (!dirty)
            {
                return;
            }

            var builder = new StringBuilder();
            foreach (var (key, digest) in entries)
            {
                builder.Append(key).Append('\t').Append(digest).Append('\n');
            }

            text = builder.ToString();
            dirty = false;
        }

        var temporary = Path.Combine(directory, $"{FileName}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        await File.WriteAllTextAsync(temporary, text, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        File.Move(temporary, Path.Combine(directory, FileName), overwrite: true);
    }
}
