using System.Globalization;
using Dockerbuild.Oci;

namespace Dockerbuild.Engine.Planning;

/// <summary>
/// Whether the kernel runs a foreign architecture's programs through binfmt_misc, as BuildKit relies on
/// QEMU's user-mode emulators: an enabled entry whose magic matches that architecture's ELF header.
/// The entry needs the F (fix binary) flag, so the kernel opened the interpreter when it was registered
/// and finds it from inside a container's root filesystem, which has no qemu of its own.
/// </summary>
internal static class Emulators
{
    public const string BinfmtDirectory = "/proc/sys/fs/binfmt_misc";

    /// <summary>The enabled entry whose magic matches <paramref name="platform"/>'s ELF header, or null.</summary>
    public static BinfmtEntry? Find(Platform platform, string binfmtDirectory = BinfmtDirectory)
    {
        ArgumentNullException.ThrowIfNull(platform);
        if (platform.Os != "linux" || ElfHeader(platform.Normalize().Architecture) is not { } header)
        {
            return null;
        }

        try
        {
            if (!Directory.Exists(binfmtDirectory) || File.Exists(Path.Combine(binfmtDirectory, "status")) && File.ReadLines(Path.Combine(binfmtDirectory, "status")).FirstOrDefault() != "enabled")
            {
                return null;
            }

            return Directory.EnumerateFiles(binfmtDirectory)
                .Where(path => Path.GetFileName(path) is not ("register" or "status"))
                .Order(StringComparer.Ordinal)
                .Select(path => BinfmtEntry.Parse(Path.GetFileName(path), File.ReadAllLines(path)))
                .FirstOrDefault(entry => entry is { Enabled: true } && entry.Matches(header));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Whether programs for <paramref name="platform"/> run here, natively or through a usable emulator.</summary>
    public static bool CanRun(Platform platform, string binfmtDirectory = BinfmtDirectory) =>
        BuildPlanner.IsNative(platform) || Find(platform, binfmtDirectory) is { FixBinary: true };

    /// <summary>
    /// BuildKit's autoDetectPlatform: with no --platform for the build (<paramref name="plan"/>) nor the stage
    /// (<paramref name="platformGiven"/>), an image whose config is for another OS/architecture that the machine
    /// runs (natively or through a registered emulator, the platforms BuildKit's worker lists) sets the platform
    /// the stage builds for; else it stays <paramref name="expected"/>. Only a new platform is returned, null otherwise.
    /// </summary>
    public static Platform? AutoDetect(BuildPlan plan, bool platformGiven, Platform expected, ImageConfig config, string binfmtDirectory = BinfmtDirectory)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(config);
        if (plan.ExplicitPlatform || platformGiven || config.Os.Length == 0 || config.Architecture.Length == 0
            || (config.Os == expected.Os && config.Architecture == expected.Architecture))
        {
            return null;
        }

        var detected = new Platform(config.Os, config.Architecture) { Variant = config.Variant }.Normalize();
        return CanRun(detected, binfmtDirectory) ? detected : null;
    }

    /// <summary>
    /// Throws the build's error unless a RUN for <paramref name="platform"/> can execute here: natively,
    /// or through a registered emulator with the F flag.
    /// </summary>
    public static void EnsureRunnable(Platform platform, string binfmtDirectory = BinfmtDirectory)
    {
        ArgumentNullException.ThrowIfNull(platform);
        if (BuildPlanner.IsNative(platform))
        {
            return;
        }

        var entry = Find(platform, binfmtDirectory);
        if (entry is null)
        {
            throw new BuildException($"platform {platform} is not supported: only {BuildPlanner.NativePlatform} builds natively and no emulator for {platform.Architecture} is registered in {binfmtDirectory} (register qemu-user-static's /usr/lib/binfmt.d entry, with the F flag, in {binfmtDirectory}/register)");
        }

        if (!entry.FixBinary)
        {
            throw new BuildException($"platform {platform} is not supported: {entry.Name} is registered in {binfmtDirectory} without the F flag, so its interpreter {entry.Interpreter} cannot be found inside the build's root filesystem (register it again with the F flag)");
        }
    }

    /// <summary>
    /// The first 64 bytes of an executable ELF file for the architecture (an OCI name), which is what
    /// binfmt_misc matches its magic and mask against; null for an architecture without one here.
    /// </summary>
    internal static byte[]? ElfHeader(string architecture)
    {
        (int Class, bool BigEndian, ushort Machine)? elf = architecture switch
        {
            "amd64" => (2, false, 62),
            "386" => (1, false, 3),
            "arm64" => (2, false, 183),
            "arm" => (1, false, 40),
            "ppc64le" => (2, false, 21),
            "ppc64" => (2, true, 21),
            "s390x" => (2, true, 22),
            "riscv64" => (2, false, 243),
            "mips64le" => (2, false, 8),
            "mips64" => (2, true, 8),
            "mipsle" => (1, false, 8),
            "mips" => (1, true, 8),
            "loong64" => (2, false, 258),
            _ => null,
        };
        if (elf is not { } e)
        {
            return null;
        }

        var header = new byte[64];
        "\u007fELF"u8.CopyTo(header);
        header[4] = (byte)e.Class;
        header[5] = e.BigEndian ? (byte)2 : (byte)1;
        header[6] = 1; // EI_VERSION
        Write16(header, 16, 2, e.BigEndian); // e_type ET_EXEC (the usual masks also accept ET_DYN)
        Write16(header, 18, e.Machine, e.BigEndian);
        header[e.BigEndian ? 23 : 20] = 1; // e_version
        return header;
    }

    private static void Write16(byte[] buffer, int offset, ushort value, bool bigEndian)
    {
        buffer[offset + (bigEndian ? 1 : 0)] = (byte)value;
        buffer[offset + (bigEndian ? 0 : 1)] = (byte)(value >> 8);
    }

    internal static byte[] Hex(string text) => Convert.FromHexString(text.Trim());

    internal static int Number(string text) => int.Parse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
}
