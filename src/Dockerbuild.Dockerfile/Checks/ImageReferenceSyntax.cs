using System.Text.RegularExpressions;

namespace Dockerbuild.Dockerfile.Checks;

/// <summary>
/// Whether a string is a valid image reference (Docker's reference grammar, as ParseNormalizedNamed
/// accepts it): <c>[domain[:port]/]path[:tag][@digest]</c>, path components lower case.
/// </summary>
internal static partial class ImageReferenceSyntax
{
    public static bool IsValid(string reference)
    {
        if (reference.Length == 0 || AnonymousId().IsMatch(reference))
        {
            return false;
        }

        var match = Reference().Match(reference);
        if (!match.Success)
        {
            return false;
        }

        // A first component without '.', ':' and not 'localhost' is a path, and paths are lower case;
        // the grammar's domain branch would otherwise accept e.g. "Alpine/x" as a registry.
        var name = match.Groups["name"].Value;
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? name : name[..slash];
        var isDomain = slash >= 0 && (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal)
            || first == "localhost" || first.ToLowerInvariant() != first);
        var path = isDomain ? name[(slash + 1)..] : name;
        return name.Length <= 255 && PathPattern().IsMatch(path);
    }

    [GeneratedRegex("^[a-f0-9]{64}$")]
    private static partial Regex AnonymousId();

    [GeneratedRegex(@"^(?<name>(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*(?::[0-9]+)?/|\[[a-fA-F0-9:]+\](?::[0-9]+)?/)?[a-zA-Z0-9._-]+(?:/[a-zA-Z0-9._-]+)*)(?::[\w][\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$")]
    private static partial Regex Reference();

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex PathPattern();
}
