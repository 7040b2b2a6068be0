namespace Dockerbuild.Engine.Context;

/// <summary>
/// A read-only tree that COPY and ADD read from (the build context, another stage's or an image's
/// root filesystem, a named context) and that COPY looks at for its destination (the image's current
/// root filesystem). Paths are relative to the root, '/'-separated; symlinks are never followed here:
/// <see cref="SourcePaths.Resolve"/> follows them inside the tree.
/// </summary>
public interface ISourceFileSystem
{
    /// <summary>lstat of <paramref name="path"/>, or null when it does not exist (or is hidden, e.g. by .dockerignore or a whiteout).</summary>
    SourceEntry? Stat(string path);

    /// <summary>The visible children of a directory, sorted by name (ordinal, as Go sorts them).</summary>
    IReadOnlyList<SourceEntry> List(string directory);

    /// <summary>Opens a regular file for reading.</summary>
    ValueTask<Stream> OpenReadAsync(string path, CancellationToken cancellationToken);
}
