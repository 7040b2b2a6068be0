using System.Text.Json.Nodes;
using Dockerbuild.Engine.Runtime;

namespace Dockerbuild.Engine.Tests.Runtime;

/// <summary>The generated config.json against BuildKit's (containerd's default spec as BuildKit adjusts it).</summary>
public sealed class OciSpecTests
{
    private static readonly ContainerSpec Spec = new()
    {
        RootfsPath = "/rootfs",
        Args = ["/bin/sh", "-c", "true"],
        Env = ["PATH=/bin"],
        User = new ContainerUser(1000, 1000, [50]),
        Mounts = [ContainerMount.Tmpfs("/tmp", 1024 * 1024), ContainerMount.Bind("/host/cache", "/root/.cache", readOnly: false)],
    };

    [Theory]
    [InlineData(NetworkMode.None, "pid,ipc,uts,mount,network")]
    [InlineData(NetworkMode.Host, "pid,ipc,uts,mount")]
    [InlineData(NetworkMode.Default, "pid,ipc,uts,mount")]
    public void NamespacesFollowTheNetworkMode(NetworkMode network, string namespaces)
    {
        var config = OciSpec.Build(Spec with { Network = network }, "/b/hosts", "/b/resolv.conf", null);

        Assert.Equal(namespaces, string.Join(',', config["linux"]!["namespaces"]!.AsArray().Select(n => (string?)n!["type"])));
    }

    [Fact]
    public void ProcessIsBuildKits()
    {
        var process = OciSpec.Build(Spec, "/b/hosts", "/b/resolv.conf", null)["process"]!;

        Assert.Equal(1000u, (uint)process["user"]!["uid"]!);
        Assert.Equal([50u], process["user"]!["additionalGids"]!.AsArray().Select(g => (uint)g!));
        Assert.False((bool)process["noNewPrivileges"]!);
        Assert.Null(process["rlimits"]);
        Assert.Equal(14, process["capabilities"]!["bounding"]!.AsArray().Count);
        Assert.Contains("CAP_NET_RAW", process["capabilities"]!["effective"]!.AsArray().Select(c => (string?)c));
        Assert.DoesNotContain("CAP_SYS_ADMIN", process["capabilities"]!["effective"]!.AsArray().Select(c => (string?)c));
    }

    [Fact]
    public void MountsAreBuildKitsThenTheRunsOwn()
    {
        var mounts = OciSpec.Build(Spec, "/b/hosts", "/b/resolv.conf", null)["mounts"]!.AsArray();

        Assert.Equal(
            ["/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/etc/resolv.conf", "/etc/hosts", "/sys/fs/cgroup", "/tmp", "/root/.cache"],
            mounts.Select(m => (string?)m!["destination"]));
        Assert.Equal("nosuid,noexec,nodev,rbind,ro", Options(mounts, "/etc/hosts"));
        Assert.Equal("nosuid,size=1048576", Options(mounts, "/tmp"));
        Assert.Equal("rbind,rw", Options(mounts, "/root/.cache"));
    }

    [Fact]
    public void RootlessAddsAUserNamespaceAndAvoidsWhatItCannotMount()
    {
        var config = OciSpec.Build(Spec with { Network = NetworkMode.Host }, "/b/hosts", "/b/resolv.conf", [new IdMapping(0, 1000, 0, 1000, 1), new IdMapping(1, 100000, 1, 100000, 65536)]);
        var mounts = config["mounts"]!.AsArray();

        Assert.Contains("user", config["linux"]!["namespaces"]!.AsArray().Select(n => (string?)n!["type"]));
        Assert.Equal("""[{"containerID":0,"hostID":1000,"size":1},{"containerID":1,"hostID":100000,"size":65536}]""", config["linux"]!["uidMappings"]!.ToJsonString());
        Assert.DoesNotContain("/sys/fs/cgroup", mounts.Select(m => (string?)m!["destination"]));
        Assert.Equal("bind", (string?)mounts.Single(m => (string?)m!["destination"] == "/sys")!["type"]);
        Assert.DoesNotContain("gid=5", Options(mounts, "/dev/pts"));
        Assert.Null(config["linux"]!["resources"]);
    }

    [Fact]
    public void InsideAUserNamespaceNoNewOneIsMadeButRootlessLimitsApply()
    {
        var config = OciSpec.Build(Spec with { Network = NetworkMode.Host }, "/b/hosts", "/b/resolv.conf", null, inUserNamespace: true);
        var mounts = config["mounts"]!.AsArray();

        Assert.DoesNotContain("user", config["linux"]!["namespaces"]!.AsArray().Select(n => (string?)n!["type"]));
        Assert.Null(config["linux"]!["uidMappings"]);
        Assert.DoesNotContain("/sys/fs/cgroup", mounts.Select(m => (string?)m!["destination"]));
        Assert.Equal("bind", (string?)mounts.Single(m => (string?)m!["destination"] == "/sys")!["type"]);
    }

    private static string Options(JsonArray mounts, string destination) =>
        string.Join(',', mounts.Single(m => (string?)m!["destination"] == destination)!["options"]!.AsArray().Select(o => (string?)o));

    [Fact]
    public void APrivilegedSpecIsBuildKitsInsecureSpec()
    {
        var config = OciSpec.Build(Spec with { Privileged = true }, "/b/hosts", "/b/resolv.conf", null);

        var capabilities = config["process"]!["capabilities"]!;
        Assert.Equal(38, capabilities["bounding"]!.AsArray().Count);
        Assert.Contains("CAP_SYS_ADMIN", capabilities["ambient"]!.AsArray().Select(c => (string?)c));
        Assert.Empty(config["linux"]!["maskedPaths"]!.AsArray());
        Assert.Empty(config["linux"]!["readonlyPaths"]!.AsArray());
        Assert.All(config["linux"]!["resources"]!["devices"]!.AsArray(), d => Assert.True((bool)d!["allow"]!));
        Assert.Contains("/dev/fuse", config["linux"]!["devices"]!.AsArray().Select(d => (string?)d!["path"]));
        var sys = config["mounts"]!.AsArray().Single(m => (string?)m!["destination"] == "/sys")!;
        Assert.Contains("rw", sys["options"]!.AsArray().Select(o => (string?)o));
    }

    [Fact]
    public void APrivilegedSpecKeepsOnlyCapabilitiesTheCallerHolds()
    {
        var withoutSysResource = ~(1UL << 24);
        var config = OciSpec.Build(Spec with { Privileged = true }, "/b/hosts", "/b/resolv.conf", null, boundingCapabilities: withoutSysResource);

        var bounding = config["process"]!["capabilities"]!["bounding"]!.AsArray().Select(c => (string?)c).ToList();
        Assert.Equal(37, bounding.Count);
        Assert.DoesNotContain("CAP_SYS_RESOURCE", bounding);
    }
}
