using Dockerbuild.Dockerfile.Instructions;

namespace Dockerbuild.Dockerfile.Checks;

/// <summary>
/// What <c># check=skip=Rule1,Rule2;experimental=Rule3;error=true</c> (or the BUILDKIT_DOCKERFILE_CHECK
/// build argument, which takes precedence) asks for, parsed as BuildKit's linter.ParseLintOptions does.
/// As BuildKit's Linter.Run: an experimental rule runs only when named (or <c>experimental=all</c>), whatever
/// <c>skip</c> says; the others run unless skipped.
/// </summary>
internal sealed record CheckConfig(IReadOnlySet<string> SkippedRules, bool SkipAll, bool ReturnAsError)
{
    public const string BuildArgName = "BUILDKIT_DOCKERFILE_CHECK";

    public static CheckConfig Default { get; } = new(new HashSet<string>(), false, false);

    public IReadOnlySet<string> ExperimentalRules { get; init; } = new HashSet<string>();

    public bool ExperimentalAll { get; init; }

    /// <summary>False when no rule at all can run (<c>skip=all</c> without experimental ones).</summary>
    public bool AnyEnabled => !SkipAll || ExperimentalAll || ExperimentalRules.Count > 0;

    public bool IsEnabled(string rule) => CheckRules.IsExperimental(rule)
        ? ExperimentalAll || ExperimentalRules.Contains(rule)
        : !SkipAll && !SkippedRules.Contains(rule);

    /// <exception cref="FormatException">The option text is malformed.</exception>
    public static CheckConfig Parse(string text)
    {
        text = text.Trim();
        if (text.Length == 0)
        {
            return Default;
        }

        var skipped = new HashSet<string>(StringComparer.Ordinal);
        var experimental = new HashSet<string>(StringComparer.Ordinal);
        bool skipAll = false, experimentalAll = false, asError = false;
        foreach (var part in text.Split(';', 3))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                throw new FormatException($"invalid check option \"{part}\"");
            }

            var key = part[..eq].Trim();
            var value = part[(eq + 1)..].Trim();
            switch (key)
            {
                case "skip":
                    skipAll = AddRules(value, skipped);
                    break;
                case "experimental":
                    experimentalAll = AddRules(value, experimental);
                    break;
                case "error":
                    if (!GoBool.TryParse(value, out asError))
                    {
                        throw new FormatException($"failed to parse check option \"{part}\": expected true or false");
                    }

                    break;
                default:
                    throw new FormatException($"invalid check option \"{key}\"");
            }
        }

        return new CheckConfig(skipped, skipAll, asError) { ExperimentalRules = experimental, ExperimentalAll = experimentalAll };
    }

    /// <summary>A comma-separated list of rule names, or <c>all</c> (true).</summary>
    private static bool AddRules(string value, HashSet<string> rules)
    {
        if (value == "all")
        {
            return true;
        }

        rules.UnionWith(value.Split(',').Select(rule => rule.Trim()));
        return false;
    }
}
