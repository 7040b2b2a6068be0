using System.Globalization;
using System.Text.RegularExpressions;
using Dockerbuild.Cli.Commands.Images;

namespace Dockerbuild.Cli.Commands.Prune;

/// <summary>docker's value syntaxes for prune: Go durations (<c>until=24h</c>) and memory sizes (<c>--keep-storage 2gb</c>).</summary>
internal static partial class PruneArguments
{
    /// <summary>
    /// <c>--filter until=D</c> (or BuildKit's <c>unused-for=D</c>); other keys are refused as docker's
    /// daemon refuses them. Null when no filter is given.
    /// </summary>
    public static TimeSpan? UnusedFor(IEnumerable<string> filters)
    {
        TimeSpan? unusedFor = null;
        foreach (var filter in filters)
        {
            var eq = filter.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? filter : filter[..eq];
            if (key is not ("until" or "unused-for") || eq < 0)
            {
                throw new UsageException($"invalid filter '{filter}': only until=DURATION is supported");
            }

            unusedFor = GoDuration(filter[(eq + 1)..]);
        }

        return unusedFor;
    }

    /// <summary>Go's time.ParseDuration: a sequence of decimal numbers with units h, m, s, ms, us, ns.</summary>
    public static TimeSpan GoDuration(string text)
    {
        var match = Duration().Match(text);
        if (!match.Success || text.Length == 0)
        {
            throw new UsageException($"invalid duration \"{text}\": expected e.g. 24h, 2h30m, 90s");
        }

        double ticks = 0;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unit = Unit().Match(part.Value);
            var number = double.Parse(part.Value[..unit.Index], CultureInfo.InvariantCulture);
            ticks += number * unit.Value switch
            {
                "h" => TimeSpan.TicksPerHour,
                "m" => TimeSpan.TicksPerMinute,
                "s" => TimeSpan.TicksPerSecond,
                "ms" => TimeSpan.TicksPerMillisecond,
                "us" or "µs" => TimeSpan.TicksPerMicrosecond,
                _ => 0.01,
            };
        }

        return TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>go-units' RAMInBytes: a number with an optional b, k, m, g, t or p (and b) suffix, in powers of 1024.</summary>
    public static long Bytes(string text)
    {
        var match = Size().Match(text.Trim());
        if (!match.Success)
        {
            throw new UsageException($"invalid size: '{text}'");
        }

        var number = double.Parse(match.Groups["number"].Value, CultureInfo.InvariantCulture);
        var power = match.Groups["unit"].Value.ToLowerInvariant() switch
        {
            "k" => 1,
            "m" => 2,
            "g" => 3,
            "t" => 4,
            "p" => 5,
            _ => 0,
        };
        return (long)(number * Math.Pow(1024, power));
    }

    [GeneratedRegex(@"^(?<part>[0-9]+(?:\.[0-9]*)?(?:ns|us|µs|ms|s|m|h))+$")]
    private static partial Regex Duration();

    [GeneratedRegex(@"(ns|us|µs|ms|s|m|h)$")]
    private static partial Regex Unit();

    [GeneratedRegex(@"^(?<number>[0-9]+(?:\.[0-9]+)?) ?(?<unit>[kKmMgGtTpP]?)[iI]?[bB]?$")]
    private static partial Regex Size();
}
