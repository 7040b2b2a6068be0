using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Dockerbuild.Oci.Layers;

/// <summary>
/// Where earlier layers hold the gzip member for a chunk of tar, so that a layer written again with
/// most of its content unchanged (a COPY of a tree where one file changed) recompresses only the
/// chunks around the change; members are cut at content-defined tar entry boundaries (see
/// <see cref="ParallelGzipStream"/>), so the chunks after a change line up again. The index is one
/// text file of lines "chunk-key blob offset length member-sha256"; a member is read from the blob
/// file itself and used only when its sha256 matches, so a stale line (the blob pruned, a torn
/// append) costs only a fresh compression. A key names the chunk's sha256, the level and the
/// runtime version: a member is what this zlib makes of the chunk, the same bytes compressing it
/// again would give.
/// </summary>
public sealed class GzipMemberCache(string indexPath, Func<Digest, string> blobPath)
{
    /// <summary>An index grown past this is started afresh rather than read (some 80,000 members).</summary>
    private const long MaxIndexBytes = 16 * 1024 * 1024;

    private readonly Lock gate = new();
    private Dictionary<string, Location>? index;

    internal static string KeyOf(ReadOnlySpan<byte> chunk, int level) =>
        $"{level}-{Environment.Version}-{Convert.ToHexStringLower(SHA256.HashData(chunk))}";

    /// <summary>The member for the chunk with <paramref name="key"/>, or null.</summary>
    internal byte[]? TryRead(string key)
    {
        Location location;
        lock (gate)
        {
            index ??= Load();
            if (!index.TryGetValue(key, out location))
            {
                return null;
            }
        }

        try
        {
            var member = new byte[location.Length];
            using var file = File.OpenHandle(blobPath(location.Blob));
            if (RandomAccess.Read(file, member, location.Offset) != member.Length
                || Convert.ToHexStringLower(SHA256.HashData(member)) != location.MemberSha256)
            {
                return null;
            }

            return member;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Records where <paramref name="blob"/> holds each of its members, for later layers.</summary>
    internal void Record(Digest blob, IReadOnlyList<(string Key, long Offset, int Length, string MemberSha256)> members)
    {
        if (members.Count == 0)
        {
            return;
        }

        var lines = new StringBuilder();
        lock (gate)
        {
            index ??= Load();
            foreach (var (key, offset, length, sha) in members)
            {
                index[key] = new Location(blob, offset, length, sha);
                lines.Append(CultureInfo.InvariantCulture, $"{key} {blob} {offset} {length} {sha}\n");
            }
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(indexPath)!);
            if (new FileInfo(indexPath) is { Exists: true, Length: > MaxIndexBytes })
            {
                File.Delete(indexPath);
            }

            // One write of whole lines in append mode; a line torn by a concurrent writer fails to
            // parse or to verify, and is only a miss.
            using var file = new FileStream(indexPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 0);
            file.Write(Encoding.UTF8.GetBytes(lines.ToString()));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A cache that cannot be written is only a cache.
        }
    }

    private Dictionary<string, Location> Load()
    {
        var loaded = new Dictionary<string, Location>(StringComparer.Ordinal);
        string text;
        try
        {
            text = new FileInfo(indexPath) is { Exists: true, Length: <= MaxIndexBytes } ? File.ReadAllText(indexPath) : "";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return loaded;
        }

        foreach (var line in text.Split('\n'))
        {
            var fields = line.Split(' ');
            if (fields.Length == 5
                && Digest.TryParse(fields[1], out var blob)
                && long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
                && int.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            {
                loaded[fields[0]] = new Location(blob, offset, length, fields[4]);
            }
        }

        return loaded;
    }

    private readonly record struct Location(Digest Blob, long Offset, int Length, string MemberSha256);
}
