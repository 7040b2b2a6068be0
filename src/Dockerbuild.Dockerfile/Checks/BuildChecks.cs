using Dockerbuild.Dockerfile.Expansion;
using Dockerbuild.Dockerfile.Ignore;
using Dockerbuild.Dockerfile.Instructions;
using Dockerbuild.Dockerfile.Syntax;

namespace Dockerbuild.Dockerfile.Checks;

/// <summary>
/// BuildKit's build checks (docs.docker.com/reference/build-checks): same rule names, same message
/// texts, same <c># check=skip=...;error=true</c> directive. Findings come back sorted by position.
/// </summary>
public static class BuildChecks
{
    /// <summary>Every rule this implements, by BuildKit name.</summary>
    public static IReadOnlyList<string> RuleNames => CheckRules.All;

    /// <summary>Every rule with BuildKit's description, documentation URL and whether it is experimental.</summary>
    public static IReadOnlyList<CheckRule> Rules => CheckRules.Rules;

    /// <summary>Runs every enabled rule.</summary>
    /// <param name="syntax">The parsed file (keyword casing and continuation lines live here).</param>
    /// <param name="bound">The same file bound to stages.</param>
    /// <param name="buildArgs">The build's <c>--build-arg</c> values; BUILDKIT_DOCKERFILE_CHECK among
    /// them overrides the file's check directive, as in BuildKit.</param>
    /// <param name="baseImageEnv">The environment of an external base image (by its expanded name), when
    /// known. Without it UndefinedVar cannot tell what such an image defines, so it stays silent for stages
    /// built on one rather than guess; stages on <c>scratch</c> or on earlier stages are always checked.</param>
    /// <param name="baseImageShell">The SHELL of an external base image's config, when known: JSONArgsRecommended
    /// does not apply to a stage whose base image sets one, as in BuildKit.</param>
    /// <param name="baseImagePlatforms">The images a build resolved (FROM, COPY --from, RUN --mount from=), each
    /// with the platform it is used for and the one its config declares, once per platform of a multi-platform
    /// build: known only to a build (or from the local store), as BuildKit checks them only then.</param>
    /// <param name="contextIgnore">The build context's .dockerignore, when known, for CopyIgnoredFile.</param>
    /// <exception cref="DockerfileException">The check directive is malformed.</exception>
    public static IReadOnlyList<CheckFinding> Run(
        DockerfileSyntax syntax,
        BoundDockerfile bound,
        IReadOnlyDictionary<string, string>? buildArgs = null,
        Func<string, IReadOnlyDictionary<string, string>?>? baseImageEnv = null,
        Func<string, IReadOnlyList<string>?>? baseImageShell = null,
        IReadOnlyCollection<BaseImagePlatform>? baseImagePlatforms = null,
        DockerIgnore? contextIgnore = null)
    {
        ArgumentNullException.ThrowIfNull(syntax);
        ArgumentNullException.ThrowIfNull(bound);
        buildArgs ??= new Dictionary<string, string>();
        var config = Config(bound, buildArgs);
        if (!config.AnyEnabled)
        {
            return [];
        }

        var sink = new FindingSink(config);

        SyntaxChecks.Run(syntax, sink);
        StageChecks.CheckNames(bound, sink);
        StageChecks.CheckBaseImagePlatforms(baseImagePlatforms ?? [], sink);

        var lexer = new ShellLexer(bound.EscapeToken);
        if (StageChecks.GlobalScope(bound, new Dictionary<string, string>(), lexer) is { } defaults)
        {
            StageChecks.CheckDefaultBaseNames(bound, defaults, sink);
        }

        if (StageChecks.GlobalScope(bound, buildArgs, lexer) is { } globals)
        {
            StageChecks.CheckFromArgs(bound, globals, sink);
            StageChecks.CheckPlatformFlags(bound, globals, sink);
            new DispatchChecks(bound, globals, baseImageEnv, baseImageShell, contextIgnore, sink).Run();
        }

        return sink.Sorted();
    }

    /// <summary>
    /// Whether findings fail the build (<c># check=error=true</c>, or the BUILDKIT_DOCKERFILE_CHECK build argument)
    /// with some rule enabled: then BuildKit, which resolves every image while converting, fails before any step.
    /// </summary>
    /// <exception cref="DockerfileException">The check directive is malformed.</exception>
    public static bool FailOnFindings(BoundDockerfile bound, IReadOnlyDictionary<string, string>? buildArgs = null)
    {
        ArgumentNullException.ThrowIfNull(bound);
        var config = Config(bound, buildArgs ?? new Dictionary<string, string>());
        return config.ReturnAsError && config.AnyEnabled;
    }

    private static CheckConfig Config(BoundDockerfile bound, IReadOnlyDictionary<string, string> buildArgs)
    {
        var directive = bound.Directives.FirstOrDefault(d => d.Name.Equals("check", StringComparison.OrdinalIgnoreCase));
        var fromBuildArg = buildArgs.TryGetValue(CheckConfig.BuildArgName, out var v) ? v : null;
        var text = fromBuildArg ?? directive?.Value;
        if (text is null)
        {
            return CheckConfig.Default;
        }

        try
        {
            return CheckConfig.Parse(text);
        }
        catch (FormatException e)
        {
            var span = directive?.Span ?? new SourceSpan(bound.File, 1, 1, 1, 1);
            var source = fromBuildArg is null ? "check directive" : $"{CheckConfig.BuildArgName} build argument";
            throw new DockerfileException(span, $"failed to parse the {source}: {e.Message}", e);
        }
    }
}
