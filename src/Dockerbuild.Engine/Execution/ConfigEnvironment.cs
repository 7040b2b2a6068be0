namespace Dockerbuild.Engine.Execution;

/// <summary>An image config's <c>KEY=value</c> env entries as pairs (an entry without '=' is a name with an empty value).</summary>
internal static class ConfigEnvironment
{
    public static IEnumerable<KeyValuePair<string, string>> Parse(IReadOnlyList<string>? env) =>
        (env ?? []).Select(e =>
        {
            var eq = e.IndexOf('=', StringComparison.Ordinal);
            return eq < 0 ? new KeyValuePair<string, string>(e, "") : new KeyValuePair<string, string>(e[..eq], e[(eq + 1)..]);
        });
}
