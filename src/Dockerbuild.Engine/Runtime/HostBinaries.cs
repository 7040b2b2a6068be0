namespace Dockerbuild.Engine.Runtime;

/// <summary>Finds the host programs the engine drives (the OCI runtime, ssh-agent).</summary>
internal static class HostBinaries
{
    /// <summary>A path as given, else the name on PATH and then in the sbin directories root's PATH has.</summary>
    public static string? Find(string name)
    {
        if (name.Contains('/'))
        {
            return File.Exists(name) ? Path.GetFullPath(name) : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/local/sbin", "/usr/sbin", "/sbin"])
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);
    }
}
