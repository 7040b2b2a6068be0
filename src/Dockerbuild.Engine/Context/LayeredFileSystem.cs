using System.Collections.Concurrent;
using Dockerbuild.Oci.Unix;
using Dockerbuild.Engine.Runtime;
using Dockerbuild.Oci.Layers;

namespace Dockerbuild.Engine.Context;

/// <summary>
/// An image's root filesystem read straight from its extracted layer directories, without mounting:
/// the stack is given top layer first and merged as overlayfs would, honouring its whiteouts (a 0/0
/// character device hides what lower layers hold at that path) and opaque directories (the
/// trusted.overlay.opaque or user.overlay.opaque xattr hides the lower layers' content of that directory).
/// </summary>
public sealed class LayeredFileSystem : ISourceFileSystem
{
    private readonly IReadOnlyList<DirectoryFileSystem> layers;

    /// <summary>
    /// Whether a layer's directory lets lookups below it go on to lower layers, by (layer, directory).
    /// Extracted layers never change, and a COPY of many files asks about the same few parents for
    /// every one of them.
    /// </summary>
    private readonly ConcurrentDictionary<(int Layer, string Directory), ParentKind> parentKinds = new();

    private enum ParentKind
    {
        Absent,
        PassesThrough,
        Hides,
    }

    public LayeredFileSystem(IEnumerable<string> layerDirectoriesTopFirst)
    {
        ArgumentNullException.ThrowIfNull(layerDirectoriesTopFirst);
        layers = [.. layerDirectoriesTopFirst.Select(d => new DirectoryFileSystem(d))];
    }

    public SourceEntry? Stat(string path)
    {
        path = SourcePaths.Normalize(path);
        foreach (var (layer, _) in LayersHolding(path))
        {
            var entry = layer.Stat(path);
            if (entry is null)
            {
                continue;
            }

            return IsWhiteout(entry) ? null : entry;
        }

        return null;
    }

    public IReadOnlyList<SourceEntry> List(string directory)
    {
        directory = SourcePaths.Normalize(directory);
        var merged = new Dictionary<string, SourceEntry?>(StringComparer.Ordinal);
        foreach (var (layer, _) in LayersHolding(directory))
        {
            var self = layer.Stat(directory);
            if (self is null)
            {
                continue;
            }

            if (self.Type != LayerEntryType.Directory)
            {
                break; // a file or whiteout here hides every lower directory
            }

            foreach (var child in layer.List(directory))
            {
                merged.TryAdd(child.Name, IsWhiteout(child) ? null : child);
            }

            if (IsOpaque(layer, directory))
            {
                break;
            }
        }

        return [.. merged.Values.OfType<SourceEntry>().OrderBy(e => e.Name, StringComparer.Ordinal)];
    }

    public ValueTask<Stream> OpenReadAsync(string path, CancellationToken cancellationToken)
    {
        path = SourcePaths.Normalize(path);
        foreach (var (layer, _) in LayersHolding(path))
        {
            if (layer.Stat(path) is { } entry)
            {
                return IsWhiteout(entry) ? throw new FileNotFoundException($"'/{path}' does not exist") : layer.OpenReadAsync(path, cancellationToken);
            }
        }

        throw new FileNotFoundException($"'/{path}' does not exist");
    }

    private static bool IsWhiteout(SourceEntry entry) =>
        entry.Type == LayerEntryType.CharacterDevice && entry.HostPath is { } host && UnixFiles.TryLStat(host) is { IsOverlayWhiteout: true };

    private static bool IsOpaque(DirectoryFileSystem layer, string directory)
    {
        var host = directory.Length == 0 ? layer.Root : layer.Root + "/" + directory;
        return UnixFiles.TryLGetXattr(host, "trusted.overlay.opaque") is [(byte)'y']
            || UnixFiles.TryLGetXattr(host, "user.overlay.opaque") is [(byte)'y'];
    }

    /// <summary>
    /// The layers that can hold <paramref name="path"/>, top first: going down stops below a layer
    /// where a parent is opaque, a whiteout or not a directory.
    /// </summary>
    private IEnumerable<(DirectoryFileSystem Layer, int Index)> LayersHolding(string path)
    {
        var parents = new List<string>();
        for (var parent = SourcePaths.Parent(path); ; parent = SourcePaths.Parent(parent))
        {
            if (path.Length == 0)
            {
                break;
            }

            parents.Add(parent);
            if (parent.Length == 0)
            {
                break;
            }
        }

        for (var i = 0; i < layers.Count; i++)
        {
            yield return (layers[i], i);
            foreach (var parent in parents)
            {
                if (Parent(i, parent) == ParentKind.Hides)
                {
                    yield break;
                }
            }
        }
    }

    private ParentKind Parent(int index, string directory) =>
        parentKinds.GetOrAdd((index, directory), key =>
        {
            var layer = layers[key.Layer];
            var stat = layer.Stat(key.Directory);
            return stat is null ? ParentKind.Absent
                : stat.Type != LayerEntryType.Directory || IsOpaque(layer, key.Directory) ? ParentKind.Hides
                : ParentKind.PassesThrough;
        });
}
