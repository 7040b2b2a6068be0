using System.Globalization;
using System.Text;

namespace Dockerbuild.Engine.Execution;

/// <summary>The few Go fmt verbs BuildKit's history strings use (%q and %v of a []string, durations).</summary>
internal static class GoFormat
{
    /// <summary>fmt's %q of a []string: <c>["a" "b"]</c>.</summary>
    public static string QuoteList(IEnumerable<string> values) => "[" + string.Join(" ", values.Select(Quote)) + "]";

    /// <summary>fmt's %v of a []string: <c>[a b]</c>.</summary>
    public static string List(IEnumerable<string> values) => "[" + string.Join(" ", values) + "]";

    /// <summary>strconv.Quote for the printable text history strings hold.</summary>
    public static string Quote(string value)
    {
        var builder = new StringBuilder("\"");
        foreach (var rune in value.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case < 0x20 or 0x7f:
                    builder.Append(CultureInfo.InvariantCulture, $"\\x{rune.Value:x2}");
                    break;
                default:
                    builder.Append(rune.ToString());
                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    /// <summary>time.Duration.String: <c>30s</c>, <c>1m30s</c>, <c>1h0m0s</c>, <c>0s</c>, <c>500ms</c>.</summary>
    public static string Duration(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        if (duration < TimeSpan.FromSeconds(1))
        {
            var ns = duration.Ticks * 100;
            return ns % 1_000_000 == 0 ? $"{ns / 1_000_000}ms" : ns % 1000 == 0 ? $"{ns / 1000}µs" : $"{ns}ns";
        }

        var seconds = (duration.Ticks % TimeSpan.TicksPerMinute) / (double)TimeSpan.TicksPerSecond;
        var text = seconds.ToString("0.#########", CultureInfo.InvariantCulture) + "s";
        var minutes = (long)duration.TotalMinutes;
        if (minutes == 0)
        {
            return text;
        }

        text = (minutes % 60).ToString(CultureInfo.InvariantCulture) + "m" + text;
        var hours = minutes / 60;
        return hours == 0 ? text : hours.ToString(CultureInfo.InvariantCulture) + "h" + text;
    }
}
