using Dockerbuild.Dockerfile.Instructions;

namespace Dockerbuild.Dockerfile.Checks;

/// <summary>
/// What <c># check=skip=Rule1,Rule2;error=true</c> (or the BUILDKIT_DOCKERFILE_CHECK build argument,
/// which takes precedence) asks for, parsed as BuildKit's linter.ParseLintOptions does.
/// </summary>
internal sealed record CheckConfig(IReadOnlySet<string> SkippedRules, bool SkipAll, bool ReturnAsError)
{
    public const string BuildArgName = "BUILDKIT_DOCKERFILE_CHECK";

    public static CheckConfig Default { get; } = new(new HashSet<string>(), false, false);

    public bool IsEnabled(string rule) => !SkipAll && !SkippedRules.Contains(rule);

    /// <exception cref="FormatException">The option text is malformed.</exception>
    public static CheckConfig Parse(string text)
    {
        text = text.Trim();
        if (text.Length == 0)
        {
            return Default;
        }

        var skipped = new HashSet<string>(StringComparer.Ordinal);
        bool skipAll = false, asError = false;
        foreach (var part in text.Split(';', 2))
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
                case "skip" when value == "all":
                    skipAll = true;
                    break;
                case "skip":
                    skipped.UnionWith(value.Split(',').Select(rule => rule.Trim()));
                    break;
                case "error":
                    if (!GoBool.TryParse(value, out asError))
                    {
                        throw new FormatException($"failed to parse check option \"{part}\": expected true or false");
                    }

                    break;
                default:
                    throw new FormatException($"invalid check option \"{key}\" (expected skip or error)");
            }
        }

        return new CheckConfig(skipped, skipAll, asError);
    }
}
