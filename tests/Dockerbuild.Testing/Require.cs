using Xunit;

namespace Dockerbuild.Testing;

/// <summary>
/// What a test needs from the machine. Locally a missing component skips the test with a reason;
/// under CI (CI=true) it fails, so a missing install step can never pass quietly.
/// </summary>
public static class Require
{
    public static bool UnderCi =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Skips (locally) or fails (CI) with the given reason.</summary>
    public static void Fail(string reason)
    {
        if (UnderCi)
        {
            Assert.Fail(reason + " (CI=true: a missing component is a failure, not a skip)");
        }

        Assert.Skip(reason);
    }

    /// <summary>Returns the full path of an executable on PATH, or skips/fails naming its package.</summary>
    public static string Executable(string name, string debianPackage)
    {
        var found = Which(name);
        if (found is null)
        {
            Fail($"'{name}' is not installed (Debian package '{debianPackage}'; eng/install-deps.sh installs it).");
        }

        return found!;
    }

    public static string? Which(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Concat(["/usr/sbin", "/sbin"]))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
