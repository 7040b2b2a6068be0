using System.Text;
using Dockerbuild.Cli.Formatting;

namespace Dockerbuild.Cli.Commands.Images;

/// <summary>
/// docker's <c>--format</c> for list commands (its formatter.Context): <c>table</c> (the default columns),
/// <c>json</c> (<c>{{json .}}</c>, one object per line), <c>table TEMPLATE</c> (a header row from the
/// template run over the column names with docker's header functions, then the rows, aligned by Go's
/// tabwriter) and a plain Go <c>TEMPLATE</c> (<see cref="GoTemplate"/>) run once per row. As docker, the
/// template is trimmed of spaces and <c>\t</c>, <c>\n</c> are escapes.
/// </summary>
internal sealed class OutputFormat
{
    private const string TableKey = "table";

    private readonly GoTemplate? template;
    private readonly bool table;
    private readonly IReadOnlyDictionary<string, object?> headers;
    private readonly string rowType;

    /// <param name="format">The flag's value; null or empty means the default table.</param>
    /// <param name="headers">Field name → column header (docker's header context; a field not listed heads its column "&lt;no value&gt;", as in docker).</param>
    /// <param name="rowType">The rows' type, named as docker's Go type in errors about unknown fields.</param>
    public OutputFormat(string? format, IReadOnlyDictionary<string, string> headers, string rowType)
    {
        this.headers = headers.ToDictionary(pair => pair.Key, pair => (object?)pair.Value, StringComparer.Ordinal);
        this.rowType = rowType;
        if (string.IsNullOrEmpty(format) || format == TableKey)
        {
            table = true;
            return;
        }

        var text = format == "json" ? "{{json .}}" : format;
        table = text.StartsWith(TableKey, StringComparison.Ordinal);
        text = (table ? text[TableKey.Length..] : text).Trim(' ').Replace(@"\t", "\t", StringComparison.Ordinal).Replace(@"\n", "\n", StringComparison.Ordinal);
        template = Parse(text);
    }

    /// <summary>Whether the default columns apply (no template): the command writes its own table.</summary>
    public bool IsDefaultTable => table && template is null;

    /// <summary>Parses a template; an error is docker's one line, <c>template parsing error: ...</c>.</summary>
    public static GoTemplate Parse(string text)
    {
        try
        {
            return GoTemplate.Parse(text);
        }
        catch (TemplateException e)
        {
            throw new UsageException("template parsing error: " + e.Message);
        }
    }

    /// <summary>Executes a template; docker words execution errors as parsing ones too.</summary>
    public static string Run(GoTemplate template, object? data)
    {
        ArgumentNullException.ThrowIfNull(template);
        try
        {
            return template.Execute(data);
        }
        catch (TemplateException e)
        {
            throw new UsageException("template parsing error: " + e.Message);
        }
    }

    public async Task WriteAsync(TextWriter output, IReadOnlyList<IReadOnlyDictionary<string, string>> rows)
    {
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            var record = new TemplateRecord(rowType, row.ToDictionary(pair => pair.Key, pair => (object?)pair.Value, StringComparer.Ordinal));
            text.Append(Run(template!, record)).Append('\n');
        }

        if (table)
        {
            text.Insert(0, template!.ExecuteHeader(headers) + "\n");
            await output.WriteAsync(TabWriter.Format(text.ToString()));
            return;
        }

        await output.WriteAsync(text.ToString());
    }
}
