using Dockerbuild.Oci.Unix;
using Dockerbuild.Engine.Runtime;
using Dockerbuild.Testing;

namespace Dockerbuild.Engine.Tests.Runtime;

public sealed class RuncRuntimeTests : IDisposable
{
    private readonly TempDirectory root = new("dockerbuild-runtime-");
    private readonly List<OutputLine> output = [];

    public void Dispose() => root.Dispose();

    [Fact]
    public async Task EchoesAndReturnsZero()
    {
        var result = await RunAsync(Spec(["echo", "hello world"]));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal([new OutputLine(OutputStream.Stdout, "hello world")], output);
    }

    [Fact]
    public async Task FailingCommandReturnsItsExitCodeAndOutput()
    {
        var result = await RunAsync(Spec(["/bin/sh", "-c", "echo out; echo err >&2; exit 3"]));

        Assert.Equal(3, result.ExitCode);
        Assert.Contains(new OutputLine(OutputStream.Stdout, "out"), output);
        Assert.Contains(new OutputLine(OutputStream.Stderr, "err"), output);
    }

    [Fact]
    public async Task MissingExecutableIsARuntimeError()
    {
        var error = await Assert.ThrowsAsync<ContainerRuntimeException>(() => RunAsync(Spec(["/no/such/binary"])));

        Assert.Contains("no such file", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task EnvWorkingDirectoryAndUserAreApplied()
    {
        var rootfs = Rootfs();
        var user = await UserResolver.ResolveAsync(rootfs, "builder", TestContext.Current.CancellationToken);
        var spec = Spec(["/bin/sh", "-c", "id -u; id -g; id -G; pwd; echo \"$GREETING\""], rootfs) with
        {
            Env = ["PATH=/bin", "GREETING=hi there"],
            WorkingDirectory = "/home/builder",
            User = user,
        };

        var result = await RunAsync(spec);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["1000", "1000", "1000 29 50", "/home/builder", "hi there"], Stdout());
    }

    [Fact]
    public async Task NoneNetworkHasOnlyLoopback()
    {
        var result = await RunAsync(Spec(["/bin/sh", "-c", "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '"]) with { Network = NetworkMode.None });

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["lo"], Stdout());
    }

    [Theory]
    [InlineData(NetworkMode.Host)]
    [InlineData(NetworkMode.Default)]
    public async Task HostNetworkSeesTheHostInterfaces(NetworkMode mode)
    {
        var result = await RunAsync(Spec(["/bin/sh", "-c", "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '"]) with { Network = mode });

        var host = File.ReadAllLines("/proc/net/dev").Skip(2).Select(l => l.Split(':')[0].Trim()).ToList();
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(host.Order(), Stdout().Order());
        Assert.True(host.Count > 1, "the host has more than loopback, so the check means something");
    }

    /// <summary>
    /// Docker's and BuildKit's default capability set is CapEff 00000000a80425fb (as `docker run busybox
    /// grep Cap /proc/self/status` shows); masked /proc files read empty and /proc/sys is read-only.
    /// </summary>
    [Fact]
    public async Task CapabilitiesAndProcfsProtectionsAreDockers()
    {
        var result = await RunAsync(Spec(["/bin/sh", "-c", "grep -E '^Cap(Eff|Bnd):' /proc/self/status | tr -d '\\t'; [ -s /proc/kcore ] || echo kcore-masked; (echo x > /proc/sys/kernel/domainname) 2>/dev/null || echo sys-read-only"]));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["CapEff:00000000a80425fb", "CapBnd:00000000a80425fb", "kcore-masked", "sys-read-only"], Stdout());
    }

    [Fact]
    public async Task HostnameHostsAndResolvConfAreGenerated()
    {
        var resolv = root.Combine("host-resolv.conf");
        await File.WriteAllTextAsync(resolv, "nameserver 127.0.0.1\nnameserver 10.1.2.3\nsearch example.test\n", TestContext.Current.CancellationToken);
        var runtime = new RuncRuntime(new RuncRuntimeOptions { Binary = Runc(), StateRoot = root.Combine("state"), HostResolvConf = resolv });
        var spec = Spec(["/bin/sh", "-c", "hostname; cat /etc/hosts; cat /etc/resolv.conf"]) with
        {
            Network = NetworkMode.None,
            ExtraHosts = [new("registry.test", "10.0.0.7")],
        };

        var result = await runtime.RunAsync(spec, Collect, TestContext.Current.CancellationToken);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            ["buildkitsandbox", "127.0.0.1\tlocalhost buildkitsandbox", "::1\tlocalhost ip6-localhost ip6-loopback", "10.0.0.7\tregistry.test", "nameserver 10.1.2.3", "search example.test"],
            Stdout());
    }

    [Fact]
    public async Task BindAndTmpfsMountsAreVisible()
    {
        var readOnly = Directory.CreateDirectory(root.Combine("ro")).FullName;
        await File.WriteAllTextAsync(Path.Combine(readOnly, "secret"), "s3cret\n", TestContext.Current.CancellationToken);
        var readWrite = Directory.CreateDirectory(root.Combine("rw")).FullName;
        var spec = Spec(["/bin/sh", "-c", "cat /run/ro/secret; touch /run/ro/x 2>/dev/null && echo ro-writable; echo cached > /cache/file; grep ' /scratch ' /proc/mounts | cut -d' ' -f3,4"]) with
        {
            Mounts =
            [
                ContainerMount.Bind(readOnly, "/run/ro", readOnly: true),
                ContainerMount.Bind(readWrite, "/cache", readOnly: false),
                ContainerMount.Tmpfs("/scratch", 4 * 1024 * 1024),
            ],
        };

        var result = await RunAsync(spec);

        Assert.Equal(0, result.ExitCode);
        var lines = Stdout();
        Assert.Equal("s3cret", lines[0]);
        Assert.DoesNotContain("ro-writable", lines);
        Assert.StartsWith("tmpfs rw,nosuid", lines[1]);
        Assert.Contains("size=4096k", lines[1]);
        Assert.Equal("cached\n", await File.ReadAllTextAsync(Path.Combine(readWrite, "file"), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task MountStubsAreRemovedAfterTheRun()
    {
        var rootfs = Rootfs();
        File.Delete(Path.Combine(rootfs, "etc", "passwd"));
        File.Delete(Path.Combine(rootfs, "etc", "group"));
        Directory.Delete(Path.Combine(rootfs, "etc"));
        var source = Directory.CreateDirectory(root.Combine("src")).FullName;
        var spec = Spec(["/bin/sh", "-c", "ls /a/b/c && test -f /etc/hosts && test -f /etc/resolv.conf && echo ok"], rootfs) with
        {
            Mounts = [ContainerMount.Bind(source, "/a/b/c", readOnly: true)],
        };

        var result = await RunAsync(spec);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["ok"], Stdout());
        Assert.False(Directory.Exists(Path.Combine(rootfs, "a")));
        Assert.False(Directory.Exists(Path.Combine(rootfs, "etc")));
    }

    [Fact]
    public async Task CancellationKillsTheContainer()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var runtime = Runtime();
        var spec = Spec(["/bin/sh", "-c", "echo started; exec sleep 1000"]);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runtime.RunAsync(
            spec,
            line =>
            {
                if (line.Text == "started")
                {
                    cancel.Cancel();
                }

                return ValueTask.CompletedTask;
            },
            cancel.Token));

        var state = root.Combine("state", "state");
        Assert.True(!Directory.Exists(state) || !Directory.EnumerateFileSystemEntries(state).Any(), "the container state is deleted");
        Assert.False(Directory.EnumerateDirectories(root.Combine("state", "bundles")).Any(), "the bundle is deleted");
    }

    [Fact]
    public async Task MissingWorkingDirectoryIsCreatedAndKept()
    {
        var rootfs = Rootfs();

        var result = await RunAsync(Spec(["/bin/sh", "-c", "pwd"], rootfs) with { WorkingDirectory = "/work/dir" });

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["/work/dir"], Stdout());
        Assert.Equal(0b111_101_101, UnixFiles.LStat(Path.Combine(rootfs, "work", "dir")).Permissions);
    }

    [Fact]
    public async Task AFailingOutputCallbackSurfacesAfterTheContainerEnds()
    {
        var spec = Spec(["/bin/sh", "-c", "i=0; while [ $i -lt 20000 ]; do echo line $i; i=$((i+1)); done"]);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Runtime().RunAsync(
            spec,
            _ => throw new InvalidOperationException("log sink broke"),
            TestContext.Current.CancellationToken));

        Assert.Equal("log sink broke", error.Message);
    }

    [Fact]
    public void AMissingRuntimeBinaryIsAClearError()
    {
        var error = Assert.Throws<ContainerRuntimeException>(() => new RuncRuntime(new RuncRuntimeOptions { Binary = "no-such-oci-runtime" }));

        Assert.Contains("'no-such-oci-runtime' was not found", error.Message);
    }

    /// <summary>Any runc-compatible binary (crun, a wrapper) is called the same way.</summary>
    [Fact]
    public async Task AnotherRuntimeBinaryCanBeConfigured()
    {
        var calls = root.Combine("calls");
        var wrapper = root.Combine("my-runtime");
        await File.WriteAllTextAsync(wrapper, $"#!/bin/sh\necho \"$@\" >> '{calls}'\nexec '{Runc()}' \"$@\"\n", TestContext.Current.CancellationToken);
        UnixFiles.Chmod(wrapper, 0b111_101_101);
        var runtime = new RuncRuntime(new RuncRuntimeOptions { Binary = wrapper, StateRoot = root.Combine("state") });

        var result = await runtime.RunAsync(Spec(["true"]), null, TestContext.Current.CancellationToken);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(wrapper, runtime.Binary);
        Assert.Contains(" run --bundle ", await File.ReadAllTextAsync(calls, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ContainerIdsAreUnique()
    {
        var runtime = Runtime();
        // One rootfs each, as every RUN has its own snapshot: containers sharing one root directory
        // would race on the /etc/resolv.conf and /etc/hosts stubs each makes and removes.
        var specs = Enumerable.Range(0, 3).Select(i => Spec(["/bin/sh", "-c", "echo $$"], BusyboxRootfs.Create(root.Combine($"rootfs{i}")))).ToList();

        var results = await Task.WhenAll(specs.Select(spec => runtime.RunAsync(spec, null, TestContext.Current.CancellationToken)));

        Assert.All(results, r => Assert.Equal(0, r.ExitCode));
    }

    private static string Runc() => Require.Executable("runc", "runc");

    private RuncRuntime Runtime() => new(new RuncRuntimeOptions { Binary = Runc(), StateRoot = root.Combine("state") });

    private Task<ContainerResult> RunAsync(ContainerSpec spec) => Runtime().RunAsync(spec, Collect, TestContext.Current.CancellationToken);

    private ValueTask Collect(OutputLine line)
    {
        output.Add(line);
        return ValueTask.CompletedTask;
    }

    private List<string> Stdout() => [.. output.Where(l => l.Stream == OutputStream.Stdout).Select(l => l.Text)];

    private string Rootfs()
    {
        var path = root.Combine("rootfs");
        return Directory.Exists(path) ? path : BusyboxRootfs.Create(path);
    }

    private ContainerSpec Spec(IReadOnlyList<string> args, string? rootfs = null) => new()
    {
        RootfsPath = rootfs ?? Rootfs(),
        Args = args,
        Env = ["PATH=/bin"],
    };
}
