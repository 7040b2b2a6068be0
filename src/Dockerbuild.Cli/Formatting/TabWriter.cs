using System.Text;

namespace Dockerbuild.Cli.Formatting;

/// <summary>
/// Go's text/tabwriter as docker's tables use it (min width 10, padding 3, space padding, no flags): a cell
/// is text ended by a tab; a column block is the run of consecutive lines that have a cell in that column,
/// as wide as its widest cell plus the padding, at least the minimum width. The text after a line's last
/// tab is not a cell and is not aligned. Trailing spaces are dropped from each line.
/// </summary>
internal static class TabWriter
{
    private const int MinWidth = 10;
    private const int Padding = 3;

    public static string Format(string text)
    {
        var lines = text.Split('\n').Select(line => line.Split('\t')).ToList();
        var trailingNewline = text.EndsWith('\n');
        if (trailingNewline)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        var output = new StringBuilder();
        var widths = new List<int>();
        Block(lines, widths, 0, lines.Count, output);
        return trailingNewline ? output.ToString() : output.ToString().TrimEnd('\n');
    }

    private static void Block(List<string[]> lines, List<int> widths, int line0, int line1, StringBuilder output)
    {
        var column = widths.Count;
        for (var current = line0; current < line1; current++)
        {
            if (column >= lines[current].Length - 1)
            {
                continue;
            }

            // This line has a cell in the column: it starts a block of the lines that all have one.
            Write(lines, widths, line0, current, output);
            line0 = current;
            var width = MinWidth;
            for (; current < line1 && column < lines[current].Length - 1; current++)
            {
                width = Math.Max(width, Width(lines[current][column]) + Padding);
            }

            widths.Add(width);
            Block(lines, widths, line0, current, output);
            widths.RemoveAt(widths.Count - 1);
            line0 = current;
            current--;
        }

        Write(lines, widths, line0, line1, output);
    }

    private static void Write(List<string[]> lines, List<int> widths, int line0, int line1, StringBuilder output)
    {
        var line = new StringBuilder();
        for (var i = line0; i < line1; i++)
        {
            line.Clear();
            var cells = lines[i];
            for (var j = 0; j < cells.Length; j++)
            {
                line.Append(cells[j]);
                if (j < widths.Count)
                {
                    line.Append(' ', Math.Max(widths[j] - Width(cells[j]), 0));
                }
            }

            output.Append(line.ToString().TrimEnd(' ')).Append('\n');
        }
    }

    private static int Width(string cell) => cell.EnumerateRunes().Count();
}
