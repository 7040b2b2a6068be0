using System.Formats.Tar;

namespace Dockerbuild.Oci.Tests.Layers;

/// <summary>Builds layer tars entry by entry with System.Formats.Tar, including ones no honest builder would write.</summary>
internal sealed class CraftedLayer
{
    private readonly List<TarEntry> entries = [];

    public CraftedLayer File(string name, string content = "payload", UnixFileMode mode = (UnixFileMode)0b110_100_100)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)),
            Mode = mode,
        };
        entries.Add(entry);
        return this;
    }

    public CraftedLayer Directory(string name, UnixFileMode mode = (UnixFileMode)0b111_101_101)
    {
        entries.Add(new PaxTarEntry(TarEntryType.Directory, name) { Mode = mode, ModificationTime = DateTimeOffset.FromUnixTimeSeconds(1_000_000_000) });
        return this;
    }

    public CraftedLayer Symlink(string name, string target)
    {
        entries.Add(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target, Mode = (UnixFileMode)0b111_111_111 });
        return this;
    }

    public CraftedLayer HardLink(string name, string target)
    {
        entries.Add(new PaxTarEntry(TarEntryType.HardLink, name) { LinkName = target });
        return this;
    }

    public CraftedLayer Device(string name, int major, int minor)
    {
        entries.Add(new PaxTarEntry(TarEntryType.CharacterDevice, name) { DeviceMajor = major, DeviceMinor = minor, Mode = (UnixFileMode)0b110_110_110 });
        return this;
    }

    public MemoryStream ToStream()
    {
        var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                writer.WriteEntry(entry);
            }
        }

        buffer.Position = 0;
        return buffer;
    }
}
