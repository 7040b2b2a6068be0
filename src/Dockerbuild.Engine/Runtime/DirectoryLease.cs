namespace Dockerbuild.Engine.Runtime;

/// <summary>
/// Marks a working directory (a snapshot, a bundle) as in use by a live process: an exclusive
/// advisory lock on a file inside it, which the kernel drops when the process dies. A directory whose
/// lease nobody holds was left behind by a killed build and can be cleaned up, even while other
/// builds share the same parent directory.
/// </summary>
internal sealed class DirectoryLease : IDisposable
{
    private const string LeaseFile = ".lease";

    /// <summary>A directory without a lease file may still be starting up; only an old one is abandoned.</summary>
    private static readonly TimeSpan StartupGrace = TimeSpan.FromMinutes(10);

    private readonly FileStream lockFile;

    private DirectoryLease(FileStream lockFile)
    {
        this.lockFile = lockFile;
    }

    public static DirectoryLease Take(string directory) => new(Open(directory, FileMode.OpenOrCreate));

    /// <summary>True when no live process holds the directory's lease.</summary>
    public static bool IsAbandoned(string directory)
    {
        try
        {
            using var probe = Open(directory, FileMode.Open);
            return true;
        }
        catch (FileNotFoundException)
        {
            return DateTime.UtcNow - Directory.GetLastWriteTimeUtc(directory) > StartupGrace;
        }
        catch (IOException)
        {
            return false; // held by a live process
        }
    }

    public void Dispose() => lockFile.Dispose();

    // FileShare.None is an exclusive flock on Unix: it conflicts across processes and across handles.
    private static FileStream Open(string directory, FileMode mode) =>
        new(Path.Combine(directory, LeaseFile), mode, FileAccess.ReadWrite, FileShare.None);
}
