using Dockerbuild.Cli.Formatting;

namespace Dockerbuild.Cli.Commands.Images;

/// <summary>Sizes and ages as docker prints them (go-units' HumanSize and HumanDuration).</summary>
internal static class HumanUnits
{
    private static readonly string[] DecimalUnits = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];

    /// <summary>
    /// go-units' HumanSizeWithPrecision: powers of 1000 and Go's %.Ng (N significant digits, trailing zeros
    /// dropped, ties to even): 0B, 512B, 7.33MB. HumanSize is precision 4 (1.235GB); docker's image list and
    /// history columns use 3.
    /// </summary>
    public static string Size(long bytes, int precision = 4)
    {
        double size = bytes;
        var unit = 0;
        while (size >= 1000 && unit < DecimalUnits.Length - 1)
        {
            size /= 1000;
            unit++;
        }

        return GoFloat.G(size, precision) + DecimalUnits[unit];
    }

    /// <summary>go-units' HumanDuration: "Less than a second", "About a minute", "2 hours", "3 weeks"...</summary>
    public static string Duration(TimeSpan d)
    {
        var seconds = (long)d.TotalSeconds;
        if (seconds < 1)
        {
            return "Less than a second";
        }

        if (seconds == 1)
        {
            return "1 second";
        }

        if (seconds < 60)
        {
            return $"{seconds} seconds";
        }

        var minutes = (long)d.TotalMinutes;
        if (minutes == 1)
        {
            return "About a minute";
        }

        if (minutes < 60)
        {
            return $"{minutes} minutes";
        }

        var hours = (long)(d.TotalHours + 0.5);
        return hours switch
        {
            1 => "About an hour",
            < 48 => $"{hours} hours",
            < 24 * 7 * 2 => $"{hours / 24} days",
            < 24 * 30 * 2 => $"{hours / 24 / 7} weeks",
            < 24 * 365 * 2 => $"{hours / 24 / 30} months",
            _ => $"{(long)d.TotalHours / 24 / 365} years",
        };
    }

    /// <summary>How long ago <paramref name="created"/> was, docker's CREATED column; N/A when unknown.</summary>
    public static string Ago(DateTimeOffset? created, DateTimeOffset now) =>
        created is { } c && c.ToUnixTimeSeconds() > 0 ? Duration(now - c) + " ago" : "N/A";
}
