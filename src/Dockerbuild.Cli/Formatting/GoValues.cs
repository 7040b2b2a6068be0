using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Dockerbuild.Cli.Formatting;

/// <summary>
/// Template values as Go sees them: null (nil), string, bool, long (int), double (float64), lists
/// (<see cref="IReadOnlyList{T}"/>), maps (<see cref="IReadOnlyDictionary{TKey, TValue}"/>, keys in sorted
/// order) and <see cref="TemplateRecord"/>s; their %v text, truth, JSON and Go type names.
/// </summary>
internal static class GoValues
{
    public static string TypeName(object? value) => value switch
    {
        null => "<nil>",
        string => "string",
        bool => "bool",
        long => "int",
        double => "float64",
        TemplateRecord record => record.TypeName,
        IReadOnlyList<string> => "[]string",
        IReadOnlyList<object?> => "[]interface {}",
        IReadOnlyDictionary<string, object?> => "map[string]interface {}",
        _ => value.GetType().Name,
    };

    /// <summary>fmt's %v.</summary>
    public static string Print(object? value) => value switch
    {
        null => "<nil>",
        string s => s,
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => GoFloat.G(d, -1),
        TemplateRecord record => "{" + string.Join(' ', record.Fields.Values.Select(Print)) + "}",
        IReadOnlyList<string> list => "[" + string.Join(' ', list) + "]",
        IReadOnlyList<object?> list => "[" + string.Join(' ', list.Select(Print)) + "]",
        IReadOnlyDictionary<string, object?> map => "map[" + string.Join(' ', Sorted(map).Select(pair => pair.Key + ":" + Print(pair.Value))) + "]",
        _ => value.ToString() ?? "",
    };

    /// <summary>text/template's truth: false for nil, false, zero numbers and empty strings, lists and maps.</summary>
    public static bool IsTrue(object? value) => value switch
    {
        null => false,
        string s => s.Length > 0,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        IReadOnlyList<string> list => list.Count > 0,
        IReadOnlyList<object?> list => list.Count > 0,
        IReadOnlyDictionary<string, object?> map => map.Count > 0,
        _ => true,
    };

    public static IEnumerable<KeyValuePair<string, object?>> Sorted(IReadOnlyDictionary<string, object?> map) =>
        map.OrderBy(pair => pair.Key, StringComparer.Ordinal);

    /// <summary>encoding/json with HTML escaping off, as docker's <c>json</c> function: maps sorted by key.</summary>
    public static string Json(object? value)
    {
        var text = new StringBuilder();
        WriteJson(text, value);
        return text.ToString();
    }

    /// <summary>
    /// A JSON document as a template sees docker's decoded inspect output: objects as maps, arrays of
    /// strings as <c>[]string</c> (so <c>join</c> takes them), whole numbers as ints.
    /// </summary>
    public static object? FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => FromJson(p.Value), StringComparer.Ordinal) as IReadOnlyDictionary<string, object?>,
        JsonValueKind.Array when element.EnumerateArray().All(item => item.ValueKind == JsonValueKind.String) =>
            (IReadOnlyList<string>)[.. element.EnumerateArray().Select(item => item.GetString()!)],
        JsonValueKind.Array => (IReadOnlyList<object?>)[.. element.EnumerateArray().Select(FromJson)],
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var whole) ? whole : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    /// <summary>strconv.Quote: a double-quoted Go string literal.</summary>
    public static string Quote(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var rune in value.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\t': text.Append("\\t"); break;
                case '\r': text.Append("\\r"); break;
                case '\a': text.Append("\\a"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '\v': text.Append("\\v"); break;
                default:
                    if (rune.Value < 0x20 || rune.Value == 0x7F)
                    {
                        text.Append(CultureInfo.InvariantCulture, $"\\x{rune.Value:x2}");
                    }
                    else
                    {
                        text.Append(rune.ToString());
                    }

                    break;
            }
        }

        return text.Append('"').ToString();
    }

    private static void WriteJson(StringBuilder text, object? value)
    {
        switch (value)
        {
            case null:
                text.Append("null");
                break;
            case string s:
                WriteJsonString(text, s);
                break;
            case bool b:
                text.Append(b ? "true" : "false");
                break;
            case long l:
                text.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                // encoding/json: %f-style between 1e-6 and 1e21, else exponent form.
                var abs = Math.Abs(d);
                text.Append(abs != 0 && (abs < 1e-6 || abs >= 1e21)
                    ? GoFloat.E(d, -1).Replace("e-0", "e-", StringComparison.Ordinal)
                    : d.ToString("R", CultureInfo.InvariantCulture));
                break;
            case TemplateRecord record:
                WriteObject(text, record.Fields.OrderBy(pair => pair.Key, StringComparer.Ordinal));
                break;
            case IReadOnlyDictionary<string, object?> map:
                WriteObject(text, Sorted(map));
                break;
            case IReadOnlyList<string> list:
                WriteArray(text, list);
                break;
            case IReadOnlyList<object?> list:
                WriteArray(text, list);
                break;
            default:
                WriteJsonString(text, value.ToString() ?? "");
                break;
        }
    }

    private static void WriteObject(StringBuilder text, IEnumerable<KeyValuePair<string, object?>> pairs)
    {
        text.Append('{');
        var first = true;
        foreach (var (key, item) in pairs)
        {
            if (!first)
            {
                text.Append(',');
            }

            first = false;
            WriteJsonString(text, key);
            text.Append(':');
            WriteJson(text, item);
        }

        text.Append('}');
    }

    private static void WriteArray<T>(StringBuilder text, IReadOnlyList<T> list)
    {
        text.Append('[');
        for (var i = 0; i < list.Count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            WriteJson(text, list[i]);
        }

        text.Append(']');
    }

    private static void WriteJsonString(StringBuilder text, string s)
    {
        text.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '\u2028' or '\u2029':
                    text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    break;
                default:
                    if (c < 0x20)
                    {
                        text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        text.Append('"');
    }
}
