using System.Runtime.InteropServices;
using System.Text.Json.Serialization;

namespace Dockerbuild.Oci;

/// <summary>
/// The platform an image runs on, as the OCI index and image config describe it. Values are kept as
/// read; <see cref="Normalize"/> gives containerd's canonical spelling (aarch64 → arm64, x86_64 → amd64,
/// arm64/v8 → arm64) and <see cref="Matches"/> compares normalized forms.
/// </summary>
public sealed record Platform
{
    [JsonConstructor]
    public Platform(string os, string architecture)
    {
        Os = os;
        Architecture = architecture;
    }

    [JsonPropertyName("architecture")]
    public string Architecture { get; init; }

    [JsonPropertyName("os")]
    public string Os { get; init; }

    [JsonPropertyName("os.version")]
    public string? OsVersion { get; init; }

    [JsonPropertyName("os.features")]
    public IReadOnlyList<string>? OsFeatures { get; init; }

    [JsonPropertyName("variant")]
    public string? Variant { get; init; }

    /// <summary>
    /// The platform images are built for on this machine: always a Linux image, with this process's
    /// CPU architecture.
    /// </summary>
    public static Platform Current { get; } = new Platform("linux", RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        System.Runtime.InteropServices.Architecture.X86 => "386",
        System.Runtime.InteropServices.Architecture.S390x => "s390x",
        System.Runtime.InteropServices.Architecture.Ppc64le => "ppc64le",
        System.Runtime.InteropServices.Architecture.RiscV64 => "riscv64",
        System.Runtime.InteropServices.Architecture.LoongArch64 => "loong64",
        _ => "amd64",
    }).Normalize();

    private static readonly string[] KnownOperatingSystems =
        ["aix", "android", "darwin", "dragonfly", "freebsd", "illumos", "ios", "js", "linux", "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows"];

    /// <summary>
    /// Parses <c>os[/arch[/variant]]</c> as <c>--platform</c> takes it. A single component is an OS when it
    /// names one (the architecture is then this machine's), otherwise an architecture for Linux.
    /// </summary>
    public static Platform Parse(string specifier)
    {
        ArgumentNullException.ThrowIfNull(specifier);
        var parts = specifier.Split('/');
        if (parts.Length > 3 || parts.Any(p => p.Length == 0 || p.Any(char.IsWhiteSpace)))
        {
            throw new FormatException($"'{specifier}' is not a valid platform: expected os/arch[/variant], e.g. linux/amd64 or linux/arm64/v8.");
        }

        var os = parts[0].ToLowerInvariant();
        if (parts.Length == 1)
        {
            return KnownOperatingSystems.Contains(NormalizeOs(os))
                ? new Platform(os, Current.Architecture) { Variant = Current.Variant }.Normalize()
                : new Platform("linux", os).Normalize();
        }

        var platform = new Platform(os, parts[1].ToLowerInvariant()) { Variant = parts.Length == 3 ? parts[2].ToLowerInvariant() : null };
        return platform.Normalize();
    }

    /// <summary>containerd's normalization: canonical OS, architecture and variant names.</summary>
    public Platform Normalize()
    {
        var (architecture, variant) = NormalizeArchitecture(Architecture.ToLowerInvariant(), Variant?.ToLowerInvariant());
        return this with
        {
            Os = NormalizeOs(Os.ToLowerInvariant()),
            Architecture = architecture,
            Variant = string.IsNullOrEmpty(variant) ? null : variant,
        };
    }

    /// <summary>
    /// Whether an image for <paramref name="candidate"/> runs on this platform: same OS and architecture
    /// after normalization, and a variant this one can execute (arm v7 runs v6 and v5; amd64 v3 runs v2).
    /// </summary>
    public bool Matches(Platform candidate) => MatchRank(candidate) >= 0;

    /// <summary>
    /// How well <paramref name="candidate"/> fits: -1 when it does not run here, 0 for an exact variant,
    /// and higher numbers for older compatible variants, so a caller picks the lowest rank.
    /// </summary>
    public int MatchRank(Platform candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var wanted = Normalize();
        var offered = candidate.Normalize();
        if (wanted.Os != offered.Os || wanted.Architecture != offered.Architecture)
        {
            return -1;
        }

        var wantedLevel = VariantLevel(wanted.Architecture, wanted.Variant);
        var offeredLevel = VariantLevel(offered.Architecture, offered.Variant);
        if (wantedLevel is null || offeredLevel is null)
        {
            return wanted.Variant == offered.Variant ? 0 : -1;
        }

        return offeredLevel <= wantedLevel ? wantedLevel.Value - offeredLevel.Value : -1;
    }

    /// <summary><c>os/arch[/variant]</c>, the form <see cref="Parse"/> reads.</summary>
    public override string ToString() =>
        string.IsNullOrEmpty(Variant) ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";

    private static string NormalizeOs(string os) => os == "macos" ? "darwin" : os;

    private static (string Architecture, string? Variant) NormalizeArchitecture(string architecture, string? variant) =>
        architecture switch
        {
            "i386" => ("386", null),
            "x86_64" or "x86-64" or "amd64" => ("amd64", variant == "v1" ? null : variant),
            "aarch64" or "arm64" => ("arm64", variant is "8" or "v8" or "v8.0" ? null : variant),
            "armhf" => ("arm", "v7"),
            "armel" => ("arm", "v6"),
            "arm" => ("arm", variant switch
            {
                null or "" or "7" => "v7",
                "5" or "6" or "8" => "v" + variant,
                _ => variant,
            }),
            _ => (architecture, variant),
        };

    // Variants as ordered levels for the architectures whose newer variants run older code.
    private static int? VariantLevel(string architecture, string? variant) =>
        (architecture, variant) switch
        {
            ("arm", "v5") => 5,
            ("arm", "v6") => 6,
            ("arm", "v7") => 7,
            ("arm", "v8") => 8,
            ("amd64", null) => 1,
            ("amd64", "v2") => 2,
            ("amd64", "v3") => 3,
            ("amd64", "v4") => 4,
            _ => null,
        };
}
