namespace Dockerbuild.Engine.Execution;

/// <summary>The two forms a <c>--build-context NAME=VALUE</c> value takes: an image (docker-image://REF) or a directory.</summary>
internal static class NamedContexts
{
    private const string ImageScheme = "docker-image://";

    public static string? ImageReference(string value) =>
        value.StartsWith(ImageScheme, StringComparison.Ordinal) ? value[ImageScheme.Length..] : null;

    public static string? Directory(string value) =>
        ImageReference(value) is null ? Path.GetFullPath(value) : null;
}
