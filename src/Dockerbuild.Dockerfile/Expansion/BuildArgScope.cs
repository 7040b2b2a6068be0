namespace Dockerbuild.Dockerfile.Expansion;

/// <summary>
/// The global ARG scope: what the lines before the first FROM declare, as BuildKit resolves it.
/// <list type="bullet">
/// <item>The platform ARGs (<see cref="PlatformArgNames"/>) are set automatically from the build and
/// target platforms (a build argument of the same name overrides them).</item>
/// <item>A global <c>ARG NAME[=default]</c> takes the build argument if one is given, else its default
/// (expanded against the global values so far); without either it changes nothing.</item>
/// <item>Global values are visible to FROM lines only (<see cref="Values"/>). A stage sees one only
/// after re-declaring it with <c>ARG NAME</c> (see <see cref="StageArgScope.DeclareArg"/>).</item>
/// </list>
/// Immutable: each declaration returns a new scope, so a caller can keep the scope of any line.
/// </summary>
public sealed class BuildArgScope
{
    /// <summary>The platform every build uses unless told otherwise.</summary>
    public const string DefaultPlatform = "linux/amd64";

    private BuildArgScope(ShellLexer lexer, IReadOnlyDictionary<string, string> buildArgs, OrderedDictionary<string, string> values)
    {
        Lexer = lexer;
        BuildArgs = buildArgs;
        Values = values;
    }

    /// <summary>Proxy ARGs that need no declaration: a build argument of one of these names reaches
    /// RUN (see <see cref="StageArgScope.RunEnvironment"/>), and is kept out of the image history.</summary>
    public static IReadOnlyList<string> ProxyArgNames { get; } =
    [
        "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy",
        "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
    ];

    /// <summary>ARGs set automatically in the global scope from the build and target platforms.</summary>
    public static IReadOnlyList<string> PlatformArgNames { get; } =
    [
        "BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT",
        "TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT",
    ];

    /// <summary>The lexer that expands ARG defaults (its escape character is the Dockerfile's).</summary>
    public ShellLexer Lexer { get; }

    /// <summary>The <c>--build-arg</c> values given to the build.</summary>
    public IReadOnlyDictionary<string, string> BuildArgs { get; }

    /// <summary>The values FROM lines expand against, in the order they were first set.</summary>
    public IReadOnlyDictionary<string, string> Values { get; }

    /// <summary>The scope before the first line: only the platform ARGs.</summary>
    /// <param name="buildArgs">The <c>--build-arg</c> values; none when null.</param>
    /// <param name="lexer">The lexer for ARG defaults; backslash escapes when null.</param>
    /// <param name="buildPlatform">Where the build runs, <c>os/arch[/variant]</c>.</param>
    /// <param name="targetPlatform">What the image is for; the build platform when null.</param>
    public static BuildArgScope Create(
        IReadOnlyDictionary<string, string>? buildArgs = null,
        ShellLexer? lexer = null,
        string buildPlatform = DefaultPlatform,
        string? targetPlatform = null)
    {
        buildArgs ??= new Dictionary<string, string>();
        var (buildOs, buildArch, buildVariant) = SplitPlatform(buildPlatform);
        var (targetOs, targetArch, targetVariant) = SplitPlatform(targetPlatform ?? buildPlatform);
        string[] values =
        [
            JoinPlatform(buildOs, buildArch, buildVariant), buildOs, buildArch, buildVariant,
            JoinPlatform(targetOs, targetArch, targetVariant), targetOs, targetArch, targetVariant,
        ];

        var scope = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < PlatformArgNames.Count; i++)
        {
            var name = PlatformArgNames[i];
            scope[name] = buildArgs.TryGetValue(name, out var overridden) ? overridden : values[i];
        }

        return new BuildArgScope(lexer ?? new ShellLexer(), buildArgs, scope);
    }

    /// <summary>Applies a global <c>ARG name[=defaultValue]</c>.</summary>
    /// <exception cref="ExpansionException">The default cannot be expanded.</exception>
    public BuildArgScope Declare(string name, string? defaultValue)
    {
        string value;
        if (BuildArgs.TryGetValue(name, out var given))
        {
            value = given;
        }
        else if (defaultValue is not null)
        {
            value = Lexer.ProcessWord(defaultValue, Values).Result;
        }
        else
        {
            return this;
        }

        return new BuildArgScope(Lexer, BuildArgs, With(Values, name, value));
    }

    /// <summary>The scope at the start of a stage, whose base image has <paramref name="imageEnv"/>.</summary>
    public StageArgScope EnterStage(IEnumerable<KeyValuePair<string, string>>? imageEnv = null) =>
        StageArgScope.Start(this, imageEnv ?? []);

    internal static OrderedDictionary<string, string> With(IReadOnlyDictionary<string, string> source, string name, string value) =>
        new(source, StringComparer.Ordinal) { [name] = value };

    internal static bool IsProxyArg(string name) =>
        ProxyArgNames.Contains(name, StringComparer.OrdinalIgnoreCase);

    private static (string Os, string Arch, string Variant) SplitPlatform(string platform)
    {
        var parts = platform.Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0))
        {
            throw new ArgumentException($"'{platform}' is not a platform; expected os/arch or os/arch/variant.", nameof(platform));
        }

        return (parts[0], parts[1], parts.Length == 3 ? parts[2] : "");
    }

    private static string JoinPlatform(string os, string arch, string variant) =>
        variant.Length == 0 ? $"{os}/{arch}" : $"{os}/{arch}/{variant}";
}
