using System.Text.RegularExpressions;

namespace Dockerbuild.Testing.Registry;

/// <summary>
/// Selects requests for a fault: those whose method matches (any when null) and whose path and query
/// match <see cref="PathPattern"/> (a regex); of those, every <see cref="EveryNth"/>-th hit gets the
/// fault, at most <see cref="MaxInjections"/> times.
/// </summary>
public sealed record FaultRule(Fault Fault, string? Method = null, string PathPattern = ".*", int EveryNth = 1, int MaxInjections = int.MaxValue)
{
    internal bool Matches(string method, string path) =>
        (Method is null || string.Equals(Method, method, StringComparison.OrdinalIgnoreCase))
        && Regex.IsMatch(path, PathPattern, RegexOptions.CultureInvariant);

    public static FaultRule FirstHits(int count, Fault fault, string? method = null, string pathPattern = ".*") =>
        new(fault, method, pathPattern, 1, count);
}
