using System.Diagnostics;
using Dockerbuild.Engine.Runtime;
using Dockerbuild.Testing;

namespace Dockerbuild.Engine.Tests.Runtime;

/// <summary>
/// Rootless builds run inside a user namespace (rootlesskit, unshare -r), where overlayfs needs
/// userxattr and leaves user.overlay.* markers. This process cannot enter a user namespace (it has
/// threads), so the outer test runs one test of this assembly again under `unshare -Urm`.
/// </summary>
public sealed class UserNamespaceTests
{
    private const string InnerVariable = "DOCKERBUILD_TEST_INSIDE_USERNS";
    private const string InnerTrait = "InsideUserNamespace";

    [Fact]
    public async Task OverlaySnapshotAndDiffWorkInsideAUserNamespace()
    {
        var unshare = Require.Executable("unshare", "util-linux");
        var start = new ProcessStartInfo(unshare)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { [InnerVariable] = "1" },
        };
        var inner = (string[])[nameof(InnerOverlayDiff), nameof(InnerRunOnOverlay), nameof(InnerExtractedLayersKeepWhiteouts)];
        foreach (var argument in (string[])["--user", "--map-root-user", "--mount", Path.Combine(AppContext.BaseDirectory, "Dockerbuild.Engine.Tests"), .. inner.SelectMany(m => (string[])["-method", $"{typeof(UserNamespaceTests).FullName}.{m}"])])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = Task.WhenAll(process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken), process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken));
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        var text = string.Join('\n', await output);

        Assert.True(process.ExitCode == 0, text);
        Assert.Contains("Total: 3, Errors: 0, Failed: 0, Skipped: 0", text);
    }

    // The inner tests carry this trait so eng/test.sh leaves them out of the normal run (where they
    // could only skip); the outer test runs them inside the namespace.
    [Fact]
    [Trait(InnerTrait, "true")]
    public async Task InnerOverlayDiff()
    {
        SkipOutsideTheUserNamespace();

        Assert.True(HostEnvironment.InUserNamespace);
        using var root = new TempDirectory("dockerbuild-userns-");
        var lower = root.Combine("lower");
        foreach (var file in (string[])["keep/file", "remove", "recreate/old"])
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(lower, file))!);
            await File.WriteAllTextAsync(Path.Combine(lower, file), file, TestContext.Current.CancellationToken);
        }

        await using var snapshot = await OverlaySnapshot.CreateAsync([lower], root.Combine("work"), TestContext.Current.CancellationToken);
        File.Delete(Path.Combine(snapshot.RootfsPath, "remove"));
        Directory.Delete(Path.Combine(snapshot.RootfsPath, "recreate"), recursive: true);
        Directory.CreateDirectory(Path.Combine(snapshot.RootfsPath, "recreate"));
        await File.WriteAllTextAsync(Path.Combine(snapshot.RootfsPath, "recreate", "new"), "new", TestContext.Current.CancellationToken);

        var listing = await LayerListing.ListAsync(await snapshot.DiffAsync(DateTimeOffset.UnixEpoch, TestContext.Current.CancellationToken));

        Assert.Equal([".wh.remove (0)", "recreate/", "recreate/.wh.old (0)", "recreate/new (3)"], listing);
    }

    /// <summary>The whole rootless stack: runc started by root-in-a-user-namespace on an overlay made there.</summary>
    [Fact]
    [Trait(InnerTrait, "true")]
    public async Task InnerRunOnOverlay()
    {
        SkipOutsideTheUserNamespace();
        var runc = Require.Executable("runc", "runc");
        using var root = new TempDirectory("dockerbuild-userns-");
        var lower = BusyboxRootfs.Create(root.Combine("lower"));
        await File.WriteAllTextAsync(Path.Combine(lower, "etc", "old"), "old", TestContext.Current.CancellationToken);
        await using var snapshot = await OverlaySnapshot.CreateAsync([lower], root.Combine("work"), TestContext.Current.CancellationToken);
        var runtime = new RuncRuntime(new RuncRuntimeOptions { Binary = runc, StateRoot = root.Combine("state") });
        var lines = new List<string>();

        var result = await runtime.RunAsync(
            new ContainerSpec
            {
                RootfsPath = snapshot.RootfsPath,
                Args = ["/bin/sh", "-c", "id -u && rm /etc/old && echo built > /built && ls /mnt/cache/ >/dev/null"],
                Env = ["PATH=/bin"],
                Network = NetworkMode.None,
                Mounts = [ContainerMount.Tmpfs("/mnt/cache")],
            },
            line =>
            {
                lines.Add(line.Text);
                return ValueTask.CompletedTask;
            },
            TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 0, string.Join('\n', lines));
        Assert.Equal(["0"], lines);
        Assert.Equal(["built (6)", "etc/", "etc/.wh.old (0)"], await LayerListing.ListAsync(await snapshot.DiffAsync(DateTimeOffset.UnixEpoch, TestContext.Current.CancellationToken)));
    }

    /// <summary>
    /// Root of a user namespace cannot set trusted.* xattrs: layers are extracted with their whiteouts
    /// applied and recorded in the userxattr form, and an overlay of them hides what upper layers deleted.
    /// </summary>
    [Fact]
    [Trait(InnerTrait, "true")]
    public async Task InnerExtractedLayersKeepWhiteouts()
    {
        SkipOutsideTheUserNamespace();
        using var root = new TempDirectory("dockerbuild-userns-");
        var blobs = new Oci.Storage.BlobStore(root.Combine("store"));
        var layers = await Execution.WhiteoutLayers.AddAsync(blobs);
        var extracted = new Dockerbuild.Engine.Execution.ExtractedLayers(blobs, root.Combine("layers"));

        var lowers = await extracted.GetTopFirstAsync([.. layers.Select(l => l.Layer)], [.. layers.Select(l => l.DiffId)], TestContext.Current.CancellationToken);
        foreach (var kind in (SnapshotKind[])[SnapshotKind.Overlay, SnapshotKind.Copy])
        {
            await using var snapshot = await RootfsSnapshots.CreateAsync(lowers, root.Combine("work"), kind, TestContext.Current.CancellationToken);
            Assert.Equal(["d", "d/new"], Directory.EnumerateFileSystemEntries(snapshot.RootfsPath, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(snapshot.RootfsPath, p)).Order(StringComparer.Ordinal));
        }
    }

    private static void SkipOutsideTheUserNamespace()
    {
        if (Environment.GetEnvironmentVariable(InnerVariable) != "1")
        {
            Assert.Skip("Runs only inside the user namespace that OverlaySnapshotAndDiffWorkInsideAUserNamespace makes.");
        }
    }
}
