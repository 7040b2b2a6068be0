using System.Formats.Tar;

namespace Dockerbuild.IntegrationTests.Cli;

/// <summary>A small root filesystem tarball made from the machine's busybox: a real, runnable image of about 1 MB compressed.</summary>
internal static class RootfsTarball
{
    public static async Task<string> WriteAsync(string directory, string marker = "")
    {
        var busybox = new[] { "/bin/busybox", "/usr/bin/busybox" }.FirstOrDefault(File.Exists);
        if (busybox is null)
        {
            Dockerbuild.Testing.Require.Fail("busybox is not installed (Debian package 'busybox'; eng/install-deps.sh installs it).");
        }

        var path = Path.Combine(directory, $"rootfs{marker}.tar");
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var file = File.Create(path);
        await using var tar = new TarWriter(file, TarEntryFormat.Pax, leaveOpen: false);
        var mtime = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        foreach (var dir in new[] { "bin/", "etc/", "tmp/" })
        {
            await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, dir) { Mode = (UnixFileMode)0b111_101_101, ModificationTime = mtime }, cancellationToken);
        }

        await using (var content = File.OpenRead(busybox!))
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, "bin/busybox") { Mode = (UnixFileMode)0b111_101_101, ModificationTime = mtime, DataStream = content };
            await tar.WriteEntryAsync(entry, cancellationToken);
        }

        await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, "bin/sh") { LinkName = "busybox", ModificationTime = mtime }, cancellationToken);
        var text = new MemoryStream("root:x:0:0:root:/root:/bin/sh\n"u8.ToArray());
        await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "etc/passwd") { Mode = (UnixFileMode)0b110_100_100, ModificationTime = mtime, DataStream = text }, cancellationToken);
        var stamp = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(marker + "\n"));
        await tar.WriteEntryAsync(new PaxTarEntry(TarEntryType.RegularFile, "etc/marker") { Mode = (UnixFileMode)0b110_100_100, ModificationTime = mtime, DataStream = stamp }, cancellationToken);
        return path;
    }
}
