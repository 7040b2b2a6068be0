using System.Text.RegularExpressions;

namespace Dockerbuild.Dockerfile.Checks;

/// <summary>
/// The OS and architecture a <c>FROM --platform</c> constant names, read as containerd's platforms.Parse
/// reads it (a lone component is an OS when it names one, else an architecture for Linux). Only what
/// FromPlatformFlagConstDisallowed compares is kept; the build itself parses platforms with Oci.Platform.
/// </summary>
internal static partial class PlatformSpecifier
{
    private static readonly string[] KnownOperatingSystems =
        ["aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js", "linux", "nacl", "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows", "zos"];

    private static readonly string[] KnownArchitectures =
        ["386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "loong64", "mips", "mipsle", "mips64", "mips64le", "mips64p32", "mips64p32le",
         "ppc", "ppc64", "ppc64le", "riscv", "riscv64", "s390", "s390x", "sparc", "sparc64", "wasm"];

    public static bool TryParse(string specifier, out string os, out string architecture)
    {
        (os, architecture) = ("", "");
        var parts = specifier.Split('/');
        if (parts.Length > 3 || !parts.All(p => Component().IsMatch(p)))
        {
            return false;
        }

        var first = NormalizeOs(parts[0]);
        if (parts.Length == 1)
        {
            if (KnownOperatingSystems.Contains(first))
            {
                // containerd takes the running machine's architecture; the build platform stands in for it.
                (os, architecture) = (first, Expansion.BuildArgScope.DefaultPlatform.Split('/')[1]);
                return true;
            }

            (os, architecture) = ("linux", NormalizeArchitecture(parts[0]));
            return KnownArchitectures.Contains(architecture);
        }

        (os, architecture) = (first, NormalizeArchitecture(parts[1]));
        return true;
    }

    private static string NormalizeOs(string os) => os.ToLowerInvariant() is "macos" ? "darwin" : os.ToLowerInvariant();

    private static string NormalizeArchitecture(string architecture) => architecture.ToLowerInvariant() switch
    {
        "i386" => "386",
        "x86_64" or "x86-64" => "amd64",
        "aarch64" => "arm64",
        "armhf" or "armel" => "arm",
        var other => other,
    };

    [GeneratedRegex("^[A-Za-z0-9_.-]+$")]
    private static partial Regex Component();
}
