namespace Dockerbuild.Testing;

/// <summary>
/// A fresh directory under the system temp directory (a real filesystem here, which overlayfs upper
/// directories need), removed with everything in it when the test ends.
/// </summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "dockerbuild-test-")
    {
        Path = Directory.CreateTempSubdirectory(prefix).FullName;
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temp directory must not fail the test that made it.
        }
    }
}
