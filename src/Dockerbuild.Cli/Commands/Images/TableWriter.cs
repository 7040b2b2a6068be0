using Dockerbuild.Cli.Formatting;

namespace Dockerbuild.Cli.Commands.Images;

/// <summary>A table of fixed columns laid out as docker's (its header, then rows; see <see cref="TabWriter"/>).</summary>
internal sealed class TableWriter(params string[] headers)
{
    private readonly List<string[]> rows = [headers];

    public void Add(params string[] cells) => rows.Add(cells);

    public async Task WriteAsync(TextWriter output) =>
        await output.WriteAsync(TabWriter.Format(string.Concat(rows.Select(row => string.Join('\t', row) + "\n"))));
}
