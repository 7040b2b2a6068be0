using System.Diagnostics;
using Dockerbuild.Engine.Runtime;
using Dockerbuild.Testing;

namespace Dockerbuild.Engine.Tests.Runtime;

/// <summary>What a build killed mid-step leaves behind is cleaned up, without touching live builds.</summary>
public sealed class AbandonedCleanupTests : IDisposable
{
    private readonly TempDirectory root = new("dockerbuild-abandoned-");

    public void Dispose() => root.Dispose();

    [Fact]
    public async Task AbandonedSnapshotsAreUnmountedAndRemovedLiveOnesKept()
    {
        var lower = Directory.CreateDirectory(root.Combine("lower")).FullName;
        await File.WriteAllTextAsync(Path.Combine(lower, "file"), "lower", TestContext.Current.CancellationToken);
        var work = root.Combine("work");
        await using var live = await OverlaySnapshot.CreateAsync([lower], work, TestContext.Current.CancellationToken);

        // What a killed build leaves: a mounted overlay in a directory whose lease nobody holds.
        var stale = Directory.CreateDirectory(Path.Combine(work, "stale")).FullName;
        foreach (var name in (string[])["u", "w", "m"])
        {
            Directory.CreateDirectory(Path.Combine(stale, name));
        }

        await File.WriteAllTextAsync(Path.Combine(stale, ".lease"), "", TestContext.Current.CancellationToken);
        Native.Mount("overlay", Path.Combine(stale, "m"), "overlay", $"lowerdir={lower},upperdir={stale}/u,workdir={stale}/w");

        var removed = await RootfsSnapshots.RemoveAbandonedAsync(work, TestContext.Current.CancellationToken);

        Assert.Equal(1, removed);
        Assert.False(Directory.Exists(stale));
        Assert.Equal("lower", await File.ReadAllTextAsync(Path.Combine(lower, "file"), TestContext.Current.CancellationToken));
        Assert.Equal("lower", await File.ReadAllTextAsync(Path.Combine(live.RootfsPath, "file"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AbandonedContainersAreKilledAndDeleted()
    {
        var runc = Require.Executable("runc", "runc");
        var state = root.Combine("state");
        var rootfs = BusyboxRootfs.Create(root.Combine("rootfs"));
        const string id = "dockerbuild-killed-build";
        var bundle = Directory.CreateDirectory(Path.Combine(state, "bundles", id)).FullName;
        await File.WriteAllTextAsync(Path.Combine(bundle, "hosts"), "", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(bundle, "resolv.conf"), "", TestContext.Current.CancellationToken);
        var config = OciSpec.Build(new ContainerSpec { RootfsPath = rootfs, Args = ["sleep", "1000"], Env = ["PATH=/bin"] }, Path.Combine(bundle, "hosts"), Path.Combine(bundle, "resolv.conf"), null);
        await File.WriteAllTextAsync(Path.Combine(bundle, "config.json"), config.ToJsonString(), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(bundle, ".lease"), "", TestContext.Current.CancellationToken);
        // Detached, the container keeps runc's stdio: give it /dev/null, not pipes this test would wait on.
        Assert.Equal(0, await RunAsync("/bin/sh", "-c", $"exec '{runc}' --root '{Path.Combine(state, "state")}' run --detach --bundle '{bundle}' {id} </dev/null >/dev/null 2>&1"));
        Assert.Equal(0, await RuncAsync(runc, state, "state", id));

        var removed = await new RuncRuntime(new RuncRuntimeOptions { Binary = runc, StateRoot = state }).RemoveAbandonedAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, removed);
        Assert.NotEqual(0, await RuncAsync(runc, state, "state", id));
        Assert.False(Directory.Exists(bundle));
    }

    private static Task<int> RuncAsync(string runc, string state, params string[] arguments) =>
        RunAsync(runc, ["--root", Path.Combine(state, "state"), .. arguments]);

    private static async Task<int> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        await output;
        return process.ExitCode;
    }
}
