using System.Text;
using Dockerbuild.Oci.Layers;

namespace Dockerbuild.Oci.Tests.Layers;

/// <summary>Entry sets shared by the writer tests.</summary>
internal static class SampleLayers
{
    public static readonly DateTimeOffset Mtime = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    public static LayerEntry[] Mixed() =>
    [
        LayerEntry.Directory("app") with { ModificationTime = Mtime },
        LayerEntry.File("app/run.sh", Encoding.UTF8.GetBytes("#!/bin/sh\necho hi\n"), mode: 0b111_101_101) with { ModificationTime = Mtime, Uid = 1000, Gid = 1001 },
        LayerEntry.File("app.txt", Encoding.UTF8.GetBytes("beside the directory\n")) with { ModificationTime = Mtime },
        LayerEntry.Directory("app/data") with { ModificationTime = Mtime, Uid = 1000, Gid = 1001, UserName = "app", GroupName = "staff" },
        LayerEntry.File("app/data/blob.bin", new byte[70_000]) with { ModificationTime = Mtime },
        LayerEntry.Symlink("app/current", "data/blob.bin") with { ModificationTime = Mtime },
        LayerEntry.Symlink("app/etc-link", "/etc/hostname") with { ModificationTime = Mtime },
        LayerEntry.HardLink("app/run-again.sh", "app/run.sh", mode: 0b111_101_101) with { ModificationTime = Mtime, Uid = 1000, Gid = 1001 },
        LayerEntry.File("bin/su", Encoding.UTF8.GetBytes("setuid\n"), mode: 0b100_111_101_101) with { ModificationTime = Mtime },
        new LayerEntry { Path = "tmp", Type = LayerEntryType.Directory, Mode = 0b001_111_111_111, ModificationTime = Mtime },
    ];

    public static async Task<byte[]> TarBytesAsync(IEnumerable<LayerEntry> entries, DateTimeOffset? epoch = null)
    {
        using var buffer = new MemoryStream();
        await LayerTarWriter.WriteAsync(entries, buffer, epoch, TestContext.Current.CancellationToken);
        return buffer.ToArray();
    }

    public static async Task<List<System.Formats.Tar.TarEntry>> ReadAsync(byte[] tar)
    {
        var result = new List<System.Formats.Tar.TarEntry>();
        await using var reader = new System.Formats.Tar.TarReader(new MemoryStream(tar));
        while (await reader.GetNextEntryAsync(copyData: true, TestContext.Current.CancellationToken) is { } entry)
        {
            result.Add(entry);
        }

        return result;
    }
}
