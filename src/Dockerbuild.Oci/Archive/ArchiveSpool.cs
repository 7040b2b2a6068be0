using System.Formats.Tar;
using Dockerbuild.Oci.Json;

namespace Dockerbuild.Oci.Archive;

/// <summary>
/// An image archive unpacked to a temporary directory, so it can be read from a pipe (stdin) that
/// cannot seek. Only plain files are written; symbolic and hard links between entries (old docker
/// save links duplicate layer.tar files) are remembered and resolved inside the archive, never on the
/// host. Entry names that would leave the directory are refused.
/// </summary>
internal sealed class ArchiveSpool : IDisposable
{
    private const int MaxLinkHops = 16;
    private readonly Dictionary<string, string> links = new(StringComparer.Ordinal);

    private ArchiveSpool(string root) => Root = root;

    public string Root { get; }

    public static async Task<ArchiveSpool> ExtractAsync(Stream tar, string parentDirectory, CancellationToken cancellationToken)
    {
        var spool = new ArchiveSpool(Path.Combine(parentDirectory, "load-" + Guid.NewGuid().ToString("N")));
        Directory.CreateDirectory(spool.Root);
        try
        {
            await using var reader = new TarReader(tar, leaveOpen: true);
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false) is { } entry)
            {
                var name = Normalize(entry.Name);
                if (name.Length == 0)
                {
                    continue;
                }

                switch (entry.EntryType)
                {
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                        var path = Path.Combine(spool.Root, name);
                        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                        await using (var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
                        {
                            if (entry.DataStream is { } data)
                            {
                                await data.CopyToAsync(output, 1 << 16, cancellationToken).ConfigureAwait(false);
                            }
                        }

                        break;
                    case TarEntryType.SymbolicLink:
                        var target = entry.LinkName.StartsWith('/') ? entry.LinkName : PathJoin(ParentOf(name), entry.LinkName);
                        spool.links[name] = Normalize(target);
                        break;
                    case TarEntryType.HardLink:
                        spool.links[name] = Normalize(entry.LinkName);
                        break;
                }
            }

            return spool;
        }
        catch
        {
            spool.Dispose();
            throw;
        }
    }

    public bool Exists(string name) => Resolve(name) is { } path && File.Exists(path);

    /// <summary>The spooled file for an archive path, following links inside the archive; null when absent.</summary>
    public string? Resolve(string name)
    {
        var current = Normalize(name);
        for (var hop = 0; hop < MaxLinkHops; hop++)
        {
            if (!links.TryGetValue(current, out var next))
            {
                var path = Path.Combine(Root, current);
                return File.Exists(path) ? path : null;
            }

            current = next;
        }

        throw new OciFormatException($"The archive's links from '{name}' loop.");
    }

    public string Require(string name) =>
        Resolve(name) ?? throw new OciFormatException($"The archive has no '{name}', which its manifest refers to.");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    // Archive paths are relative, '/'-separated, without '.' segments; '..' or an absolute path would
    // leave the spool directory and is refused.
    private static string Normalize(string name)
    {
        var parts = new List<string>();
        foreach (var part in name.Replace('\\', '/').Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == "..")
            {
                throw new OciFormatException($"The archive entry '{name}' points outside the archive.");
            }

            parts.Add(part);
        }

        return string.Join('/', parts);
    }

    private static string ParentOf(string name)
    {
        var slash = name.LastIndexOf('/');
        return slash < 0 ? "" : name[..slash];
    }

    private static string PathJoin(string directory, string relative)
    {
        var parts = directory.Length == 0 ? new List<string>() : [.. directory.Split('/')];
        foreach (var part in relative.Split('/'))
        {
            if (part == "..")
            {
                if (parts.Count == 0)
                {
                    throw new OciFormatException($"The archive link to '{relative}' points outside the archive.");
                }

                parts.RemoveAt(parts.Count - 1);
            }
            else if (part is not ("" or "."))
            {
                parts.Add(part);
            }
        }

        return string.Join('/', parts);
    }
}
