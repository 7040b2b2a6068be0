using System.Globalization;
using System.Text.Json.Nodes;

namespace Dockerbuild.Engine.Runtime;

/// <summary>
/// The config.json of a RUN: containerd's default Unix spec as BuildKit adjusts it (no rlimits, new
/// privileges allowed, BuildKit's own /proc /dev /sys mounts, hosts and resolv.conf bound read-only,
/// then the RUN's mounts). Seccomp and AppArmor profiles are not applied. A privileged spec is
/// BuildKit's for RUN --security=insecure.
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

    /// <summary>What BuildKit's WithInsecureSpec adds to the default set for RUN --security=insecure.</summary>
    private static readonly string[] InsecureCapabilities =
    [
        "CAP_MAC_ADMIN", "CAP_MAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_SYS_PTRACE", "CAP_SYS_MODULE", "CAP_SYSLOG",
        "CAP_SYS_RAWIO", "CAP_SYS_ADMIN", "CAP_LINUX_IMMUTABLE", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_PACCT",
        "CAP_SYS_TTY_CONFIG", "CAP_SYS_TIME", "CAP_WAKE_ALARM", "CAP_AUDIT_READ", "CAP_AUDIT_CONTROL", "CAP_SYS_RESOURCE",
        "CAP_BLOCK_SUSPEND", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_LEASE", "CAP_NET_ADMIN", "CAP_NET_BROADCAST",
    ];

    /// <summary>The devices WithInsecureSpec creates outside a user namespace: (path, type, major, minor).</summary>
    private static readonly (string Path, string Type, int Major, int Minor)[] InsecureDevices =
    [
        ("/dev/kmsg", "c", 1, 11), ("/dev/cuse", "c", 10, 203), ("/dev/fuse", "c", 10, 229), ("/dev/kvm", "c", 10, 232),
        ("/dev/net/tun", "c", 10, 200), ("/dev/loop-control", "c", 10, 237),
        ("/dev/loop0", "b", 7, 0), ("/dev/loop1", "b", 7, 1), ("/dev/loop2", "b", 7, 2), ("/dev/loop3", "b", 7, 3),
        ("/dev/loop4", "b", 7, 4), ("/dev/loop5", "b", 7, 5), ("/dev/loop6", "b", 7, 6), ("/dev/loop7", "b", 7, 7),
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
    /// <param name="boundingCapabilities">
    /// The caller's bounding set (bit N is capability N), when known: a privileged spec keeps only
    /// what it holds, as runc cannot grant more (a host without CAP_SYS_RESOURCE still runs insecure RUNs).
    /// </param>
    public static JsonObject Build(ContainerSpec spec, string hostsFile, string resolvConfFile, IReadOnlyList<IdMapping>? idMappings, bool inUserNamespace = false, ulong? boundingCapabilities = null)
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
                ? Mount("/sys", "bind", "/sys", ["rbind", "nosuid", "noexec", "nodev", spec.Privileged ? "rw" : "ro"])
                : Mount("/sys", "sysfs", "sysfs", ["nosuid", "noexec", "nodev", spec.Privileged ? "rw" : "ro"]),
            Mount("/etc/resolv.conf", "bind", resolvConfFile, ["nosuid", "noexec", "nodev", "rbind", "ro"]),
            Mount("/etc/hosts", "bind", hostsFile, ["nosuid", "noexec", "nodev", "rbind", "ro"]),
        };
        if (!rootless)
        {
            mounts.Add(Mount("/sys/fs/cgroup", "cgroup", "cgroup", [spec.Privileged ? "rw" : "ro", "nosuid", "noexec", "nodev"]));
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
            namespaces.Add((JsonNode)Namespace("network"));
        }

        var linux = new JsonObject
        {
            ["namespaces"] = namespaces,
            ["maskedPaths"] = Strings(spec.Privileged ? [] : MaskedPaths),
            ["readonlyPaths"] = Strings(spec.Privileged ? [] : ReadonlyPaths),
        };
        if (idMappings is not null)
        {
            namespaces.Add((JsonNode)Namespace("user"));
            linux["uidMappings"] = Mappings(idMappings!, m => m.ContainerUid, m => m.HostUid);
            linux["gidMappings"] = Mappings(idMappings!, m => m.ContainerGid, m => m.HostGid);
        }

        if (!rootless)
        {
            // containerd's default: no device access but the ones runc always creates (null, zero, tty...).
            linux["resources"] = new JsonObject
            {
                ["devices"] = spec.Privileged
                    ? new JsonArray(new JsonObject { ["allow"] = true, ["type"] = "c", ["access"] = "rwm" }, new JsonObject { ["allow"] = true, ["type"] = "b", ["access"] = "rwm" })
                    : new JsonArray(new JsonObject { ["allow"] = false, ["access"] = "rwm" }),
            };
            if (spec.Privileged)
            {
                linux["devices"] = new JsonArray([.. InsecureDevices.Select(d => (JsonNode)new JsonObject { ["path"] = d.Path, ["type"] = d.Type, ["major"] = d.Major, ["minor"] = d.Minor })]);
            }
        }

        var capabilities = spec.Privileged
            ? [.. DefaultCapabilities, .. InsecureCapabilities.Where(c => boundingCapabilities is not { } held || (held & (1UL << CapabilityNumber(c))) != 0)]
            : DefaultCapabilities;
        var capabilitySets = new JsonObject
        {
            ["bounding"] = Strings(capabilities),
            ["effective"] = Strings(capabilities),
            ["permitted"] = Strings(capabilities),
        };
        if (spec.Privileged)
        {
            capabilitySets["inheritable"] = Strings(capabilities);
            capabilitySets["ambient"] = Strings(capabilities);
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
                ["capabilities"] = capabilitySets,
                ["noNewPrivileges"] = false,
            },
            ["root"] = new JsonObject { ["path"] = Path.GetFullPath(spec.RootfsPath), ["readonly"] = false },
            ["hostname"] = spec.Hostname,
            ["mounts"] = new JsonArray([.. mounts]),
            ["linux"] = linux,
        };
    }

    /// <summary>linux/capability.h numbers of the capabilities only an insecure RUN gets.</summary>
    private static int CapabilityNumber(string name) => name switch
    {
        "CAP_DAC_READ_SEARCH" => 2, "CAP_LINUX_IMMUTABLE" => 9, "CAP_NET_BROADCAST" => 11, "CAP_NET_ADMIN" => 12,
        "CAP_IPC_LOCK" => 14, "CAP_IPC_OWNER" => 15, "CAP_SYS_MODULE" => 16, "CAP_SYS_RAWIO" => 17, "CAP_SYS_PTRACE" => 19,
        "CAP_SYS_PACCT" => 20, "CAP_SYS_ADMIN" => 21, "CAP_SYS_BOOT" => 22, "CAP_SYS_NICE" => 23, "CAP_SYS_RESOURCE" => 24,
        "CAP_SYS_TIME" => 25, "CAP_SYS_TTY_CONFIG" => 26, "CAP_LEASE" => 28, "CAP_AUDIT_CONTROL" => 30,
        "CAP_MAC_OVERRIDE" => 32, "CAP_MAC_ADMIN" => 33, "CAP_SYSLOG" => 34, "CAP_WAKE_ALARM" => 35,
        "CAP_BLOCK_SUSPEND" => 36, "CAP_AUDIT_READ" => 37,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not an insecure-only capability"),
    };

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
