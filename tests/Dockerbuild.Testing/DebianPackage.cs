namespace Dockerbuild.Testing;

/// <summary>
/// A Debian package for another architecture, fetched with apt-get from the machine's own sources but
/// with a private architecture, package lists and cache, so the system's apt state is left untouched.
/// Kept under the temp directory across runs, as the package lists alone are several megabytes.
/// </summary>
public static class DebianPackage
{
    /// <summary>Extracts <paramref name="package"/> for <paramref name="architecture"/> (Debian's name) into <paramref name="directory"/>.</summary>
    public static async Task ExtractAsync(string package, string architecture, string directory)
    {
        var deb = await DownloadAsync(package, architecture).ConfigureAwait(false);
        await ExternalTool.OutputAsync(Require.Executable("dpkg-deb", "dpkg"), "-x", deb, directory).ConfigureAwait(false);
    }

    private static async Task<string> DownloadAsync(string package, string architecture)
    {
        var cache = Path.Combine(Path.GetTempPath(), "dockerbuild-test-debs", architecture);
        var kept = Path.Combine(cache, package + ".deb");
        if (File.Exists(kept))
        {
            return kept;
        }

        var aptGet = Require.Executable("apt-get", "apt");
        Directory.CreateDirectory(cache);
        var work = Path.Combine(cache, "work-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(Path.Combine(work, "lists", "partial"));
            Directory.CreateDirectory(Path.Combine(work, "cache", "archives", "partial"));
            string[] options =
            [
                "-q", "-o", "APT::Architecture=" + architecture, "-o", "APT::Architectures::=" + architecture,
                "-o", "Dir::State::Lists=" + Path.Combine(work, "lists"), "-o", "Dir::Cache=" + Path.Combine(work, "cache"),
                "-o", "Dir::State::status=/dev/null", "-o", "Acquire::Languages=none",
            ];
            var update = await ExternalTool.RunAsync(aptGet, [.. options, "update"]).ConfigureAwait(false);
            if (update.ExitCode != 0)
            {
                Require.Fail($"apt-get update for {architecture} failed (Debian's mirror must be reachable): {update.Stderr.Trim()}");
            }

            // apt-get download writes into the working directory.
            var download = await ExternalTool.RunAsync(Require.Executable("bash", "bash"), ["-c", "cd \"$0\" && exec \"$@\"", work, aptGet, .. options, "download", package]).ConfigureAwait(false);
            var deb = Directory.EnumerateFiles(work, package + "_*_" + architecture + ".deb").FirstOrDefault();
            if (download.ExitCode != 0 || deb is null)
            {
                Require.Fail($"apt-get download {package}:{architecture} failed (Debian's mirror must be reachable): {download.Stderr.Trim()}");
            }

            File.Move(deb!, kept, overwrite: true);
            return kept;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
