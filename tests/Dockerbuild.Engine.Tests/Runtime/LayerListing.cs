using System.Formats.Tar;
using Dockerbuild.Oci.Layers;

namespace Dockerbuild.Engine.Tests.Runtime;

/// <summary>Writes entries through the layer tar writer and lists the tar the way `tar -tv` would, for assertions.</summary>
internal static class LayerListing
{
    public static async Task<List<string>> ListAsync(IReadOnlyList<LayerEntry> entries)
    {
        using var tar = new MemoryStream();
        await LayerWriter.WriteAsync(entries, tar, new LayerWriteOptions { Compression = LayerCompression.None }, TestContext.Current.CancellationToken);
        tar.Position = 0;
        var listing = new List<string>();
        await using var reader = new TarReader(tar);
        while (await reader.GetNextEntryAsync(copyData: false, TestContext.Current.CancellationToken) is { } entry)
        {
            listing.Add(entry.EntryType switch
            {
                TarEntryType.Directory => entry.Name,
                TarEntryType.SymbolicLink => $"{entry.Name} -> {entry.LinkName}",
                TarEntryType.HardLink => $"{entry.Name} link to {entry.LinkName}",
                _ => $"{entry.Name} ({entry.Length})",
            });
        }

        return listing;
    }
}
