using System.Formats.Tar;
using System.Globalization;

namespace Dockerbuild.Testing;

/// <summary>One tar entry of a layer, as compared between builders: what `tar -tv --numeric-owner` shows, without times.</summary>
public sealed record LayoutEntry(string Path, TarEntryType Type, int Mode, int Uid, int Gid, string? LinkName, long Size)
{
    public bool IsWhiteout => System.IO.Path.GetFileName(Path).StartsWith(".wh.", StringComparison.Ordinal);

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Path} {Type} {Convert.ToString(Mode, 8)} {Uid}:{Gid}{(LinkName is null ? "" : " -> " + LinkName)}{(Type is TarEntryType.RegularFile or TarEntryType.V7RegularFile ? $" ({Size})" : "")}");
}
