using Dockerbuild.Dockerfile.Ignore;
using System.Runtime.Versioning;
using Dockerbuild.Oci.Layers;

namespace Dockerbuild.Engine.Context;

/// <summary>
/// The build context: a directory filtered by its .dockerignore, seen as a source tree whose files
/// all belong to 0:0. A context given as a tar stream ("-") is first extracted, safely, into a
/// directory the caller owns.
/// </summary>
public sealed class BuildContext
{
    private BuildContext(string directory, DockerIgnore ignore)
    {
        Directory = directory;
        Ignore = ignore;
        FileSystem = new DirectoryFileSystem(directory, ignore, ownedByRoot: true);
    }

    public string Directory { get; }

    public DockerIgnore Ignore { get; }

    public ISourceFileSystem FileSystem { get; }

    /// <param name="dockerfilePath">The Dockerfile, whose own "Dockerfile.dockerignore" beside it wins over the context's .dockerignore.</param>
    public static async Task<BuildContext> FromDirectoryAsync(string directory, string? dockerfilePath, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"build context '{directory}' is not a directory");
        }

        var ignore = await DockerIgnoreFile.LoadAsync(full, dockerfilePath, cancellationToken).ConfigureAwait(false);
        return new BuildContext(full, ignore);
    }

    /// <summary>Extracts a context tar (plain, gzip or zstd) into <paramref name="extractTo"/>, never writing outside it.</summary>
    [UnsupportedOSPlatform("windows")]
    public static async Task<BuildContext> FromTarAsync(Stream tar, string extractTo, string? dockerfilePath, CancellationToken cancellationToken)
    {
        await LayerExtractor.ExtractAsync(tar, extractTo, new LayerExtractOptions { AsRoot = false }, cancellationToken).ConfigureAwait(false);
        return await FromDirectoryAsync(extractTo, dockerfilePath, cancellationToken).ConfigureAwait(false);
    }
}
