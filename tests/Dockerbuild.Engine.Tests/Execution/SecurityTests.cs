using Dockerbuild.Dockerfile;

namespace Dockerbuild.Engine.Tests.Execution;

/// <summary>
/// RUN --security, with BuildKit as the expectation: sandbox is the default; insecure needs the
/// security.insecure entitlement (else "security.insecure is not allowed" before anything runs) and
/// then runs privileged: every capability, nothing masked, /sys writable. RUN --network=host needs
/// network.host in the same way.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SecurityTests
{
    [Fact]
    public async Task InsecureWithoutTheEntitlementIsRefusedBeforeAnythingRuns()
    {
        using var f = await BuildFixture.CreateAsync();
        var error = await Assert.ThrowsAsync<DockerfileException>(() => f.BuildAsync("FROM busybox:test\nRUN touch /x\nRUN --security=insecure true\n"));

        Assert.StartsWith("Dockerfile:3:", error.Message, StringComparison.Ordinal);
        Assert.Contains("security.insecure is not allowed", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, f.LastRunCount);
    }

    [Fact]
    public async Task InsecureRunsPrivilegedAndSandboxDoesNot()
    {
        using var f = await BuildFixture.CreateAsync();
        var result = await f.BuildAsync("""
            FROM busybox:test
            RUN --security=insecure mkdir /m && mount -t tmpfs none /m && umount /m && grep ' /sys ' /proc/mounts | cut -d' ' -f4 | cut -d, -f1 > /insecure-sys
            RUN --security=sandbox (mkdir -p /n && mount -t tmpfs none /n 2>/dev/null && echo yes || echo no) > /sandbox-mount
            RUN grep ' /sys ' /proc/mounts | cut -d' ' -f4 | cut -d, -f1 > /default-sys
            """, r => r with { Allow = ["security.insecure"] });

        var rootfs = await f.ExtractAsync(result);
        Assert.Equal("rw\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "insecure-sys"), TestContext.Current.CancellationToken));
        Assert.Equal("no\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "sandbox-mount"), TestContext.Current.CancellationToken));
        Assert.Equal("ro\n", await File.ReadAllTextAsync(Path.Combine(rootfs, "default-sys"), TestContext.Current.CancellationToken));
    }

    /// <summary>
    /// The Dockerfile reference: "the use of --network=host is protected by the network.host
    /// entitlement", granted to a build with --allow network.host; then the RUN sees the host's interfaces.
    /// </summary>
    [Fact]
    public async Task HostNetworkNeedsItsEntitlementAndThenSeesTheHostsInterfaces()
    {
        using var f = await BuildFixture.CreateAsync();
        const string dockerfile = "FROM busybox:test\nRUN --network=host ls /sys/class/net > /nets\n";
        var error = await Assert.ThrowsAsync<DockerfileException>(() => f.BuildAsync(dockerfile));
        Assert.StartsWith("Dockerfile:2:", error.Message, StringComparison.Ordinal);
        Assert.Contains("network.host is not allowed", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, f.LastRunCount);

        var result = await f.BuildAsync(dockerfile, r => r with { Allow = ["network.host"] });

        var rootfs = await f.ExtractAsync(result);
        var inContainer = (await File.ReadAllTextAsync(Path.Combine(rootfs, "nets"), TestContext.Current.CancellationToken)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Directory.EnumerateFileSystemEntries("/sys/class/net").Select(Path.GetFileName).Order(StringComparer.Ordinal), inContainer.Order(StringComparer.Ordinal));
    }
}
