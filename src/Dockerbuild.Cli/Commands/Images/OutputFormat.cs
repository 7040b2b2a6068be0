using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Dockerbuild.Cli.Commands.Images;

/// <summary>
/// docker's <c>--format</c> for list commands, the part people use: <c>table</c> (the default columns),
/// <c>json</c> (one object per line), <c>table TEMPLATE</c> (a header from the field names, then
/// tab-separated columns laid out like docker's tables) and a plain <c>TEMPLATE</c> with
/// <c>{{.Field}}</c> and <c>{{json .}}</c>; <c>\t</c> and <c>\n</c> are escapes, as in docker.
/// </summary>
internal sealed partial class OutputFormat
{
    private readonly string? template;
    private readonly bool table;
    private readonly bool json;
    private readonly IReadOnlyDictionary<string, string> headers;

    /// <param name="format">The flag's value; null or empty means the default table.</param>
    /// <param name="headers">Field name → column header, in the default table's order (unlisted fields are valid too).</param>
    public OutputFormat(string? format, IReadOnlyDictionary<string, string> headers)
    {
        this.headers = headers;
        format = format?.Trim();
        if (string.IsNullOrEmpty(format) || format == "table")
        {
            table = true;
            return;
        }

        if (format == "json")
        {
            json = true;
            return;
        }

        table = format.StartsWith("table ", StringComparison.Ordinal);
        template = (table ? format["table ".Length..] : format).Trim().Replace(@"\t", "\t", StringComparison.Ordinal).Replace(@"\n", "\n", StringComparison.Ordinal);
        foreach (Match field in Placeholder().Matches(template))
        {
            if (field.Groups["field"].Success && field.Groups["field"].Value.Length == 0 && !field.Value.Contains("json", StringComparison.Ordinal))
            {
                throw new UsageException($"template parsing error: {{{{.}}}} is not supported in \"{format}\"");
            }
        }

        if (Placeholder().Replace(template, "").Contains("{{", StringComparison.Ordinal))
        {
            throw new UsageException($"template parsing error: only {{{{.Field}}}} and {{{{json .}}}} are supported in \"{format}\"");
        }
    }

    /// <summary>Whether the default columns apply (no template): the command writes its own table.</summary>
    public bool IsDefaultTable => table && template is null;

    public async Task WriteAsync(TextWriter output, IReadOnlyList<IReadOnlyDictionary<string, string>> rows)
    {
        if (json)
        {
            foreach (var row in rows)
            {
                await output.WriteLineAsync(Json(row));
            }

            return;
        }

        var lines = rows.Select(row => Expand(template!, row)).ToList();
        if (!table)
        {
            foreach (var line in lines)
            {
                await output.WriteLineAsync(line);
            }

            return;
        }

        var header = Placeholder().Replace(template!, m => m.Groups["field"].Success ? headers.GetValueOrDefault(m.Groups["field"].Value, m.Groups["field"].Value.ToUpperInvariant()) : "");
        var writer = new TableWriter(header.Split('\t'));
        foreach (var line in lines)
        {
            writer.Add(line.Split('\t'));
        }

        await writer.WriteAsync(output);
    }

    private static string Expand(string template, IReadOnlyDictionary<string, string> row) =>
        Placeholder().Replace(template, m =>
        {
            if (!m.Groups["field"].Success)
            {
                return Json(row);
            }

            var name = m.Groups["field"].Value;
            return row.TryGetValue(name, out var value)
                ? value
                : throw new UsageException($"template: can't evaluate field {name} (known: {string.Join(", ", row.Keys)})");
        });

    private static string Json(IReadOnlyDictionary<string, string> row)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in row.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                writer.WriteString(key, value);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    [GeneratedRegex(@"\{\{\s*(?:json\s+\.|\.(?<field>[A-Za-z]*))\s*\}\}")]
    private static partial Regex Placeholder();
}
