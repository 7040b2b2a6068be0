using System.Formats.Tar;
using System.Text;
using Dockerbuild.Testing;
using Dockerbuild.Oci.Layers;

namespace Dockerbuild.Oci.Tests.Layers;

public sealed class LayerTarWriterTests
{
    [Fact]
    public async Task SameEntriesInAnyOrderGiveIdenticalBytes()
    {
        var entries = SampleLayers.Mixed();
        var first = await SampleLayers.TarBytesAsync(entries);
        var again = await SampleLayers.TarBytesAsync(SampleLayers.Mixed());
        var reversed = await SampleLayers.TarBytesAsync(entries.Reverse());

        Assert.Equal(first, again);
        Assert.Equal(first, reversed);
    }

    /// <summary>
    /// Runs itself again in a child process (another process id, another start time) and compares
    /// the tar the child wrote with its own: nothing process-specific may reach the bytes.
    /// </summary>
    [Fact]
    public async Task AnotherProcessWritesTheSameBytes()
    {
        const string childOutput = "DOCKERBUILD_TEST_TAR_OUT";
        var ct = TestContext.Current.CancellationToken;
        if (Environment.GetEnvironmentVariable(childOutput) is { Length: > 0 } path)
        {
            await File.WriteAllBytesAsync(path, await SampleLayers.TarBytesAsync(SampleLayers.Mixed()), ct);
            return;
        }

        using var dir = new TempDirectory("dockerbuild-layers-");
        var output = dir.Combine("child.tar");
        var host = Environment.ProcessPath!;
        var assembly = typeof(LayerTarWriterTests).Assembly.Location;
        var filter = new[] { "-method", $"{typeof(LayerTarWriterTests).FullName}.{nameof(AnotherProcessWritesTheSameBytes)}" };
        var start = new System.Diagnostics.ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (Path.GetFileNameWithoutExtension(host) == "dotnet" ? ["exec", assembly, .. filter] : filter))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[childOutput] = output;
        using (var child = System.Diagnostics.Process.Start(start)!)
        {
            var stdout = child.StandardOutput.ReadToEndAsync(ct);
            await child.StandardError.ReadToEndAsync(ct);
            await child.WaitForExitAsync(ct);
            Assert.True(child.ExitCode == 0, await stdout);
        }

        Assert.Equal(await SampleLayers.TarBytesAsync(SampleLayers.Mixed()), await File.ReadAllBytesAsync(output, ct));
    }

    [Fact]
    public async Task EntriesComeInSortedWalkOrderWithDirectoriesSlashTerminated()
    {
        var names = (await SampleLayers.ReadAsync(await SampleLayers.TarBytesAsync(SampleLayers.Mixed()))).Select(e => e.Name);

        // A sorted directory walk, as filepath.Walk gives containerd: "app/..." before "app.txt".
        Assert.Equal(
            ["app/", "app/current", "app/data/", "app/data/blob.bin", "app/etc-link", "app/run-again.sh", "app/run.sh", "app.txt", "bin/su", "tmp/"],
            names);
    }

    [Fact]
    public async Task OwnershipModesAndLinksAreKeptExactlyAsGiven()
    {
        var entries = (await SampleLayers.ReadAsync(await SampleLayers.TarBytesAsync(SampleLayers.Mixed()))).ToDictionary(e => e.Name);

        var run = entries["app/run.sh"];
        Assert.Equal((1000, 1001), (run.Uid, run.Gid));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute, run.Mode);
        var data = (PosixTarEntry)entries["app/data/"];
        Assert.Equal(("app", "staff"), (data.UserName, data.GroupName));
        Assert.Equal(("", ""), (((PosixTarEntry)run).UserName, ((PosixTarEntry)run).GroupName));
        Assert.True(entries["bin/su"].Mode.HasFlag(UnixFileMode.SetUser));
        Assert.True(entries["tmp/"].Mode.HasFlag(UnixFileMode.StickyBit));
        Assert.Equal((TarEntryType.SymbolicLink, "/etc/hostname"), (entries["app/etc-link"].EntryType, entries["app/etc-link"].LinkName));
        // The caller gave run.sh the content, but run-again.sh sorts first, so it carries it (as in containerd).
        Assert.Equal((TarEntryType.RegularFile, 18), (entries["app/run-again.sh"].EntryType, entries["app/run-again.sh"].Length));
        Assert.Equal((TarEntryType.HardLink, "app/run-again.sh"), (entries["app/run.sh"].EntryType, entries["app/run.sh"].LinkName));
        Assert.Equal(70_000, entries["app/data/blob.bin"].Length);
        Assert.All(entries.Values, e => Assert.Equal(SampleLayers.Mtime, e.ModificationTime));
    }

    [Fact]
    public async Task SourceDateEpochClampsOnlyLaterMtimes()
    {
        var epoch = DateTimeOffset.FromUnixTimeSeconds(1_600_000_000);
        var old = DateTimeOffset.FromUnixTimeSeconds(1_500_000_000);
        LayerEntry[] entries =
        [
            LayerEntry.File("new", "n"u8.ToArray()) with { ModificationTime = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000) },
            LayerEntry.File("old", "o"u8.ToArray()) with { ModificationTime = old },
        ];

        var read = (await SampleLayers.ReadAsync(await SampleLayers.TarBytesAsync(entries, epoch))).ToDictionary(e => e.Name);

        Assert.Equal(epoch, read["new"].ModificationTime);
        Assert.Equal(old, read["old"].ModificationTime);
    }

    [Fact]
    public async Task PlainEntriesHaveNoPaxHeaderAndLongOnesANamedDeterministically()
    {
        var longName = string.Join('/', Enumerable.Repeat("directory-with-a-long-name", 12)) + "/file-é.txt";
        LayerEntry[] entries =
        [
            LayerEntry.File("short", "s"u8.ToArray()),
            LayerEntry.File(longName, "l"u8.ToArray()) with { Uid = 3_000_000 },
            LayerEntry.File("caps", "c"u8.ToArray()) with { ExtendedAttributes = new Dictionary<string, byte[]> { ["security.capability"] = [1, 0, 0, 2] } },
        ];

        var tar = await SampleLayers.TarBytesAsync(entries);
        var text = Encoding.Latin1.GetString(tar);

        // Only the two entries that need PAX records get a header, named as Go's archive/tar names it.
        Assert.Equal(2, PaxHeaderCount(tar));
        Assert.Contains("PaxHeaders.0/caps", text, StringComparison.Ordinal);
        Assert.DoesNotContain($"PaxHeaders.{Environment.ProcessId}", text, StringComparison.Ordinal);
        Assert.DoesNotContain("atime", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ctime", text, StringComparison.Ordinal);
        var read = (await SampleLayers.ReadAsync(tar)).ToDictionary(e => e.Name);
        Assert.Equal(3_000_000, read[longName].Uid);
        Assert.Equal("\u0001\0\0\u0002", ((PaxTarEntry)read["caps"]).ExtendedAttributes["SCHILY.xattr.security.capability"]);
    }

    [Fact]
    public async Task GnuTarListsTheEntriesWithTheirOwnersAndModes()
    {
        var tarTool = Require.Executable("tar", "tar");
        using var dir = new TempDirectory("dockerbuild-layers-");
        var file = dir.Combine("layer.tar");
        await File.WriteAllBytesAsync(file, await SampleLayers.TarBytesAsync(SampleLayers.Mixed()), TestContext.Current.CancellationToken);

        var (exit, stdout, stderr) = await ExternalTool.RunAsync(tarTool, ["--numeric-owner", "--utc", "-tvf", file]);

        Assert.True(exit == 0, stderr);
        Assert.Empty(stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where((_, i) => i is 0 or 1 or 5 || i > 5)))
            .ToArray();
        Assert.Equal(
            [
                "drwxr-xr-x 0/0 app/",
                "lrwxrwxrwx 0/0 app/current -> data/blob.bin",
                "drwxr-xr-x 1000/1001 app/data/",
                "-rw-r--r-- 0/0 app/data/blob.bin",
                "lrwxrwxrwx 0/0 app/etc-link -> /etc/hostname",
                "-rwxr-xr-x 1000/1001 app/run-again.sh",
                "hrwxr-xr-x 1000/1001 app/run.sh link to app/run-again.sh",
                "-rw-r--r-- 0/0 app.txt",
                "-rwsr-xr-x 0/0 bin/su",
                "drwxrwxrwt 0/0 tmp/",
            ],
            lines);
    }

    [Fact]
    public void PathsWithDotDotAreRejected() =>
        Assert.Throws<ArgumentException>(() => LayerTarWriter.WriteAsync([LayerEntry.File("a/../../b", "x"u8.ToArray())], Stream.Null, null, TestContext.Current.CancellationToken).GetAwaiter().GetResult());

    private static int PaxHeaderCount(byte[] tar)
    {
        var count = 0;
        for (var offset = 0; offset + 512 <= tar.Length; offset += 512)
        {
            if (tar[offset + 156] == (byte)'x' && tar.AsSpan(offset + 257, 6).SequenceEqual("ustar\0"u8))
            {
                count++;
            }
        }

        return count;
    }
}
