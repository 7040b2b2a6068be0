using Dockerbuild.Oci.Layers;

namespace Dockerbuild.Engine.Context;

/// <summary>
/// Expands a COPY source into the paths it names, as fsutil's ResolveWildcards does for BuildKit:
/// each segment with an unescaped '*', '?' or '[' is matched against the names in its directory with Go's
/// path.Match, symlinked directories on the way are followed, and matches come in name order.
/// </summary>
public static class SourceGlob
{
    public static bool HasWildcards(string source) => SourcePaths.Normalize(source).Split('/').Any(GoGlob.HasMeta);

    /// <summary>The normalized paths <paramref name="source"/> names; for a source without wildcards, itself when it exists.</summary>
    public static IReadOnlyList<string> Expand(ISourceFileSystem fileSystem, string source)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        var segments = SourcePaths.Normalize(source).Split('/', StringSplitOptions.RemoveEmptyEntries);
        IReadOnlyList<string> current = [""];
        foreach (var segment in segments)
        {
            var next = new List<string>();
            foreach (var parent in current)
            {
                if (!GoGlob.HasMeta(segment))
                {
                    next.Add(SourcePaths.Join(parent, segment));
                    continue;
                }

                var physical = SourcePaths.Resolve(fileSystem, parent, followLast: true);
                if (fileSystem.Stat(physical) is not { Type: LayerEntryType.Directory })
                {
                    continue;
                }

                foreach (var child in fileSystem.List(physical))
                {
                    if (GoGlob.Match(segment, child.Name))
                    {
                        next.Add(SourcePaths.Join(parent, child.Name));
                    }
                }
            }

            current = next;
        }

        return [.. current.Where(p => fileSystem.Stat(SourcePaths.Resolve(fileSystem, p, followLast: false)) is not null)];
    }
}
