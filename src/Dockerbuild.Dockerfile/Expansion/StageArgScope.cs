namespace Dockerbuild.Dockerfile.Expansion;

/// <summary>
/// The variables of one build stage at one line, as BuildKit resolves them.
/// <list type="bullet">
/// <item>The stage starts with its base image's environment and no ARGs: global ARGs are not visible.</item>
/// <item><c>ARG NAME</c> without a default takes the build argument, else the global value of that
/// name (how a global ARG or a platform ARG is brought into a stage), else it is declared but unset.</item>
/// <item><c>ARG NAME=default</c> takes the build argument, else the default expanded against the
/// stage's environment so far.</item>
/// <item>ARG and ENV write the same environment and the later line wins: an ENV after an ARG
/// overrides it (Docker's "ENV overrides ARG"), and an ARG after an inherited ENV overrides that.</item>
/// <item>Proxy build arguments (<see cref="BuildArgScope.ProxyArgNames"/>) reach RUN without a
/// declaration, but are not expanded in other instructions unless declared.</item>
/// </list>
/// Immutable: each line returns a new scope.
/// </summary>
public sealed class StageArgScope
{
    private readonly OrderedDictionary<string, string> _environment;
    private readonly OrderedDictionary<string, string?> _args;

    private StageArgScope(BuildArgScope global, OrderedDictionary<string, string> environment, OrderedDictionary<string, string?> args)
    {
        Global = global;
        _environment = environment;
        _args = args;
    }

    /// <summary>The global scope this stage was entered from.</summary>
    public BuildArgScope Global { get; }

    /// <summary>What instructions of the stage expand against: the image environment, the stage's ARGs
    /// that have a value, and its ENVs, in the order first set.</summary>
    public IReadOnlyDictionary<string, string> Environment => _environment;

    /// <summary>The ARGs declared in this stage, in declaration order, with their value (null when
    /// declared without any value). BuildKit lists these in the history of RUN lines.</summary>
    public IReadOnlyDictionary<string, string?> Args => _args;

    /// <summary>The environment a RUN line gets: <see cref="Environment"/> plus the proxy build
    /// arguments it does not already define, each under its upper- and lower-case name.</summary>
    public IReadOnlyDictionary<string, string> RunEnvironment
    {
        get
        {
            var run = new OrderedDictionary<string, string>(Environment, StringComparer.Ordinal);
            foreach (var (name, value) in Global.BuildArgs.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                if (!BuildArgScope.IsProxyArg(name))
                {
                    continue;
                }

                run.TryAdd(name.ToUpperInvariant(), value);
                run.TryAdd(name.ToLowerInvariant(), value);
            }

            return run;
        }
    }

    /// <summary>Whether <paramref name="name"/> was declared by an ARG of this stage.</summary>
    public bool IsDeclaredArg(string name) => _args.ContainsKey(name);

    /// <summary>Applies <c>ARG name[=defaultValue]</c> inside the stage.</summary>
    /// <exception cref="ExpansionException">The default cannot be expanded.</exception>
    public StageArgScope DeclareArg(string name, string? defaultValue)
    {
        string? value;
        if (Global.BuildArgs.TryGetValue(name, out var given))
        {
            value = given;
        }
        else if (defaultValue is not null)
        {
            value = Global.Lexer.ProcessWord(defaultValue, Environment).Result;
        }
        else
        {
            value = Global.Values.TryGetValue(name, out var inherited) ? inherited : null;
        }

        var args = new OrderedDictionary<string, string?>(_args, StringComparer.Ordinal) { [name] = value };
        var environment = value is null ? _environment : BuildArgScope.With(_environment, name, value);
        return new StageArgScope(Global, environment, args);
    }

    /// <summary>Applies <c>ENV name=value</c> (the value already expanded).</summary>
    public StageArgScope SetEnv(string name, string value) =>
        new(Global, BuildArgScope.With(_environment, name, value), _args);

    internal static StageArgScope Start(BuildArgScope global, IEnumerable<KeyValuePair<string, string>> imageEnv)
    {
        var environment = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in imageEnv)
        {
            environment[name] = value;
        }

        return new StageArgScope(global, environment, new OrderedDictionary<string, string?>(StringComparer.Ordinal));
    }
}
