using Dockerbuild.Oci.Unix;
using System.Diagnostics;
using System.Runtime.Versioning;
using Dockerbuild.Engine.Context;
using Dockerbuild.Engine.Execution.Copy;
using Dockerbuild.Oci.Layers;
using Dockerbuild.Testing;

namespace Dockerbuild.Engine.Tests.Execution.Copy;

/// <summary>A plan written by LayerWriter is a tar GNU tar reads back as the COPY meant it.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class CopyLayerTests
{
    [Fact]
    public async Task PlannedEntriesMakeTheExpectedLayer()
    {
        var tar = Require.Executable("tar", "tar");
        var ct = TestContext.Current.CancellationToken;
        using var tree = new CopyTree();
        tree.Write("app/bin/run", "#!/bin/sh\necho hi\n", 0b111_101_101);
        tree.Write("app/data.txt", "data");
        File.CreateSymbolicLink(Path.Combine(tree.ContextDir, "app/bin/alias"), "run");
        UnixFiles.Link(Path.Combine(tree.ContextDir, "app/data.txt"), Path.Combine(tree.ContextDir, "app/same.txt"));

        var context = await BuildContext.FromDirectoryAsync(tree.ContextDir, null, ct);
        var request = new CopyRequest
        {
            Sources = ["app"],
            Destination = "/srv/",
            Source = context.FileSystem,
            Chown = "1000:1000",
            CreatedTime = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
        };
        await using var plan = await tree.PlanAsync(request);
        var layer = tree.Combine("layer.tar");
        await using (var output = File.Create(layer))
        {
            await LayerWriter.WriteAsync(plan.Entries, output, new LayerWriteOptions { Compression = LayerCompression.None }, ct);
        }

        var listing = await ListAsync(tar, layer);
        Assert.Equal(
            [
                "drwxr-xr-x 1000/1000 srv/", // made by MkdirAll with the --chown owner
                "drwxr-xr-x 1000/1000 srv/bin/",
                "lrwxrwxrwx 1000/1000 srv/bin/alias -> run",
                "-rwxr-xr-x 1000/1000 srv/bin/run",
                "-rw-r--r-- 1000/1000 srv/data.txt",
                "hrw-r--r-- 1000/1000 srv/same.txt link to srv/data.txt",
            ],
            listing);

        var extracted = tree.Combine("extracted");
        Directory.CreateDirectory(extracted);
        using (var process = Process.Start(new ProcessStartInfo(tar, ["-xf", layer, "-C", extracted]))!)
        {
            await process.WaitForExitAsync(ct);
            Assert.Equal(0, process.ExitCode);
        }

        Assert.Equal("#!/bin/sh\necho hi\n", await File.ReadAllTextAsync(Path.Combine(extracted, "srv/bin/run"), ct));
    }

    /// <summary>"mode owner name [-> target]" per entry, sizes and times left out.</summary>
    private static async Task<List<string>> ListAsync(string tar, string layer)
    {
        var info = new ProcessStartInfo(tar, ["--numeric-owner", "-tvf", layer]) { RedirectStandardOutput = true };
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return string.Join(' ', [fields[0], fields[1], .. fields[5..]]);
        })];
    }
}
