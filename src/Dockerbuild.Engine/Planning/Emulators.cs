namespace Dockerbuild.Engine.Planning;

/// <summary>
/// Which foreign architectures the kernel could run through binfmt_misc (qemu-user-static registers
/// <c>qemu-aarch64</c> and the like), so a refused <c>--platform</c> says whether emulation is there.
/// </summary>
internal static class Emulators
{
    public const string BinfmtDirectory = "/proc/sys/fs/binfmt_misc";

    /// <summary>The enabled binfmt_misc entry that runs <paramref name="architecture"/> (an OCI name), or null.</summary>
    public static string? Registered(string architecture, string binfmtDirectory = BinfmtDirectory)
    {
        var name = "qemu-" + QemuName(architecture);
        var entry = Path.Combine(binfmtDirectory, name);
        try
        {
            return File.Exists(entry) && File.ReadLines(entry).FirstOrDefault() == "enabled" ? name : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>qemu's names for the OCI architectures that differ (as binfmt and tonistiigi/binfmt name them).</summary>
    private static string QemuName(string architecture) => architecture switch
    {
        "arm64" => "aarch64",
        "386" => "i386",
        "amd64" => "x86_64",
        "mips64le" => "mips64el",
        "loong64" => "loongarch64",
        _ => architecture,
    };
}
