using Dockerbuild.Oci.Layers;

namespace Dockerbuild.Engine.Context;

/// <summary>Every object under a path of a source tree, parents before children, siblings in ordinal order; symlinks are not followed.</summary>
public static class FileTreeWalker
{
    /// <summary>The object at <paramref name="path"/> itself first, then (for a directory) all it holds.</summary>
    public static IEnumerable<SourceEntry> Walk(ISourceFileSystem fileSystem, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        if (fileSystem.Stat(path) is not { } top)
        {
            yield break;
        }

        var pending = new Stack<SourceEntry>();
        pending.Push(top);
        while (pending.TryPop(out var entry))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry;
            if (entry.Type == LayerEntryType.Directory)
            {
                var children = fileSystem.List(entry.Path);
                for (var i = children.Count - 1; i >= 0; i--)
                {
                    pending.Push(children[i]);
                }
            }
        }
    }
}
