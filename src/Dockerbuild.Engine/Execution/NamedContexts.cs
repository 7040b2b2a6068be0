namespace Dockerbuild.Engine.Execution;

/// <summary>The two forms a <c>--build-context NAME=VALUE</c> value takes: an image (docker-image://REF) or a directory.</summary>
internal static class NamedContexts
{
    private const string ImageScheme = "docker-image://";

    public static string? ImageReference(string value) =>
        value.StartsWith(ImageScheme, StringComparison.Ordinal) ? value[ImageScheme.Length..] : null;

    public static string? Directory(string value) =>
        ImageReference(value) is null ? Path.GetFullPath(value) : null;

    /// <summary>A directory context as BuildKit reads it: its own .dockerignore applied, every file owned by 0:0.</summary>
    public static async Task<Context.ISourceFileSystem> FileSystemAsync(string directory, CancellationToken cancellationToken)
    {
        try
        {
            return (await Context.BuildContext.FromDirectoryAsync(directory, null, cancellationToken).ConfigureAwait(false)).FileSystem;
        }
        catch (DirectoryNotFoundException e)
        {
            throw new BuildException($"named build context directory {directory} does not exist", e);
        }
    }
}
