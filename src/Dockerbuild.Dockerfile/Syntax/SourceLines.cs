namespace Dockerbuild.Dockerfile.Syntax;

/// <summary>
/// The physical lines of a file, split on <c>\n</c> as BuildKit's scanner does. A line's text leaves out
/// its trailing <c>\r</c> and <c>\n</c> characters; its raw form keeps them (heredoc bodies are raw).
/// </summary>
internal sealed class SourceLines
{
    private readonly string text;
    private readonly List<int> starts = [];

    public SourceLines(string text)
    {
        this.text = text;
        for (var start = 0; start < text.Length;)
        {
            starts.Add(start);
            var newline = text.IndexOf('\n', start);
            start = newline < 0 ? text.Length : newline + 1;
        }

        starts.Add(text.Length);
    }

    public int Count => starts.Count - 1;

    /// <summary>Line <paramref name="index"/> (0-based) without its line ending.</summary>
    public ReadOnlySpan<char> Text(int index) => text.AsSpan(starts[index], starts[index + 1] - starts[index]).TrimEnd("\r\n");

    /// <summary>Line <paramref name="index"/> with its line ending.</summary>
    public ReadOnlySpan<char> Raw(int index) => text.AsSpan(starts[index], starts[index + 1] - starts[index]);
}
