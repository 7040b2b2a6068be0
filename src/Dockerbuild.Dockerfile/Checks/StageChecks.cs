using Dockerbuild.Dockerfile.Expansion;
using Dockerbuild.Dockerfile.Instructions;

namespace Dockerbuild.Dockerfile.Checks;

/// <summary>Rules about the stages themselves: their names and what their FROM lines expand to.</summary>
internal static class StageChecks
{
    private static readonly string[] ReservedNames = ["context", "scratch"];

    public static void CheckNames(BoundDockerfile bound, FindingSink sink)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var stage in bound.Stages)
        {
            if (stage.Name is not { } name)
            {
                continue;
            }

            if (ReservedNames.Contains(name))
            {
                sink.Report(CheckRules.ReservedStageName, CheckRules.ReservedStageNameMessage(name), stage.Span);
            }

            if (!names.Add(name))
            {
                sink.Report(CheckRules.DuplicateStageName, CheckRules.DuplicateStageNameMessage(name), stage.Span);
            }
        }
    }

    /// <summary>UndefinedArgInFrom: a FROM (or its --platform) refers to a name no global ARG declares.</summary>
    public static void CheckFromArgs(BoundDockerfile bound, BuildArgScope globals, FindingSink sink)
    {
        var known = new HashSet<string>(globals.Values.Keys, StringComparer.Ordinal);
        known.UnionWith(bound.GlobalArgs.SelectMany(a => a.Args).Select(a => a.Name));
        foreach (var stage in bound.Stages)
        {
            foreach (var word in new[] { stage.BaseName, stage.Platform })
            {
                if (word is null || Expand(globals, word) is not { } expanded)
                {
                    continue;
                }

                foreach (var name in expanded.Unmatched.Where(n => !known.Contains(n)).Order(StringComparer.Ordinal))
                {
                    var suggestion = Suggest.Closest(name, known, caseSensitive: true);
                    sink.Report(CheckRules.UndefinedArgInFrom, CheckRules.UndefinedArgInFromMessage(name, suggestion), stage.Span);
                }
            }
        }
    }

    /// <summary>
    /// The FROM --platform rules BuildKit applies while reading the stages (all of them, used or not):
    /// RedundantTargetPlatform for a value that is just $TARGETPLATFORM, FromPlatformFlagConstDisallowed
    /// for one that uses no variable at all, unless the stage's name mentions its OS or architecture.
    /// </summary>
    public static void CheckPlatformFlags(BoundDockerfile bound, BuildArgScope globals, FindingSink sink)
    {
        foreach (var stage in bound.Stages)
        {
            if (stage.Platform is not { } platform || Expand(globals, platform) is not { } expanded)
            {
                continue;
            }

            // Only one name used, and it is TARGETPLATFORM giving its own value: $TARGETPLATFORM or ${TARGETPLATFORM}.
            if (expanded.Matched.Count == 1 && expanded.Unmatched.Count == 0 && expanded.Matched.Contains("TARGETPLATFORM")
                && globals.Values.TryGetValue("TARGETPLATFORM", out var target) && expanded.Result == target)
            {
                sink.Report(CheckRules.RedundantTargetPlatform, CheckRules.RedundantTargetPlatformMessage(platform), stage.Span);
            }

            var stageName = stage.Name ?? "";
            if (expanded.Matched.Count == 0 && expanded.Unmatched.Count == 0
                && PlatformSpecifier.TryParse(expanded.Result, out var os, out var architecture)
                && !stageName.Contains(os, StringComparison.Ordinal) && !stageName.Contains(architecture, StringComparison.Ordinal))
            {
                sink.Report(CheckRules.FromPlatformFlagConstDisallowed, CheckRules.FromPlatformFlagConstDisallowedMessage(expanded.Result), stage.Span);
            }
        }
    }

    /// <summary>
    /// InvalidBaseImagePlatform: an image a build resolved is for another OS or architecture than it is used
    /// for (a variant alone does not count), as BuildKit's validateBaseImagePlatform.
    /// </summary>
    public static void CheckBaseImagePlatforms(IEnumerable<BaseImagePlatform> resolved, FindingSink sink)
    {
        foreach (var found in resolved.Where(f => !SameOsAndArchitecture(f.Expected, f.Actual)))
        {
            sink.Report(CheckRules.InvalidBaseImagePlatform, CheckRules.InvalidBaseImagePlatformMessage(found.Image, found.Expected, found.Actual), found.Span);
        }
    }

    private static bool SameOsAndArchitecture(string expected, string actual) =>
        expected.Split('/').Take(2).SequenceEqual(actual.Split('/').Take(2), StringComparer.Ordinal);

    /// <summary>InvalidDefaultArgInFrom: with no build arguments, a FROM expands to no valid image name.</summary>
    public static void CheckDefaultBaseNames(BoundDockerfile bound, BuildArgScope defaults, FindingSink sink)
    {
        foreach (var stage in bound.Stages)
        {
            if (Expand(defaults, stage.BaseName) is { } expanded && !ImageReferenceSyntax.IsValid(expanded.Result))
            {
                sink.Report(CheckRules.InvalidDefaultArgInFrom, CheckRules.InvalidDefaultArgInFromMessage(stage.BaseName), stage.Span);
            }
        }
    }

    /// <summary>The global scope after the ARGs before the first FROM; null when a default cannot be
    /// expanded (the build itself fails then, and the checks that need the scope stand aside).</summary>
    public static BuildArgScope? GlobalScope(BoundDockerfile bound, IReadOnlyDictionary<string, string> buildArgs, ShellLexer lexer)
    {
        try
        {
            var scope = BuildArgScope.Create(buildArgs, lexer);
            foreach (var declaration in bound.GlobalArgs.SelectMany(a => a.Args))
            {
                scope = scope.Declare(declaration.Name, declaration.DefaultValue);
            }

            return scope;
        }
        catch (ExpansionException)
        {
            return null;
        }
    }

    private static ExpansionResult? Expand(BuildArgScope scope, string word)
    {
        try
        {
            return scope.Lexer.ProcessWord(word, scope.Values);
        }
        catch (ExpansionException)
        {
            return null;
        }
    }
}
