namespace Dockerbuild.Testing;

/// <summary>
/// QEMU's user-mode emulator for a foreign architecture, registered in binfmt_misc with the F flag as
/// BuildKit expects (tonistiigi/binfmt does the same). Debian's qemu-user-static ships the registrations in
/// /usr/lib/binfmt.d, but without systemd nobody writes them to the kernel; as root this does, once.
/// </summary>
public static class QemuEmulation
{
    public const string BinfmtDirectory = "/proc/sys/fs/binfmt_misc";

    /// <summary>Makes sure <c>qemu-<paramref name="qemuArchitecture"/></c> runs that architecture's programs, or skips/fails saying why.</summary>
    public static async Task RequireAsync(string qemuArchitecture)
    {
        var name = "qemu-" + qemuArchitecture;
        var entry = Path.Combine(BinfmtDirectory, name);
        if (!File.Exists(entry))
        {
            await RegisterAsync(name).ConfigureAwait(false);
        }

        var lines = File.Exists(entry) ? await File.ReadAllLinesAsync(entry).ConfigureAwait(false) : [];
        if (lines.FirstOrDefault() != "enabled" || !lines.Any(l => l.StartsWith("flags:", StringComparison.Ordinal) && l.Contains('F', StringComparison.Ordinal)))
        {
            Require.Fail($"{entry} is not an enabled binfmt_misc entry with the F flag ({string.Join("; ", lines)}); register qemu-user-static's with F.");
        }
    }

    private static async Task RegisterAsync(string name)
    {
        var conf = $"/usr/lib/binfmt.d/{name}.conf";
        if (!File.Exists(conf))
        {
            Require.Fail($"{conf} is missing (Debian package 'qemu-user-static'; eng/install-deps.sh installs it).");
        }

        var register = Path.Combine(BinfmtDirectory, "register");
        if (!File.Exists(register))
        {
            var mount = await ExternalTool.RunAsync(Require.Executable("mount", "mount"), ["-t", "binfmt_misc", "binfmt_misc", BinfmtDirectory]).ConfigureAwait(false);
            if (mount.ExitCode != 0)
            {
                Require.Fail($"binfmt_misc is not mounted at {BinfmtDirectory} and mounting it failed (it needs root): {mount.Stderr.Trim()}");
            }
        }

        var line = (await File.ReadAllLinesAsync(conf).ConfigureAwait(false)).First(l => l.Length > 0 && !l.StartsWith('#'));
        try
        {
            await File.WriteAllTextAsync(register, line + "\n").ConfigureAwait(false);
        }
        catch (IOException) when (File.Exists(Path.Combine(BinfmtDirectory, name)))
        {
            // Registered meanwhile by a concurrent test run: the kernel refuses a second entry of the same name.
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Require.Fail($"registering {name} in {register} failed (it needs root): {e.Message}");
        }
    }
}
