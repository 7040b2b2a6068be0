namespace Dockerbuild.Cli.Tests;

/// <summary>A temporary directory of Dockerfiles, deleted after the test.</summary>
internal sealed class TempDockerfiles : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("dockerbuild-cli-").FullName;

    public string Write(string name, string text)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);
}
