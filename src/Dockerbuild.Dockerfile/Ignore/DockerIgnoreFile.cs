namespace Dockerbuild.Dockerfile.Ignore;

/// <summary>
/// Finds and reads the ignore file of a build: <c>&lt;Dockerfile&gt;.dockerignore</c> beside the
/// Dockerfile (e.g. <c>build/app.Dockerfile.dockerignore</c>) when it exists, which takes precedence,
/// else <c>.dockerignore</c> at the root of the context, else nothing is ignored.
/// </summary>
public static class DockerIgnoreFile
{
    /// <summary>The name of the context's ignore file.</summary>
    public const string FileName = ".dockerignore";

    /// <summary>The ignore file that applies, or null when there is none.</summary>
    /// <param name="contextDirectory">The build context directory.</param>
    /// <param name="dockerfilePath">The Dockerfile's path, or null when it does not come from a file.</param>
    public static string? Locate(string contextDirectory, string? dockerfilePath)
    {
        if (dockerfilePath is not null)
        {
            var specific = Path.GetFullPath(dockerfilePath) + FileName;
            if (File.Exists(specific))
            {
                return specific;
            }
        }

        var inContext = Path.Combine(Path.GetFullPath(contextDirectory), FileName);
        return File.Exists(inContext) ? inContext : null;
    }

    /// <summary>Reads the ignore file that applies (see <see cref="Locate"/>).</summary>
    /// <exception cref="IgnorePatternException">A pattern is malformed; the message names the file.</exception>
    public static async Task<DockerIgnore> LoadAsync(string contextDirectory, string? dockerfilePath, CancellationToken cancellationToken = default)
    {
        var path = Locate(contextDirectory, dockerfilePath);
        if (path is null)
        {
            return DockerIgnore.Empty;
        }

        var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        try
        {
            return DockerIgnore.Parse(text);
        }
        catch (IgnorePatternException e)
        {
            throw new IgnorePatternException($"{path}: {e.Message}");
        }
    }
}
