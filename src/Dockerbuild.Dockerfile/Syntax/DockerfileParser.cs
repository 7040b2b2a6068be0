namespace Dockerbuild.Dockerfile.Syntax;

/// <summary>
/// Turns Dockerfile text into the raw syntax tree, accepting what BuildKit's parser accepts and splitting
/// arguments the way it does. The grammar lives in the Pidgin parsers of this folder; this is the entry.
/// </summary>
public static class DockerfileParser
{
    /// <summary>Parses a whole Dockerfile.</summary>
    /// <param name="text">The file's text (a leading byte-order mark is ignored).</param>
    /// <param name="fileName">The name used in spans and error messages.</param>
    /// <exception cref="DockerfileException">The file is malformed; the message names file, line and column.</exception>
    public static DockerfileSyntax Parse(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        return new DockerfileReader(text, fileName).Read();
    }

    /// <summary>Reads and parses a Dockerfile from disk.</summary>
    public static async Task<DockerfileSyntax> ParseFileAsync(string path, CancellationToken cancellationToken = default)
    {
        var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        return Parse(text, path);
    }
}
