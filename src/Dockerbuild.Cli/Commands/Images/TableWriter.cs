using System.Text;

namespace Dockerbuild.Cli.Commands.Images;

/// <summary>
/// Docker's table layout (Go's tabwriter with minwidth 10, padding 3): each column as wide as its
/// widest cell plus three spaces, at least ten; the last column is not padded.
/// </summary>
internal sealed class TableWriter(params string[] headers)
{
    private const int MinWidth = 10;
    private const int Padding = 3;

    private readonly List<string[]> rows = [headers];

    public void Add(params string[] cells) => rows.Add(cells);

    public async Task WriteAsync(TextWriter output)
    {
        var columns = rows.Max(row => row.Length);
        var widths = new int[columns];
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length - 1; i++)
            {
                widths[i] = Math.Max(widths[i], Math.Max(MinWidth, row[i].Length + Padding));
            }
        }

        var line = new StringBuilder();
        foreach (var row in rows)
        {
            line.Clear();
            for (var i = 0; i < row.Length; i++)
            {
                line.Append(i < row.Length - 1 ? row[i].PadRight(widths[i]) : row[i]);
            }

            await output.WriteLineAsync(line.ToString().TrimEnd());
        }
    }
}
