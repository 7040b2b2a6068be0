using System.Text;

namespace Dockerbuild.Dockerfile.Syntax;

/// <summary>
/// An instruction's text with its continuation lines joined, remembering where each piece came from so
/// an offset in the joined text can be reported as a line and column of the file.
/// </summary>
internal sealed class LogicalLine
{
    private readonly StringBuilder text = new();
    private readonly List<(int Offset, int Line, int Column)> pieces = [];
    private string? single;

    public void Clear()
    {
        text.Clear();
        pieces.Clear();
        single = null;
    }

    /// <summary>Appends a piece that starts at the given 1-based line and column.</summary>
    public void Append(string piece, int line, int column)
    {
        single = pieces.Count == 0 ? piece : null;
        pieces.Add((text.Length, line, column));
        text.Append(piece);
    }

    public override string ToString() => single ?? text.ToString();

    /// <summary>The 1-based line and column of an offset in the joined text.</summary>
    public (int Line, int Column) Locate(int offset)
    {
        var index = pieces.Count - 1;
        while (index > 0 && pieces[index].Offset > offset)
        {
            index--;
        }

        var (start, line, column) = pieces[index];
        return (line, column + offset - start);
    }
}
