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

    [Fact]
    public async Task OverlaySnapshotAndDiffWorkInsideAUserNamespace()
    {
        if (Environment.GetEnvironmentVariable(InnerVariable) == "1")
        {
            Assert.Skip("This is the inner run.");
        }

        var unshare = Require.Executable("unshare", "util-linux");
        var start = new ProcessStartInfo(unshare)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { [InnerVariable] = "1" },
        };
        foreach (var argument in (string[])["--user", "--map-root-user", "--mount", Path.Combine(AppContext.BaseDirectory, "Dockerbuild.Engine.Tests"), "-method", $"{typeof(UserNamespaceTests).FullName}.{nameof(InnerOverlayDiff)}"])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = Task.WhenAll(process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken), process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken));
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        var text = string.Join('\n', await output);

        Assert.True(process.ExitCode == 0, text);
        Assert.Contains("Total: 1, Errors: 0, Failed: 0, Skipped: 0", text);
    }

    [Fact]
    public async Task InnerOverlayDiff()
    {
        if (Environment.GetEnvironmentVariable(InnerVariable) != "1")
        {
            Assert.Skip("Runs only inside the user namespace that OverlaySnapshotAndDiffWorkInsideAUserNamespace makes.");
        }

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
}
