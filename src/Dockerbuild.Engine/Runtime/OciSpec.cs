using System.Globalization;
using System.Text.Json.Nodes;

namespace Dockerbuild.Engine.Runtime;

/// <summary>
/// The config.json of a RUN: containerd's default Unix spec as BuildKit adjusts it (no rlimits, new
/// privileges allowed, BuildKit's own /proc /dev /sys mounts, hosts and resolv.conf bound read-only,
/// then the RUN's mounts). Seccomp and AppArmor profiles are not applied.
/// </summary>
internal static class OciSpec
{
    /// <summary>containerd's default capability set (Docker's), which BuildKit keeps for sandboxed RUNs.</summary>
    public static readonly IReadOnlyList<string> DefaultCapabilities =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
        "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
    ];

    private static readonly string[] MaskedPaths =
    [
        "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/sys/devices/virtual/powercap", "/proc/scsi",
    ];

    private static readonly string[] ReadonlyPaths =
    [
        "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
    ];

    /// <param name="idMappings">Null as root; in rootless mode the container-to-host uid/gid ranges of a new user namespace.</param>
    /// <param name="inUserNamespace">
    /// This process already runs in a user namespace (rootlesskit, unshare -r): no new one is made, but
    /// what only the initial namespace may mount (sysfs of the host network, cgroupfs, devpts with a gid
    /// that may be unmapped) is avoided as in rootless mode.
    /// </param>
    public static JsonObject Build(ContainerSpec spec, string hostsFile, string resolvConfFile, IReadOnlyList<IdMapping>? idMappings, bool inUserNamespace = false)
    {
        var rootless = idMappings is not null || inUserNamespace;
        var hostNetwork = spec.Network != NetworkMode.None;
        var mounts = new List<JsonObject>
        {
            Mount("/proc", "proc", "proc", []),
            Mount("/dev", "tmpfs", "tmpfs", ["nosuid", "strictatime", "mode=755", "size=65536k"]),
            Mount("/dev/pts", "devpts", "devpts", rootless
                ? ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]
                : ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]),
            Mount("/dev/shm", "tmpfs", "shm", ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]),
            Mount("/dev/mqueue", "mqueue", "mqueue", ["nosuid", "noexec", "nodev"]),
            // A user namespace may not mount sysfs for a network namespace it does not own.
            rootless && hostNetwork
                ? Mount("/sys", "bind", "/sys", ["rbind", "nosuid", "noexec", "nodev", "ro"])
                : Mount("/sys", "sysfs", "sysfs", ["nosuid", "noexec", "nodev", "ro"]),
            Mount("/etc/resolv.conf", "bind", resolvConfFile, ["nosuid", "noexec", "nodev", "rbind", "ro"]),
            Mount("/etc/hosts", "bind", hostsFile, ["nosuid", "noexec", "nodev", "rbind", "ro"]),
        };
        if (!rootless)
        {
            mounts.Add(Mount("/sys/fs/cgroup", "cgroup", "cgroup", ["ro", "nosuid", "noexec", "nodev"]));
        }

        foreach (var mount in spec.Mounts)
        {
            var node = mount.Type switch
            {
                ContainerMountType.Bind => Mount(mount.Destination, "bind", mount.Source ?? throw new ArgumentException($"The bind mount at '{mount.Destination}' has no source.", nameof(spec)), ["rbind", mount.ReadOnly ? "ro" : "rw"]),
                _ => Mount(mount.Destination, "tmpfs", "tmpfs", mount.SizeBytes is { } size
                    ? ["nosuid", "size=" + size.ToString(CultureInfo.InvariantCulture), .. mount.ReadOnly ? (string[])["ro"] : []]
                    : ["nosuid", .. mount.ReadOnly ? (string[])["ro"] : []]),
            };

            // A later mount on the same target replaces the earlier one (BuildKit's dedupMounts).
            var existing = mounts.FindIndex(m => (string?)m["destination"] == Clean(mount.Destination));
            if (existing >= 0)
            {
                mounts[existing] = node;
            }
            else
            {
                mounts.Add(node);
            }
        }

        var namespaces = new JsonArray(Namespace("pid"), Namespace("ipc"), Namespace("uts"), Namespace("mount"));
        if (spec.Network == NetworkMode.None)
        {
            namespaces.Add(Namespace("network"));
        }

        var linux = new JsonObject
        {
            ["namespaces"] = namespaces,
            ["maskedPaths"] = Strings(MaskedPaths),
            ["readonlyPaths"] = Strings(ReadonlyPaths),
        };
        if (idMappings is not null)
        {
            namespaces.Add(Namespace("user"));
            linux["uidMappings"] = Mappings(idMappings!, m => m.ContainerUid, m => m.HostUid);
            linux["gidMappings"] = Mappings(idMappings!, m => m.ContainerGid, m => m.HostGid);
        }

        if (!rootless)
        {
            // containerd's default: no device access but the ones runc always creates (null, zero, tty...).
            linux["resources"] = new JsonObject { ["devices"] = new JsonArray(new JsonObject { ["allow"] = false, ["access"] = "rwm" }) };
        }

        return new JsonObject
        {
            ["ociVersion"] = "1.0.2",
            ["process"] = new JsonObject
            {
                ["terminal"] = false,
                ["user"] = new JsonObject
                {
                    ["uid"] = spec.User.Uid,
                    ["gid"] = spec.User.Gid,
                    ["additionalGids"] = new JsonArray([.. spec.User.AdditionalGids.Select(g => (JsonNode)g)]),
                },
                ["args"] = Strings(spec.Args),
                ["env"] = Strings(spec.Env),
                ["cwd"] = string.IsNullOrEmpty(spec.WorkingDirectory) ? "/" : spec.WorkingDirectory,
                ["capabilities"] = new JsonObject
                {
                    ["bounding"] = Strings(DefaultCapabilities),
                    ["effective"] = Strings(DefaultCapabilities),
                    ["permitted"] = Strings(DefaultCapabilities),
                },
                ["noNewPrivileges"] = false,
            },
            ["root"] = new JsonObject { ["path"] = Path.GetFullPath(spec.RootfsPath), ["readonly"] = false },
            ["hostname"] = spec.Hostname,
            ["mounts"] = new JsonArray([.. mounts]),
            ["linux"] = linux,
        };
    }

    private static string Clean(string destination) => "/" + string.Join('/', destination.Split('/', StringSplitOptions.RemoveEmptyEntries));

    private static JsonObject Mount(string destination, string type, string source, string[] options) => new()
    {
        ["destination"] = Clean(destination),
        ["type"] = type,
        ["source"] = source,
        ["options"] = Strings(options),
    };

    private static JsonObject Namespace(string type) => new() { ["type"] = type };

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);

    private static JsonArray Mappings(IReadOnlyList<IdMapping> mappings, Func<IdMapping, uint> container, Func<IdMapping, uint> host) =>
        new([.. mappings.Select(m => (JsonNode)new JsonObject { ["containerID"] = container(m), ["hostID"] = host(m), ["size"] = m.Size })]);
}
